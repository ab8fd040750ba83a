// Idempotency-Key on POST /orders/checkout (API.md, Orders and Fine print).

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("idempotency").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

std::string new_key() {
  return "key-" + unique_suffix();
}

} // namespace

TEST_CASE("the same key replays the same status and body", "[idempotency]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idem");
  auto book = stocked_book(c, admin, 5, "6.00");
  add_to_cart(c, user.access_token, id_of(book), 2);
  auto key = new_key();

  auto first = checkout(c, user.access_token, false, key);
  REQUIRE_STATUS(first, 201);
  auto second = checkout(c, user.access_token, false, key);
  REQUIRE_STATUS(second, 201);
  CHECK(second.body == first.body);
  // Through another connection too.
  auto other = client();
  auto third = checkout(other, user.access_token, false, key);
  CHECK_STATUS(third, 201);
  CHECK(third.body == first.body);

  CHECK(book_stock(c, id_of(book)) == 3);
  CHECK(list_orders(c, user.access_token).size() == 1);
}

TEST_CASE(
    "two users checking out with the same Idempotency-Key get their own orders",
    "[idempotency]") {
  auto c = client();
  auto admin = admin_token(c);
  auto a = register_user(c, "idem");
  auto b = register_user(c, "idem");
  auto book = stocked_book(c, admin, 5, "6.00");
  add_to_cart(c, a.access_token, id_of(book), 1);
  add_to_cart(c, b.access_token, id_of(book), 2);
  auto key = new_key();
  auto ra = checkout(c, a.access_token, false, key);
  auto rb = checkout(c, b.access_token, false, key);
  REQUIRE_STATUS(ra, 201);
  REQUIRE_STATUS(rb, 201);
  CHECK(id_of(ra.json()) != id_of(rb.json()));
  CHECK(rb.json()["items"][0]["quantity"] == 2);
  CHECK(list_orders(c, a.access_token).size() == 1);
  CHECK(list_orders(c, b.access_token).size() == 1);
  CHECK(book_stock(c, id_of(book)) == 2);
}

TEST_CASE("a replay after the cart changed still returns the first outcome",
          "[idempotency]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idem");
  auto first_book = stocked_book(c, admin, 5, "4.00");
  auto second_book = stocked_book(c, admin, 5, "9.00");
  add_to_cart(c, user.access_token, id_of(first_book), 1);
  auto key = new_key();
  auto first = checkout(c, user.access_token, false, key);
  REQUIRE_STATUS(first, 201);

  add_to_cart(c, user.access_token, id_of(second_book), 3);
  auto replay = checkout(c, user.access_token, false, key);
  REQUIRE_STATUS(replay, 201);
  CHECK(replay.body == first.body);
  // Nothing was sold for the replay; the new line is still in the cart.
  CHECK(book_stock(c, id_of(second_book)) == 5);
  auto cart = get_cart(c, user.access_token);
  REQUIRE(cart["items"].size() == 1);
  CHECK(cart["items"][0]["book_id"] == id_of(second_book));
  CHECK(list_orders(c, user.access_token).size() == 1);

  // A new key is a new checkout.
  auto next = checkout(c, user.access_token, false, new_key());
  REQUIRE_STATUS(next, 201);
  CHECK(next.json()["total_price"] == "27.00");
  CHECK(list_orders(c, user.access_token).size() == 2);
}

TEST_CASE("failed outcomes (422 or 402 or 409) are replayed too",
          "[idempotency]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idem");
  auto book = stocked_book(c, admin, 2, "5.00");

  SECTION("422 ORDER_CART_EMPTY") {
    auto key = new_key();
    auto first = checkout(c, user.access_token, false, key);
    check_error(first, 422, "ORDER_CART_EMPTY");
    add_to_cart(c, user.access_token, id_of(book), 1);
    auto replay = checkout(c, user.access_token, false, key);
    CHECK(replay.status == 422);
    CHECK(replay.body == first.body);
    CHECK(get_cart(c, user.access_token)["items"].size() == 1);
    CHECK(book_stock(c, id_of(book)) == 2);
  }
  SECTION("402 ORDER_PAYMENT_FAILED") {
    add_to_cart(c, user.access_token, id_of(book), 1);
    auto key = new_key();
    auto first = checkout(c, user.access_token, true, key);
    check_error(first, 402, "ORDER_PAYMENT_FAILED");
    auto replay = checkout(c, user.access_token, false, key);
    CHECK(replay.status == 402);
    CHECK(replay.body == first.body);
    CHECK(list_orders(c, user.access_token).empty());
    CHECK(book_stock(c, id_of(book)) == 2);
  }
  SECTION("409 ORDER_INSUFFICIENT_STOCK") {
    add_to_cart(c, user.access_token, id_of(book), 2);
    set_stock(c, admin, id_of(book), 1);
    auto key = new_key();
    auto first = checkout(c, user.access_token, false, key);
    check_error(first, 409, "ORDER_INSUFFICIENT_STOCK");
    set_stock(c, admin, id_of(book), 10);
    auto replay = checkout(c, user.access_token, false, key);
    CHECK(replay.status == 409);
    CHECK(replay.body == first.body);
    CHECK(book_stock(c, id_of(book)) == 10);
    // Without the key the checkout goes through now.
    CHECK_STATUS(checkout(c, user.access_token), 201);
  }
}

TEST_CASE("invalid keys are 422 and change nothing", "[idempotency]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idem");
  auto book = stocked_book(c, admin, 5, "5.00");
  add_to_cart(c, user.access_token, id_of(book), 1);
  for (const std::string& key : std::vector<std::string>{
           std::string(), std::string(256, 'k'), std::string("has space"),
           std::string("tab\there"), std::string("caf\xc3\xa9")}) {
    CAPTURE(key);
    auto r = c.post("/orders/checkout", json::object(), user.access_token,
                    {{"Idempotency-Key", key}});
    INFO(describe(r));
    CHECK(r.status == 422);
    auto j = r.json();
    CHECK(j.contains("code"));
    CHECK(j.contains("detail"));
  }
  // Control characters are not even valid in an HTTP field value: the HTTP
  // layer may refuse the request (400) before the key is looked at.
  for (const std::string& key :
       std::vector<std::string>{"bell\x07", "del\x7f"}) {
    CAPTURE(key);
    auto r = c.post("/orders/checkout", json::object(), user.access_token,
                    {{"Idempotency-Key", key}});
    INFO(describe(r));
    CHECK((r.status == 422 || r.status == 400));
  }
  CHECK(book_stock(c, id_of(book)) == 5);
  CHECK(list_orders(c, user.access_token).empty());

  // 255 visible ASCII characters are fine.
  std::string longest;
  for (int i = 0; i < 255; ++i)
    longest += static_cast<char>('!' + i % 94);
  auto ok = checkout(c, user.access_token, false, longest);
  CHECK_STATUS(ok, 201);
  auto replay = checkout(c, user.access_token, false, longest);
  CHECK(replay.body == ok.body);
}

TEST_CASE("duplicates sent at once sell once", "[idempotency]") {
  constexpr int parallel = 8;
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idem");
  auto book = stocked_book(c, admin, 10, "2.50");
  add_to_cart(c, user.access_token, id_of(book), 3);
  auto key = new_key();
  std::vector<http_client> conns;
  for (int i = 0; i < parallel; ++i) {
    conns.push_back(client());
    REQUIRE_STATUS(conns.back().get("/health"), 200);
  }
  std::vector<response> results(parallel);
  std::vector<std::string> errors(parallel);
  run_concurrently(parallel, [&](int i) {
    auto k = static_cast<std::size_t>(i);
    try {
      results[k] = checkout(conns[k], user.access_token, false, key);
    } catch (const std::exception& e) {
      errors[k] = e.what();
    }
  });
  std::string body201;
  for (int i = 0; i < parallel; ++i) {
    auto k = static_cast<std::size_t>(i);
    CAPTURE(i, errors[k]);
    CHECK(errors[k].empty());
    INFO(describe(results[k]));
    if (results[k].status == 201) {
      if (body201.empty())
        body201 = results[k].body;
      CHECK(results[k].body == body201);
    } else {
      check_error(results[k], 409, "IDEMPOTENCY_IN_PROGRESS");
    }
  }
  CHECK(list_orders(c, user.access_token).size() == 1);
  CHECK(book_stock(c, id_of(book)) == 7);
}

TEST_CASE("a request with a key still running gets 409 "
          "IDEMPOTENCY_IN_PROGRESS",
          "[idempotency]") {
  server_options slow;
  slow.extra_args = {"--payment-latency-ms", "1500"};
  auto& srv = shared_server("idempotency-slow", slow);
  http_client c{srv.port()};
  auto admin = admin_token(c);
  auto user = register_user(c, "idem");
  auto book = stocked_book(c, admin, 5, "3.00");
  add_to_cart(c, user.access_token, id_of(book), 1);
  auto key = new_key();

  http_client first_conn{srv.port()};
  REQUIRE_STATUS(first_conn.get("/health"), 200);
  response first;
  std::string error;
  std::thread t([&] {
    try {
      first = checkout(first_conn, user.access_token, false, key);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto during = checkout(c, user.access_token, false, key);
  t.join();
  REQUIRE(error.empty());
  check_error(during, 409, "IDEMPOTENCY_IN_PROGRESS");
  REQUIRE_STATUS(first, 201);
  auto after = checkout(c, user.access_token, false, key);
  CHECK_STATUS(after, 201);
  CHECK(after.body == first.body);
  CHECK(book_stock(c, id_of(book)) == 4);
}
