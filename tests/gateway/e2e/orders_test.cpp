// The 14 order tests of the original backend (backend/tests/test_orders.py),
// each named for what it checks, plus the checkout rules of API.md. The race
// test runs truly concurrently here, on two connections.

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("orders").port()};
}

// The original's sample_book fixture: "Dune", 14.99, stock 10.
json sample_book(http_client& c, const std::string& admin) {
  return create_book(
      c, admin, book_fields("Dune " + unique_word(), "Frank Herbert", "14.99"),
      10);
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

const json empty_cart =
    json::parse(R"({"items": [], "total_items": 0, "total_price": "0.00"})");

} // namespace

// ---- POST /orders/checkout -------------------------------------------------

TEST_CASE("a checkout creates a confirmed order and takes its copies from "
          "stock and empties the cart",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto book = sample_book(c, admin);
  auto book_id = id_of(book);
  auto original_stock = book.at("stock_quantity").get<long long>();
  REQUIRE(original_stock == 10);
  add_to_cart(c, user.access_token, book_id, 2);

  auto resp = checkout(c, user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto data = resp.json();
  CHECK(data.contains("id"));
  CHECK(data.value("status", "") == "confirmed");
  REQUIRE(data["items"].size() == 1);
  CHECK(data["items"][0]["book_id"] == book_id);
  CHECK(data["items"][0]["quantity"] == 2);

  CHECK(book_stock(c, book_id) == original_stock - 2);
  CHECK(get_cart(c, user.access_token) == empty_cart);
}

TEST_CASE("checking out an empty cart is 422 ORDER_CART_EMPTY", "[orders]") {
  auto c = client();
  auto user = register_user(c, "orders_user");
  auto resp = checkout(c, user.access_token);
  check_error(resp, 422, "ORDER_CART_EMPTY");
  CHECK(list_orders(c, user.access_token) == json::array());
}

TEST_CASE("checking out more copies than exist is 409 ORDER_INSUFFICIENT_STOCK "
          "and moves nothing",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto book = create_book(
      c, admin,
      book_fields("Low Stock Book " + unique_word(), "Test Author", "9.99"), 1);
  auto book_id = id_of(book);
  // Adding reserves nothing: 5 copies go into the cart although 1 exists.
  add_to_cart(c, user.access_token, book_id, 5);

  auto resp = checkout(c, user.access_token);
  check_error(resp, 409, "ORDER_INSUFFICIENT_STOCK");
  auto j = resp.json();
  REQUIRE(j.contains("items"));
  REQUIRE(j["items"].is_array());
  REQUIRE(j["items"].size() == 1);
  auto line = j["items"][0];
  CHECK(keys_of(line)
        == std::set<std::string>{"book_id", "title", "requested", "available"});
  CHECK(line.value("book_id", json{}) == book_id);
  CHECK(line.value("title", json{}) == book["title"]);
  CHECK(line.value("requested", json{}) == 5);
  CHECK(line.value("available", json{}) == 1);

  // All or nothing: no stock moved, the cart is as it was, no order.
  CHECK(book_stock(c, book_id) == 1);
  auto cart = get_cart(c, user.access_token);
  REQUIRE(cart["items"].size() == 1);
  CHECK(cart["items"][0]["quantity"] == 5);
  CHECK(list_orders(c, user.access_token) == json::array());
}

TEST_CASE("a failed payment is 402 and keeps the cart and the stock",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto book = sample_book(c, admin);
  auto book_id = id_of(book);
  add_to_cart(c, user.access_token, book_id, 1);

  auto resp = checkout(c, user.access_token, /*force_payment_failure=*/true);
  check_error(resp, 402, "ORDER_PAYMENT_FAILED");

  auto cart = get_cart(c, user.access_token);
  REQUIRE(cart["items"].size() == 1);
  CHECK(cart["items"][0]["book_id"] == book_id);
  CHECK(list_orders(c, user.access_token) == json::array());
  CHECK(book_stock(c, book_id) == 10);
}

TEST_CASE("two checkouts racing for the last copy sell it once", "[orders]") {
  // Two users, one copy, both checkouts released at the same instant on
  // their own connections; repeated to vary the interleaving.
  auto c = client();
  auto admin = admin_token(c);
  auto user_a = register_user(c, "orders_user");
  auto user_b = register_user(c, "orders_user2");
  for (int round = 0; round < 5; ++round) {
    CAPTURE(round);
    auto book = create_book(
        c, admin,
        book_fields("Last Copy Book " + unique_word(), "Rare Author", "29.99"),
        1);
    auto book_id = id_of(book);
    add_to_cart(c, user_a.access_token, book_id, 1);
    add_to_cart(c, user_b.access_token, book_id, 1);

    std::vector<http_client> conns;
    conns.push_back(client());
    conns.push_back(client());
    for (auto& conn : conns)
      REQUIRE_STATUS(conn.get("/health"), 200); // connect before the start
    const std::string tokens[2] = {user_a.access_token, user_b.access_token};
    response results[2];
    std::string errors[2];
    run_concurrently(2, [&](int i) {
      try {
        results[i] = checkout(conns[static_cast<std::size_t>(i)], tokens[i]);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
    REQUIRE(errors[0].empty());
    REQUIRE(errors[1].empty());
    int won = results[0].status == 201 ? 0 : 1;
    int lost = 1 - won;
    REQUIRE_STATUS(results[won], 201);
    check_error(results[lost], 409, "ORDER_INSUFFICIENT_STOCK");
    CHECK(book_stock(c, book_id) == 0);
    // The loser's cart still holds its line; clear it for the next round.
    auto cart = get_cart(c, tokens[lost]);
    REQUIRE(cart["items"].size() == 1);
    REQUIRE_STATUS(
        c.del("/cart/items/" + std::to_string(id_of(cart["items"][0])),
              tokens[lost]),
        204);
  }
  CHECK(list_orders(c, user_a.access_token).size()
            + list_orders(c, user_b.access_token).size()
        == 5);
}

// ---- the order that POST /orders/checkout answers --------------------------

TEST_CASE("the checkout answer is the JSON order with unit prices and book "
          "summaries and the total",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto book = sample_book(c, admin);
  add_to_cart(c, user.access_token, id_of(book), 2);
  auto resp = checkout(c, user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto ct = resp.header("Content-Type");
  REQUIRE(ct.has_value());
  CHECK(ct->rfind("application/json", 0) == 0);
  auto data = resp.json();
  check_order_shape(data);
  CHECK(data["status"] == "confirmed");
  REQUIRE(data["items"].size() == 1);
  auto item = data["items"][0];
  CHECK(item["book_id"] == id_of(book));
  CHECK(item["quantity"] == 2);
  CHECK(item["unit_price"] == "14.99");
  CHECK(item["book"]["title"] == book["title"]);
  CHECK(item["book"]["author"] == "Frank Herbert");
  CHECK(item["book"]["price"] == "14.99");
  CHECK(item["book"]["cover_image_url"].is_null());
  CHECK(data["total_price"] == "29.98");
}

TEST_CASE("an order keeps the price of checkout time whatever the book's price "
          "does later",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto title = "Price Snapshot Book " + unique_word();
  auto book =
      create_book(c, admin, book_fields(title, "Snapshot Author", "19.99"), 5);
  auto book_id = id_of(book);
  add_to_cart(c, user.access_token, book_id, 1);

  // The price changes after the add and before the checkout.
  auto update = c.put(
      "/books/" + std::to_string(book_id),
      {{"title", title}, {"author", "Snapshot Author"}, {"price", "39.99"}},
      admin);
  REQUIRE_STATUS(update, 200);

  auto resp = checkout(c, user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto data = resp.json();
  REQUIRE(data["items"].size() == 1);
  CHECK(data["items"][0]["unit_price"] == "39.99");
  CHECK(data["total_price"] == "39.99");

  // A later price change does not rewrite the order.
  REQUIRE_STATUS(
      c.put("/books/" + std::to_string(book_id), {{"price", "5.00"}}, admin),
      200);
  auto again =
      c.get("/orders/" + std::to_string(id_of(data)), user.access_token);
  REQUIRE_STATUS(again, 200);
  CHECK(again.json()["items"][0]["unit_price"] == "39.99");
  CHECK(again.json()["total_price"] == "39.99");
}

// ---- GET /orders and GET /orders/{id} --------------------------------------

TEST_CASE("a user's orders list newest first", "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto book = sample_book(c, admin);
  auto book2 = create_book(
      c, admin,
      book_fields("Foundation " + unique_word(), "Isaac Asimov", "11.99"), 5);

  add_to_cart(c, user.access_token, id_of(book), 1);
  auto resp1 = checkout(c, user.access_token);
  REQUIRE_STATUS(resp1, 201);
  add_to_cart(c, user.access_token, id_of(book2), 2);
  auto resp2 = checkout(c, user.access_token);
  REQUIRE_STATUS(resp2, 201);

  auto orders = list_orders(c, user.access_token);
  REQUIRE(orders.size() == 2);
  for (auto& order : orders) {
    check_order_shape(order);
    CHECK(order["status"] == "confirmed");
    CHECK(order["items"].size() >= 1);
  }
  // Newest first.
  CHECK(orders[0] == resp2.json());
  CHECK(orders[1] == resp1.json());
  CHECK(orders[0]["total_price"] == "23.98");
  CHECK(orders[1]["total_price"] == "14.99");
}

TEST_CASE("a user's order list shows no one else's orders", "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto user2 = register_user(c, "orders_user2");
  auto book = sample_book(c, admin);
  add_to_cart(c, user.access_token, id_of(book), 1);
  REQUIRE_STATUS(checkout(c, user.access_token), 201);

  CHECK(list_orders(c, user2.access_token) == json::array());
  CHECK(list_orders(c, user.access_token).size() == 1);
}

TEST_CASE("an order read by id equals the checkout's answer", "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto book = sample_book(c, admin);
  add_to_cart(c, user.access_token, id_of(book), 3);
  auto checkout_resp = checkout(c, user.access_token);
  REQUIRE_STATUS(checkout_resp, 201);
  auto order_id = id_of(checkout_resp.json());

  auto detail = c.get("/orders/" + std::to_string(order_id), user.access_token);
  REQUIRE_STATUS(detail, 200);
  auto data = detail.json();
  check_order_shape(data);
  CHECK(data["id"] == order_id);
  CHECK(data["status"] == "confirmed");
  REQUIRE(data["items"].size() == 1);
  CHECK(data["items"][0]["book_id"] == id_of(book));
  CHECK(data["items"][0]["quantity"] == 3);
  CHECK(data == checkout_resp.json());
}

TEST_CASE("an unknown order is 404 ORDER_NOT_FOUND", "[orders]") {
  auto c = client();
  auto user = register_user(c, "orders_user");
  check_error(c.get("/orders/999999", user.access_token), 404,
              "ORDER_NOT_FOUND");
}

TEST_CASE("another user's order is 404 as if it did not exist", "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto user2 = register_user(c, "orders_user2");
  auto book = sample_book(c, admin);
  add_to_cart(c, user.access_token, id_of(book), 1);
  auto checkout_resp = checkout(c, user.access_token);
  REQUIRE_STATUS(checkout_resp, 201);
  auto order_id = id_of(checkout_resp.json());

  check_error(c.get("/orders/" + std::to_string(order_id), user2.access_token),
              404, "ORDER_NOT_FOUND");
}

// ---- GET /admin/orders -----------------------------------------------------

TEST_CASE("an admin lists every user's orders newest first", "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_user");
  auto user2 = register_user(c, "orders_user2");
  auto book = sample_book(c, admin);

  add_to_cart(c, user.access_token, id_of(book), 1);
  auto resp1 = checkout(c, user.access_token);
  REQUIRE_STATUS(resp1, 201);
  add_to_cart(c, user2.access_token, id_of(book), 1);
  auto resp2 = checkout(c, user2.access_token);
  REQUIRE_STATUS(resp2, 201);

  auto admin_resp = c.get("/admin/orders", admin);
  REQUIRE_STATUS(admin_resp, 200);
  auto all = admin_resp.json();
  REQUIRE(all.is_array());
  std::vector<std::int64_t> ids;
  for (auto& o : all) {
    check_order_shape(o);
    ids.push_back(id_of(o));
  }
  auto pos1 = std::find(ids.begin(), ids.end(), id_of(resp1.json()));
  auto pos2 = std::find(ids.begin(), ids.end(), id_of(resp2.json()));
  CHECK(pos1 != ids.end());
  CHECK(pos2 != ids.end());
  // Newest first: user2's order came later.
  CHECK(pos2 < pos1);
  for (std::size_t i = 1; i < all.size(); ++i)
    CHECK(all[i - 1]["created_at"].get<std::string>()
          >= all[i]["created_at"].get<std::string>());
}

TEST_CASE(
    "a listing longer than a page streams every order once and newest first",
    // [node]: the pieces are one process's (in a cluster, a listing passed
    // to the user's node crosses back whole).
    "[orders][node]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "orders_many");
  auto book = stocked_book(c, admin, 1000);
  // More than two pages (of 200 orders): the listing comes in pieces.
  constexpr int placed = 450;
  std::vector<std::int64_t> mine;
  for (int i = 0; i < placed; ++i) {
    add_to_cart(c, user.access_token, id_of(book), 1);
    auto resp = checkout(c, user.access_token);
    REQUIRE_STATUS(resp, 201);
    mine.push_back(id_of(resp.json()));
  }
  std::reverse(mine.begin(), mine.end()); // newest first

  auto own = c.get("/orders", user.access_token);
  REQUIRE_STATUS(own, 200);
  CHECK(own.header("Transfer-Encoding")
        == std::optional<std::string>{"chunked"});
  std::vector<std::int64_t> listed;
  for (const auto& o : own.json()) {
    check_order_shape(o);
    listed.push_back(id_of(o));
  }
  CHECK(listed == mine);

  auto all = c.get("/admin/orders", admin);
  REQUIRE_STATUS(all, 200);
  std::vector<std::int64_t> every;
  for (const auto& o : all.json())
    every.push_back(id_of(o));
  // Strictly decreasing: newest first, none twice, none skipped of ours.
  CHECK(std::adjacent_find(every.begin(), every.end(),
                           std::less_equal<std::int64_t>{})
        == every.end());
  for (auto id : mine)
    CHECK(std::binary_search(every.rbegin(), every.rend(), id));
}

TEST_CASE("a user's token on the admin order listing is 403", "[orders]") {
  auto c = client();
  auto user = register_user(c, "orders_user");
  check_error(c.get("/admin/orders", user.access_token), 403, "AUTH_FORBIDDEN");
}

// ---- more of API.md's checkout rules ---------------------------------------

TEST_CASE("insufficient stock lists every short line and moves nothing",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto short_a = stocked_book(c, admin, 1, "3.00");
  auto short_b = stocked_book(c, admin, 2, "4.00");
  auto fine = stocked_book(c, admin, 5, "5.00");
  add_to_cart(c, user.access_token, id_of(short_a), 3);
  add_to_cart(c, user.access_token, id_of(short_b), 2);
  add_to_cart(c, user.access_token, id_of(fine), 1);
  set_stock(c, admin, id_of(short_b), 1);

  auto resp = checkout(c, user.access_token);
  check_error(resp, 409, "ORDER_INSUFFICIENT_STOCK");
  auto items = resp.json().value("items", json::array());
  REQUIRE(items.size() == 2);
  std::map<std::int64_t, json> by_book;
  for (auto& line : items)
    by_book[line.value("book_id", std::int64_t{0})] = line;
  REQUIRE(by_book.count(id_of(short_a)) == 1);
  REQUIRE(by_book.count(id_of(short_b)) == 1);
  CHECK(by_book[id_of(short_a)]["requested"] == 3);
  CHECK(by_book[id_of(short_a)]["available"] == 1);
  CHECK(by_book[id_of(short_a)]["title"] == short_a["title"]);
  CHECK(by_book[id_of(short_b)]["requested"] == 2);
  CHECK(by_book[id_of(short_b)]["available"] == 1);

  CHECK(book_stock(c, id_of(short_a)) == 1);
  CHECK(book_stock(c, id_of(short_b)) == 1);
  CHECK(book_stock(c, id_of(fine)) == 5);
  CHECK(get_cart(c, user.access_token)["items"].size() == 3);
  CHECK(list_orders(c, user.access_token) == json::array());
}

TEST_CASE("a book deleted while in the cart makes checkout answer "
          "ORDER_ITEMS_UNAVAILABLE",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto gone = stocked_book(c, admin, 3);
  auto kept = stocked_book(c, admin, 3);
  add_to_cart(c, user.access_token, id_of(gone), 1);
  add_to_cart(c, user.access_token, id_of(kept), 2);
  REQUIRE_STATUS(c.del("/books/" + std::to_string(id_of(gone)), admin), 204);

  auto resp = checkout(c, user.access_token);
  check_error(resp, 409, "ORDER_ITEMS_UNAVAILABLE");
  CHECK(book_stock(c, id_of(kept)) == 3);
  CHECK(get_cart(c, user.access_token)["items"].size() == 2);
  CHECK(list_orders(c, user.access_token) == json::array());
}

TEST_CASE("checkout accepts {} and force_payment_failure false and validates "
          "the body",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto book = stocked_book(c, admin, 10);

  add_to_cart(c, user.access_token, id_of(book), 1);
  check_validation_error(c.post("/orders/checkout",
                                {{"force_payment_failure", "yes"}},
                                user.access_token));
  check_validation_error(
      c.send_text("POST", "/orders/checkout", "{not json", user.access_token));
  check_validation_error(
      c.post("/orders/checkout", json::array(), user.access_token));
  CHECK(book_stock(c, id_of(book)) == 10);

  auto r1 = c.post("/orders/checkout", {{"force_payment_failure", false}},
                   user.access_token);
  REQUIRE_STATUS(r1, 201);
  add_to_cart(c, user.access_token, id_of(book), 1);
  auto r2 = c.post("/orders/checkout", json::object(), user.access_token);
  REQUIRE_STATUS(r2, 201);
  CHECK(book_stock(c, id_of(book)) == 8);
}

TEST_CASE("order totals are exact decimal sums", "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto a = stocked_book(c, admin, 10, "0.29");
  auto b = stocked_book(c, admin, 10, "0.10");
  add_to_cart(c, user.access_token, id_of(a), 3);
  add_to_cart(c, user.access_token, id_of(b), 1);
  auto resp = checkout(c, user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto order = resp.json();
  check_order_shape(order);
  CHECK(order["total_price"] == "0.97");
}

TEST_CASE("order routes need a token", "[orders]") {
  auto c = client();
  check_error(c.post("/orders/checkout", json::object()), 401, "AUTH_REQUIRED");
  check_error(c.get("/orders"), 401, "AUTH_REQUIRED");
  check_error(c.get("/orders/1"), 401, "AUTH_REQUIRED");
  check_error(c.get("/admin/orders"), 401, "AUTH_REQUIRED");
}

TEST_CASE("a payment failure moves no stock and a later checkout succeeds",
          "[orders]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto book = stocked_book(c, admin, 4, "12.50");
  add_to_cart(c, user.access_token, id_of(book), 4);
  check_error(checkout(c, user.access_token, true), 402,
              "ORDER_PAYMENT_FAILED");
  CHECK(book_stock(c, id_of(book)) == 4);
  auto ok = checkout(c, user.access_token);
  REQUIRE_STATUS(ok, 201);
  CHECK(ok.json()["total_price"] == "50.00");
  CHECK(book_stock(c, id_of(book)) == 0);
  CHECK(get_cart(c, user.access_token) == empty_cart);
}

TEST_CASE("a payment that does not answer in time is 504 PAYMENT_TIMEOUT "
          "and releases everything",
          "[orders]") {
  // The provider takes 1.5 s; the checkout waits 0.3 s (--checkout-timeout-ms
  // of `bookstore --help`; API.md's default is 10 s).
  server_options opts;
  opts.extra_args = {"--payment-latency-ms", "1500", "--checkout-timeout-ms",
                     "300"};
  auto& srv = shared_server("orders-timeout", opts);
  http_client c{srv.port()};
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto book = stocked_book(c, admin, 3, "6.00");
  add_to_cart(c, user.access_token, id_of(book), 3);

  auto resp = checkout(c, user.access_token);
  check_error(resp, 504, "PAYMENT_TIMEOUT");
  CHECK(book_stock(c, id_of(book)) == 3);
  CHECK(get_cart(c, user.access_token)["items"].size() == 1);
  // Every reservation is released: all 3 copies can be taken off the shelf.
  CHECK_STATUS(c.patch("/books/" + std::to_string(id_of(book)) + "/stock",
                       {{"quantity", 0}}, admin),
               200);
  // The late answer of the provider creates no order.
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));
  CHECK(list_orders(c, user.access_token) == json::array());
  CHECK(book_stock(c, id_of(book)) == 0);
}
