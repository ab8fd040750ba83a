// Checkouts met by what an attacker or a careless client does meanwhile
// (API.md, "Fine print: abuse and edge cases"): a delete of a book whose
// copies are held, a second keyed checkout of a running cart, a store that
// cannot load the cart.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "helpers.hpp"
#include "tests/support/timeouts.hpp"

using namespace e2e;
using namespace std::chrono_literals;

namespace {

// Payments take 1.5 s (longer on slow builds): long enough to act while a
// checkout holds its copies.
server_options slow_payments() {
  server_options opts;
  opts.extra_args = {"--payment-latency-ms",
                     std::to_string(test_support::scaled(1500ms).count())};
  return opts;
}

http_client client() {
  return http_client{shared_server("checkout-edges", slow_payments()).port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

std::string book_path(const json& book) {
  return "/books/" + std::to_string(id_of(book));
}

/// Runs fixed SQL on the server's file from outside, as an operator's
/// mistake or a failing disk would.
void run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  std::string what = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  if (rc != SQLITE_OK)
    throw std::runtime_error(what);
}

/// The counters of GET /metrics named `names`, each added up over the
/// nodes when the server is a cluster (each node counts its own), every
/// node read once.
std::vector<long long> metrics(http_client& c,
                               const std::vector<std::string>& names,
                               std::string& seen) {
  std::vector<long long> sums(names.size(), 0);
  for (auto port : node_ports(c.port())) {
    auto res = http_client{port}.get("/metrics");
    REQUIRE_STATUS(res, 200);
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto at = res.body.find("\n" + names[i] + " ");
      REQUIRE(at != std::string::npos);
      auto value = std::stoll(res.body.substr(at + names[i].size() + 2));
      sums[i] += value;
      seen += names[i] + "@" + std::to_string(port) + "="
              + std::to_string(value) + " ";
    }
  }
  return sums;
}

/// The mock provider's ledger balances: every approved charge not refunded
/// is a confirmed order.
void check_ledger(http_client& c) {
  std::string seen;
  auto m = metrics(c,
                   {"bookstore_payment_charges_total",
                    "bookstore_payment_refunds_total",
                    "bookstore_store_orders_total"},
                   seen);
  INFO(seen);
  CHECK(m[0] - m[1] == m[2]);
}

/// Checks out `token`'s cart on a connection of its own into `out`; when
/// this returns, the checkout holds its copies and waits for its payment.
std::thread checkout_in_background(const std::string& token, response& out) {
  std::thread running([token, &out] {
    auto other = client();
    out = checkout(other, token);
  });
  std::this_thread::sleep_for(test_support::scaled(400ms));
  return running;
}

} // namespace

TEST_CASE("a book whose copies a checkout holds cannot be deleted and a 204 is "
          "never followed by an order of it",
          "[checkout_edges]") {
  auto c = client();
  auto admin = admin_token(c);
  auto buyer = register_user(c, "edge");
  auto book = stocked_book(c, admin, 5, "7.00");
  add_to_cart(c, buyer.access_token, id_of(book), 2);

  response paid;
  auto checkout_thread = checkout_in_background(buyer.access_token, paid);
  auto refused = c.del(book_path(book), admin);
  checkout_thread.join();
  check_error(refused, 409, "STOCK_RESERVED");
  REQUIRE_STATUS(paid, 201);
  CHECK(book_stock(c, id_of(book)) == 3);

  // Nothing held any more: the delete goes through, and nobody buys it after.
  CHECK_STATUS(c.del(book_path(book), admin), 204);
  auto late = register_user(c, "edge");
  auto in_cart =
      c.post("/cart/items", {{"book_id", id_of(book)}, {"quantity", 1}},
             late.access_token);
  CHECK(in_cart.status == 404);
  CHECK(list_orders(c, late.access_token) == json::array());
  check_ledger(c);
}

TEST_CASE("a keyed checkout that met CHECKOUT_IN_PROGRESS runs again when "
          "retried",
          "[checkout_edges]") {
  auto c = client();
  auto admin = admin_token(c);
  auto buyer = register_user(c, "edge");
  auto book = stocked_book(c, admin, 5, "3.00");
  add_to_cart(c, buyer.access_token, id_of(book), 1);

  response first;
  auto checkout_thread = checkout_in_background(buyer.access_token, first);
  const std::string key = "edge-key-" + unique_suffix();
  auto passing = checkout(c, buyer.access_token, false, key);
  checkout_thread.join();
  check_error(passing, 409, "CHECKOUT_IN_PROGRESS");
  REQUIRE_STATUS(first, 201);

  // The 409 said "not now", not "never": the key is still unused.
  add_to_cart(c, buyer.access_token, id_of(book), 1);
  auto retried = checkout(c, buyer.access_token, false, key);
  REQUIRE_STATUS(retried, 201);
  CHECK(id_of(retried.json()) != id_of(first.json()));
  auto replayed = checkout(c, buyer.access_token, false, key);
  CHECK_STATUS(replayed, 201);
  CHECK(replayed.body == retried.body);
  CHECK(list_orders(c, buyer.access_token).size() == 2);
  check_ledger(c);
}

TEST_CASE("a keyed checkout whose cart cannot be loaded answers 503 and frees "
          "its key",
          "[checkout_edges]") {
  // A server of its own: its cart table goes away for a moment.
  server_process srv{slow_payments()};
  http_client c{srv.port()};
  auto buyer = register_user(c, "edge"); // its cart is not loaded yet
  const std::string key = "edge-key-" + unique_suffix();

  run_sql(srv.db_path(), "ALTER TABLE cart_items RENAME TO cart_items_away");
  auto failed = checkout(c, buyer.access_token, false, key);
  run_sql(srv.db_path(), "ALTER TABLE cart_items_away RENAME TO cart_items");
  check_error(failed, 503, "STORE_UNAVAILABLE");
  CHECK(failed.header("retry-after") == "1");

  // Not IDEMPOTENCY_IN_PROGRESS until a restart: the key runs again.
  auto retried = checkout(c, buyer.access_token, false, key);
  check_error(retried, 422, "ORDER_CART_EMPTY");
}
