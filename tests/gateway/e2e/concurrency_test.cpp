// Truly concurrent clients, each on its own connection and thread: stock
// never oversells, one cart never checks out twice, and the numbers add up.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

std::uint16_t port() {
  return shared_server("concurrency").port();
}
http_client client() {
  return http_client{port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

struct outcome {
  int status = 0;
  std::string code;
  std::string body;
  std::string error; // transport failure
};

outcome to_outcome(const response& r) {
  outcome o;
  o.status = r.status;
  o.body = r.body;
  try {
    auto j = json::parse(r.body);
    if (j.is_object() && j.contains("code") && j["code"].is_string())
      o.code = j["code"].get<std::string>();
  } catch (...) {
  }
  return o;
}

// n fresh users, registered in parallel (each on its own connection).
std::vector<account> register_many(int n, const std::string& prefix) {
  std::vector<std::optional<account>> made(static_cast<std::size_t>(n));
  run_concurrently(n, [&](int i) {
    try {
      // n Argon2id hashes at once queue for the cores: on a busy 2-core
      // machine the last answer comes after the default 10 s timeout.
      http_client c{port(), std::chrono::seconds(60)};
      made[static_cast<std::size_t>(i)] = try_register(c, prefix);
    } catch (...) {
    }
  });
  std::vector<account> out;
  for (auto& m : made) {
    REQUIRE(m.has_value());
    out.push_back(*m);
  }
  return out;
}

} // namespace

TEST_CASE("50 clients race for 10 copies: exactly 10 orders", "[concurrency]") {
  constexpr int clients = 50;
  constexpr int copies = 10;
  auto c = client();
  auto admin = admin_token(c);
  auto book = stocked_book(c, admin, copies, "19.99");
  auto book_id = id_of(book);
  auto users = register_many(clients, "racer");

  std::vector<http_client> conns;
  for (int i = 0; i < clients; ++i) {
    conns.push_back(client());
    add_to_cart(conns.back(), users[static_cast<std::size_t>(i)].access_token,
                book_id, 1);
  }

  std::vector<outcome> results(clients);
  run_concurrently(clients, [&](int i) {
    auto k = static_cast<std::size_t>(i);
    try {
      results[k] = to_outcome(checkout(conns[k], users[k].access_token));
    } catch (const std::exception& e) {
      results[k].error = e.what();
    }
  });

  int created = 0;
  int short_stock = 0;
  for (int i = 0; i < clients; ++i) {
    auto& r = results[static_cast<std::size_t>(i)];
    CAPTURE(i, r.status, r.body, r.error);
    CHECK(r.error.empty());
    if (r.status == 201) {
      ++created;
    } else {
      CHECK(r.status == 409);
      CHECK(r.code == "ORDER_INSUFFICIENT_STOCK");
      ++short_stock;
    }
  }
  CHECK(created == copies);
  CHECK(short_stock == clients - copies);
  CHECK(book_stock(c, book_id) == 0);

  // Winners have one order and an empty cart; losers keep their cart line.
  int orders_seen = 0;
  for (int i = 0; i < clients; ++i) {
    auto k = static_cast<std::size_t>(i);
    auto orders = list_orders(c, users[k].access_token);
    auto cart = get_cart(c, users[k].access_token);
    if (results[k].status == 201) {
      CHECK(orders.size() == 1);
      CHECK(cart["items"].empty());
    } else {
      CHECK(orders.empty());
      CHECK(cart["items"].size() == 1);
    }
    orders_seen += static_cast<int>(orders.size());
  }
  CHECK(orders_seen == copies);

  // The admin's view agrees.
  auto all = c.get("/admin/orders", admin);
  REQUIRE_STATUS(all, 200);
  int with_book = 0;
  for (auto& o : all.json())
    for (auto& item : o["items"])
      if (item["book_id"] == book_id)
        ++with_book;
  CHECK(with_book == copies);
}

TEST_CASE("concurrent checkouts of one cart create at most one order",
          "[concurrency]") {
  constexpr int parallel = 10;
  auto c = client();
  auto admin = admin_token(c);
  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    auto user = register_user(c, "samecart");
    auto a = stocked_book(c, admin, 100, "3.50");
    auto b = stocked_book(c, admin, 100, "1.25");
    add_to_cart(c, user.access_token, id_of(a), 2);
    add_to_cart(c, user.access_token, id_of(b), 1);

    std::vector<http_client> conns;
    for (int i = 0; i < parallel; ++i) {
      conns.push_back(client());
      REQUIRE_STATUS(conns.back().get("/health"), 200);
    }
    std::vector<outcome> results(parallel);
    run_concurrently(parallel, [&](int i) {
      auto k = static_cast<std::size_t>(i);
      try {
        results[k] = to_outcome(checkout(conns[k], user.access_token));
      } catch (const std::exception& e) {
        results[k].error = e.what();
      }
    });
    int created = 0;
    for (auto& r : results) {
      CAPTURE(r.status, r.body, r.error);
      CHECK(r.error.empty());
      if (r.status == 201)
        ++created;
      else
        CHECK((r.status >= 400 && r.status < 500));
    }
    CHECK(created <= 1);
    auto orders = list_orders(c, user.access_token);
    CHECK(static_cast<int>(orders.size()) == created);
    CHECK(book_stock(c, id_of(a)) == 100 - 2 * created);
    CHECK(book_stock(c, id_of(b)) == 100 - created);
    auto cart = get_cart(c, user.access_token);
    CHECK(cart["items"].size() == (created == 1 ? 0u : 2u));
    if (created == 1)
      CHECK(orders[0]["total_price"] == "8.25");
  }
}

TEST_CASE("a mixed concurrent workload never oversells", "[concurrency]") {
  constexpr int workers = 16;
  constexpr long long initial = 30;
  auto c = client();
  auto admin = admin_token(c);
  auto book = stocked_book(c, admin, initial, "2.00");
  auto book_id = id_of(book);
  auto users = register_many(workers, "mixed");

  std::atomic<long long> sold{0};
  std::atomic<int> errors{0};
  std::atomic<int> server_errors{0};
  run_concurrently(workers, [&](int i) {
    auto k = static_cast<std::size_t>(i);
    std::mt19937 rng{static_cast<unsigned>(i) * 7919u + 1u};
    try {
      http_client conn{port()};
      const auto& token = users[k].access_token;
      for (int step = 0; step < 4; ++step) {
        int qty = 1 + static_cast<int>(rng() % 3);
        auto add = conn.post("/cart/items",
                             {{"book_id", book_id}, {"quantity", qty}}, token);
        if (add.status >= 500)
          ++server_errors;
        if (add.status != 201) {
          // Out of stock or already in the cart: look at the cart and retry
          // with what is there.
          auto cart = conn.get("/cart", token);
          if (cart.status >= 500)
            ++server_errors;
        }
        auto r = checkout(conn, token);
        if (r.status >= 500)
          ++server_errors;
        if (r.status == 201) {
          auto order = json::parse(r.body);
          for (auto& item : order["items"])
            sold += item["quantity"].get<long long>();
        } else if (r.status == 409) {
          // Too few left: drop the line and try again later.
          auto cart = json::parse(conn.get("/cart", token).body);
          for (auto& item : cart["items"])
            conn.del("/cart/items/"
                         + std::to_string(item["id"].get<long long>()),
                     token);
        }
        (void)conn.get("/books/" + std::to_string(book_id));
      }
    } catch (...) {
      ++errors;
    }
  });
  CHECK(errors == 0);
  CHECK(server_errors == 0);
  auto stock = book_stock(c, book_id);
  CHECK(stock >= 0);
  CHECK(sold.load() <= initial);
  CHECK(stock == initial - sold.load());

  // The orders agree with what the clients saw.
  long long in_orders = 0;
  for (auto& u : users)
    for (auto& o : list_orders(c, u.access_token))
      for (auto& item : o["items"])
        if (item["book_id"] == book_id)
          in_orders += item["quantity"].get<long long>();
  CHECK(in_orders == sold.load());
}

TEST_CASE("parallel registrations of one email: exactly one wins",
          "[concurrency]") {
  constexpr int parallel = 6;
  auto email = unique_email("same");
  std::vector<outcome> results(parallel);
  run_concurrently(parallel, [&](int i) {
    auto k = static_cast<std::size_t>(i);
    try {
      http_client conn{port()};
      results[k] = to_outcome(conn.post(
          "/auth/register", {{"email", email}, {"password", "password123"}}));
    } catch (const std::exception& e) {
      results[k].error = e.what();
    }
  });
  int created = 0;
  for (auto& r : results) {
    CAPTURE(r.status, r.body, r.error);
    CHECK(r.error.empty());
    if (r.status == 201) {
      ++created;
    } else {
      CHECK(r.status == 409);
      CHECK(r.code == "AUTH_EMAIL_CONFLICT");
    }
  }
  CHECK(created == 1);
}
