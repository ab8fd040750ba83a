// The pre-booking tests of the original backend
// (backend/tests/test_prebooks.py), each named for what it checks, plus
// API.md's shapes, error details and edges.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("prebooks").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

/// The original's out_of_stock_book fixture and _create_out_of_stock_book.
json out_of_stock_book(http_client& c, const std::string& admin,
                       const std::string& title = "Out of Stock Book") {
  return create_book(c, admin, book_fields(title, "Test Author", "19.99"));
}

/// The original's in_stock_book fixture: stock 10 after creation.
json in_stock_book(http_client& c, const std::string& admin) {
  return create_book(c, admin,
                     book_fields("In Stock Book", "Test Author", "29.99"), 10);
}

response prebook(http_client& c, const std::string& token,
                 std::int64_t book_id) {
  return c.post("/prebooks", {{"book_id", book_id}}, token);
}

json prebook_ok(http_client& c, const std::string& token,
                std::int64_t book_id) {
  auto resp = prebook(c, token, book_id);
  REQUIRE_STATUS(resp, 201);
  return resp.json();
}

json prebooks_of(http_client& c, const std::string& token) {
  auto resp = c.get("/prebooks", token);
  REQUIRE_STATUS(resp, 200);
  return resp.json()["items"];
}

response cancel(http_client& c, const std::string& token, std::int64_t id) {
  return c.del("/prebooks/" + std::to_string(id), token);
}

void check_prebook_shape(const json& p) {
  CHECK(keys_of(p)
        == std::set<std::string>{"id", "book_id", "book_title", "book_author",
                                 "status", "created_at", "notified_at",
                                 "cancelled_at"});
  CHECK(p["id"].is_number_integer());
  CHECK(is_utc_timestamp(p["created_at"]));
}

std::string stock_url(const json& book) {
  return "/books/" + std::to_string(id_of(book)) + "/stock";
}

} // namespace

// ---- POST /prebooks --------------------------------------------------------

TEST_CASE(
    "pre-booking a book out of stock answers 201 with a waiting pre-booking",
    "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin);
  auto resp = prebook(c, user.access_token, id_of(book));
  REQUIRE_STATUS(resp, 201);
  auto data = resp.json();
  check_prebook_shape(data);
  CHECK(data["book_id"] == id_of(book));
  CHECK(data["book_title"] == "Out of Stock Book");
  CHECK(data["book_author"] == "Test Author");
  CHECK(data["status"] == "waiting");
  CHECK(data["notified_at"].is_null());
  CHECK(data["cancelled_at"].is_null());
}

TEST_CASE("pre-booking a book in stock is 409 PREBOOK_BOOK_IN_STOCK",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = in_stock_book(c, admin);
  auto resp = prebook(c, user.access_token, id_of(book));
  check_error(resp, 409, "PREBOOK_BOOK_IN_STOCK");
  CHECK(resp.json()["detail"] == "Book is in stock \u2014 add to cart instead");
  CHECK(resp.json()["field"] == "book_id");
  CHECK(prebooks_of(c, user.access_token) == json::array());
}

TEST_CASE("a second waiting pre-booking of one book is 409 PREBOOK_DUPLICATE",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin);
  prebook_ok(c, user.access_token, id_of(book));
  auto resp = prebook(c, user.access_token, id_of(book));
  check_error(resp, 409, "PREBOOK_DUPLICATE");
  CHECK(resp.json()["detail"]
        == "You already have an active pre-booking for this book");
  CHECK(resp.json()["field"] == "book_id");
}

TEST_CASE("pre-booking an unknown book is 404 BOOK_NOT_FOUND on book_id",
          "[prebooks]") {
  auto c = client();
  auto user = register_user(c, "prebook_user");
  auto resp = prebook(c, user.access_token, 99999);
  check_error(resp, 404, "BOOK_NOT_FOUND");
  CHECK(resp.json()["detail"] == "Book not found");
  CHECK(resp.json()["field"] == "book_id");
}

TEST_CASE("pre-booking without a token is 401", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto book = out_of_stock_book(c, admin);
  check_error(c.post("/prebooks", {{"book_id", id_of(book)}}), 401,
              "AUTH_REQUIRED");
}

// ---- GET /prebooks ---------------------------------------------------------

TEST_CASE("a user without pre-bookings lists an empty items array",
          "[prebooks]") {
  auto c = client();
  auto user = register_user(c, "prebook_user");
  auto resp = c.get("/prebooks", user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(keys_of(resp.json()) == std::set<std::string>{"items"});
  CHECK(resp.json()["items"] == json::array());
}

TEST_CASE("a user's pre-bookings list newest first", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book1 = out_of_stock_book(c, admin, "OOS Book Alpha");
  auto book2 = out_of_stock_book(c, admin, "OOS Book Beta");
  auto first = prebook_ok(c, user.access_token, id_of(book1));
  auto second = prebook_ok(c, user.access_token, id_of(book2));
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 2);
  for (auto& item : items) {
    check_prebook_shape(item);
    CHECK(item["status"] == "waiting");
    CHECK(item["notified_at"].is_null());
    CHECK(item["cancelled_at"].is_null());
  }
  // Newest first (ties: id descending).
  CHECK(items[0] == second);
  CHECK(items[1] == first);
}

TEST_CASE("a user's pre-booking list shows no one else's", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto user2 = register_user(c, "prebook_user2");
  auto book = out_of_stock_book(c, admin);
  prebook_ok(c, user.access_token, id_of(book));
  CHECK(prebooks_of(c, user2.access_token) == json::array());
}

TEST_CASE("the pre-booking list shows cancelled ones beside waiting ones",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book1 = out_of_stock_book(c, admin, "OOS Book For Cancel");
  auto book2 = out_of_stock_book(c, admin, "OOS Book Staying");
  auto created = prebook_ok(c, user.access_token, id_of(book1));
  REQUIRE_STATUS(cancel(c, user.access_token, id_of(created)), 204);
  prebook_ok(c, user.access_token, id_of(book2));
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 2);
  std::set<std::string> statuses;
  for (auto& item : items)
    statuses.insert(item["status"].get<std::string>());
  CHECK(statuses == std::set<std::string>{"cancelled", "waiting"});
}

// ---- DELETE /prebooks/{id} -------------------------------------------------

TEST_CASE("cancelling a pre-booking answers 204 and stamps cancelled_at",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin);
  auto created = prebook_ok(c, user.access_token, id_of(book));
  auto resp = cancel(c, user.access_token, id_of(created));
  REQUIRE_STATUS(resp, 204);
  CHECK(resp.body.empty());
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["status"] == "cancelled");
  CHECK(is_utc_timestamp(items[0]["cancelled_at"]));
  CHECK(items[0]["notified_at"].is_null());
}

TEST_CASE("cancelling a pre-booking twice is 409 PREBOOK_ALREADY_CANCELLED",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin);
  auto created = prebook_ok(c, user.access_token, id_of(book));
  REQUIRE_STATUS(cancel(c, user.access_token, id_of(created)), 204);
  auto resp = cancel(c, user.access_token, id_of(created));
  check_error(resp, 409, "PREBOOK_ALREADY_CANCELLED");
  CHECK(resp.json()["detail"] == "Pre-booking is already cancelled");
}

TEST_CASE("cancelling an unknown pre-booking is 404 PREBOOK_NOT_FOUND",
          "[prebooks]") {
  auto c = client();
  auto user = register_user(c, "prebook_user");
  auto resp = cancel(c, user.access_token, 99999);
  check_error(resp, 404, "PREBOOK_NOT_FOUND");
  CHECK(resp.json()["detail"] == "Pre-booking not found");
}

TEST_CASE("cancelling another user's pre-booking is 404 and leaves it waiting",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto user2 = register_user(c, "prebook_user2");
  auto book = out_of_stock_book(c, admin);
  auto created = prebook_ok(c, user.access_token, id_of(book));
  auto resp = cancel(c, user2.access_token, id_of(created));
  // 404, not 403: another user's pre-booking is not revealed.
  check_error(resp, 404, "PREBOOK_NOT_FOUND");
  CHECK(prebooks_of(c, user.access_token)[0]["status"] == "waiting");
}

TEST_CASE("a book can be pre-booked again after a cancel", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin);
  auto created = prebook_ok(c, user.access_token, id_of(book));
  REQUIRE_STATUS(cancel(c, user.access_token, id_of(created)), 204);
  REQUIRE_STATUS(prebook(c, user.access_token, id_of(book)), 201);
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["status"] == "waiting");
  CHECK(items[1]["status"] == "cancelled");
}

// ---- PATCH /books/{id}/stock notifies waiting pre-bookings -----------------

TEST_CASE("a restock from zero notifies every waiting pre-booking of the book",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto user2 = register_user(c, "prebook_user2");
  auto book = out_of_stock_book(c, admin, "Broadcast Restock Book");
  prebook_ok(c, user.access_token, id_of(book));
  prebook_ok(c, user2.access_token, id_of(book));
  auto restock = c.patch(stock_url(book), {{"quantity", 5}}, admin);
  REQUIRE_STATUS(restock, 200);
  CHECK(restock.json()["stock_quantity"] == 5);
  for (auto* token : {&user.access_token, &user2.access_token}) {
    auto items = prebooks_of(c, *token);
    REQUIRE(items.size() == 1);
    CHECK(items[0]["status"] == "notified");
    CHECK(is_utc_timestamp(items[0]["notified_at"]));
    CHECK(items[0]["cancelled_at"].is_null());
  }
}

TEST_CASE("a restock of a book already in stock notifies nobody again",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin, "Already In Stock Book");
  prebook_ok(c, user.access_token, id_of(book));
  REQUIRE_STATUS(c.patch(stock_url(book), {{"quantity", 5}}, admin), 200);
  auto first = prebooks_of(c, user.access_token)[0];
  REQUIRE(first["status"] == "notified");
  REQUIRE_STATUS(c.patch(stock_url(book), {{"quantity", 10}}, admin), 200);
  auto items = prebooks_of(c, user.access_token);
  CHECK(items[0]["status"] == "notified");
  CHECK(items[0]["notified_at"] == first["notified_at"]);
}

TEST_CASE("a restock leaves cancelled pre-bookings cancelled", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin, "Cancel Before Restock Book");
  auto created = prebook_ok(c, user.access_token, id_of(book));
  REQUIRE_STATUS(cancel(c, user.access_token, id_of(created)), 204);
  REQUIRE_STATUS(c.patch(stock_url(book), {{"quantity", 5}}, admin), 200);
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["status"] == "cancelled");
  CHECK(items[0]["notified_at"].is_null());
}

TEST_CASE("setting the stock of zero to zero notifies nobody", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin, "Zero To Zero Book");
  prebook_ok(c, user.access_token, id_of(book));
  REQUIRE_STATUS(c.patch(stock_url(book), {{"quantity", 0}}, admin), 200);
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["status"] == "waiting");
  CHECK(items[0]["notified_at"].is_null());
}

// ---- API.md beyond the original's tests -------------------------------------

TEST_CASE("a notified pre-booking can be cancelled and blocks no new one",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin, "Notified Then Cancelled");
  auto created = prebook_ok(c, user.access_token, id_of(book));
  set_stock(c, admin, id_of(book), 3);
  set_stock(c, admin, id_of(book), 0);
  // Out of stock again: the notified one does not count as a duplicate.
  auto again = prebook_ok(c, user.access_token, id_of(book));
  REQUIRE_STATUS(cancel(c, user.access_token, id_of(created)), 204);
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["id"] == id_of(again));
  CHECK(items[0]["status"] == "waiting");
  CHECK(items[1]["status"] == "cancelled");
  CHECK(is_utc_timestamp(items[1]["notified_at"]));
  CHECK(is_utc_timestamp(items[1]["cancelled_at"]));
}

TEST_CASE("a book in stock cannot be pre-booked until its last copy is sold",
          "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin, "Sold Out Book");
  set_stock(c, admin, id_of(book), 1);
  CHECK(prebook(c, user.access_token, id_of(book)).status == 409);
  // Sold: stock 0 now, so it can be pre-booked.
  auto buyer = register_user(c, "prebook_buyer");
  add_to_cart(c, buyer.access_token, id_of(book), 1);
  REQUIRE_STATUS(checkout(c, buyer.access_token), 201);
  REQUIRE(book_stock(c, id_of(book)) == 0);
  prebook_ok(c, user.access_token, id_of(book));
}

TEST_CASE("deleting a book drops its pre-bookings", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "prebook_user");
  auto book = out_of_stock_book(c, admin, "Deleted Book");
  auto kept = out_of_stock_book(c, admin, "Kept Book");
  prebook_ok(c, user.access_token, id_of(book));
  prebook_ok(c, user.access_token, id_of(kept));
  REQUIRE_STATUS(c.del("/books/" + std::to_string(id_of(book)), admin), 204);
  auto items = prebooks_of(c, user.access_token);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["book_id"] == id_of(kept));
  check_error(prebook(c, user.access_token, id_of(book)), 404,
              "BOOK_NOT_FOUND");
}

TEST_CASE("a pre-booking's book_id is looked up if it is an integer and 422 "
          "otherwise",
          "[prebooks]") {
  auto c = client();
  auto user = register_user(c, "prebook_user");
  for (long long id : {0LL, -7LL, 9223372036854775807LL})
    check_error(prebook(c, user.access_token, id), 404, "BOOK_NOT_FOUND");
  check_validation_error(
      c.post("/prebooks", {{"book_id", "1"}}, user.access_token));
  check_validation_error(
      c.post("/prebooks", {{"book_id", 2.5}}, user.access_token));
  check_validation_error(
      c.post("/prebooks", json::object(), user.access_token));
  check_validation_error(
      c.send_text("POST", "/prebooks", "[1]", user.access_token));
}

TEST_CASE("an admin token works like a user's on pre-bookings", "[prebooks]") {
  auto c = client();
  auto admin = admin_token(c);
  auto book = out_of_stock_book(c, admin, "Admin Prebook");
  auto created = prebook_ok(c, admin, id_of(book));
  CHECK(created["status"] == "waiting");
  REQUIRE_STATUS(cancel(c, admin, id_of(created)), 204);
}
