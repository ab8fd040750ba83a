// The wishlist tests of the original backend (backend/tests/test_wishlist.py),
// each named for what it checks, plus API.md's shapes, error details and edges.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("wishlist").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

// The original's sample_book and sample_book2 fixtures (stock 0).
json sample_book(http_client& c, const std::string& admin) {
  return create_book(
      c, admin,
      book_fields("The Lord of the Rings", "J.R.R. Tolkien", "24.99"));
}

json sample_book2(http_client& c, const std::string& admin) {
  return create_book(c, admin,
                     book_fields("Neuromancer", "William Gibson", "14.99"));
}

json add_to_wishlist(http_client& c, const std::string& token,
                     std::int64_t book_id) {
  auto resp = c.post("/wishlist", {{"book_id", book_id}}, token);
  REQUIRE_STATUS(resp, 201);
  return resp.json();
}

json wishlist_of(http_client& c, const std::string& token) {
  auto resp = c.get("/wishlist", token);
  REQUIRE_STATUS(resp, 200);
  return resp.json();
}

void check_item_shape(const json& item) {
  CHECK(keys_of(item)
        == std::set<std::string>{"id", "book_id", "added_at", "book"});
  CHECK(item["id"].is_number_integer());
  CHECK(is_utc_timestamp(item["added_at"]));
  CHECK(keys_of(item["book"])
        == std::set<std::string>{"id", "title", "author", "price",
                                 "stock_quantity", "cover_image_url"});
  CHECK(is_money(item["book"]["price"]));
  CHECK(item["book"]["stock_quantity"].is_number_integer());
}

} // namespace

// ---- POST /wishlist --------------------------------------------------------

TEST_CASE(
    "wishlisting a book answers 201 with the item and a summary of the book",
    "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  auto resp =
      c.post("/wishlist", {{"book_id", id_of(book)}}, user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto data = resp.json();
  check_item_shape(data);
  CHECK(data["book_id"] == id_of(book));
  CHECK(data["book"]["id"] == id_of(book));
  CHECK(data["book"]["title"] == "The Lord of the Rings");
  CHECK(data["book"]["author"] == "J.R.R. Tolkien");
  CHECK(data["book"]["price"] == "24.99");
  CHECK(data["book"]["stock_quantity"] == 0);
  CHECK(data["book"]["cover_image_url"].is_null());
}

TEST_CASE("wishlisting a book twice is 409 WISHLIST_ITEM_DUPLICATE",
          "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  auto resp =
      c.post("/wishlist", {{"book_id", id_of(book)}}, user.access_token);
  check_error(resp, 409, "WISHLIST_ITEM_DUPLICATE");
  // The storefront matches on "already" in the detail.
  CHECK(resp.json()["detail"] == "This book is already on your wishlist");
  CHECK(resp.json()["field"] == "book_id");
  CHECK(wishlist_of(c, user.access_token)["items"].size() == 1);
}

TEST_CASE("wishlisting an unknown book is 404 BOOK_NOT_FOUND on book_id",
          "[wishlist]") {
  auto c = client();
  auto user = register_user(c, "wishlist_user");
  auto resp = c.post("/wishlist", {{"book_id", 999999}}, user.access_token);
  check_error(resp, 404, "BOOK_NOT_FOUND");
  CHECK(resp.json()["detail"] == "Book not found");
  CHECK(resp.json()["field"] == "book_id");
}

TEST_CASE("wishlisting without a token is 401", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto book = sample_book(c, admin);
  check_error(c.post("/wishlist", {{"book_id", id_of(book)}}), 401,
              "AUTH_REQUIRED");
}

// ---- GET /wishlist ---------------------------------------------------------

TEST_CASE("the wishlist lists the items that were added", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  auto added = add_to_wishlist(c, user.access_token, id_of(book));
  auto data = wishlist_of(c, user.access_token);
  CHECK(keys_of(data) == std::set<std::string>{"items"});
  REQUIRE(data["items"].size() == 1);
  auto item = data["items"][0];
  check_item_shape(item);
  CHECK(item == added);
  CHECK(item["book_id"] == id_of(book));
  CHECK(item["book"]["title"] == "The Lord of the Rings");
  CHECK(item["book"]["author"] == "J.R.R. Tolkien");
}

TEST_CASE("a new user's wishlist is empty", "[wishlist]") {
  auto c = client();
  auto user = register_user(c, "wishlist_user");
  CHECK(wishlist_of(c, user.access_token)["items"] == json::array());
}

TEST_CASE("reading the wishlist without a token is 401", "[wishlist]") {
  auto c = client();
  check_error(c.get("/wishlist"), 401, "AUTH_REQUIRED");
}

TEST_CASE("a user's wishlist shows no one else's items", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto user2 = register_user(c, "wishlist_user2");
  auto book = sample_book(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  CHECK(wishlist_of(c, user2.access_token)["items"] == json::array());
}

TEST_CASE("the wishlist lists the latest addition first", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  auto book2 = sample_book2(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  add_to_wishlist(c, user.access_token, id_of(book2));
  auto items = wishlist_of(c, user.access_token)["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["book_id"] == id_of(book2));
  CHECK(items[1]["book_id"] == id_of(book));
}

TEST_CASE("the wishlist holds several books at once", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  auto book2 = sample_book2(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  add_to_wishlist(c, user.access_token, id_of(book2));
  auto items = wishlist_of(c, user.access_token)["items"];
  REQUIRE(items.size() == 2);
  std::set<std::int64_t> ids;
  for (auto& item : items)
    ids.insert(item["book_id"].get<std::int64_t>());
  CHECK(ids == std::set<std::int64_t>{id_of(book), id_of(book2)});
}

// ---- DELETE /wishlist/{book_id} --------------------------------------------

TEST_CASE("removing a wishlisted book answers 204 and empties the list",
          "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  auto resp =
      c.del("/wishlist/" + std::to_string(id_of(book)), user.access_token);
  REQUIRE_STATUS(resp, 204);
  CHECK(resp.body.empty());
  CHECK(wishlist_of(c, user.access_token)["items"] == json::array());
}

TEST_CASE("removing a book that is not on the wishlist is 404 "
          "WISHLIST_ITEM_NOT_FOUND",
          "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  auto resp =
      c.del("/wishlist/" + std::to_string(id_of(book)), user.access_token);
  check_error(resp, 404, "WISHLIST_ITEM_NOT_FOUND");
  CHECK(resp.json()["detail"] == "Wishlist item not found");
  CHECK(resp.json()["field"] == "book_id");
}

TEST_CASE("removing from the wishlist without a token is 401", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto book = sample_book(c, admin);
  check_error(c.del("/wishlist/" + std::to_string(id_of(book))), 401,
              "AUTH_REQUIRED");
}

// ---- API.md beyond the original's tests -------------------------------------

TEST_CASE("the wishlist shows the book's current price and stock",
          "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  set_stock(c, admin, id_of(book), 7);
  REQUIRE_STATUS(c.put("/books/" + std::to_string(id_of(book)),
                       {{"price", "19.50"}}, admin),
                 200);
  auto item = wishlist_of(c, user.access_token)["items"][0];
  CHECK(item["book"]["stock_quantity"] == 7);
  CHECK(item["book"]["price"] == "19.50");
}

TEST_CASE("removing one user's item leaves another's", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto user2 = register_user(c, "wishlist_user2");
  auto book = sample_book(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  add_to_wishlist(c, user2.access_token, id_of(book));
  REQUIRE_STATUS(
      c.del("/wishlist/" + std::to_string(id_of(book)), user.access_token),
      204);
  CHECK(wishlist_of(c, user2.access_token)["items"].size() == 1);
  // Removed: it can be added again.
  add_to_wishlist(c, user.access_token, id_of(book));
}

TEST_CASE("deleting a book unlists it from every wishlist", "[wishlist]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "wishlist_user");
  auto book = sample_book(c, admin);
  auto kept = sample_book2(c, admin);
  add_to_wishlist(c, user.access_token, id_of(book));
  add_to_wishlist(c, user.access_token, id_of(kept));
  REQUIRE_STATUS(c.del("/books/" + std::to_string(id_of(book)), admin), 204);
  auto items = wishlist_of(c, user.access_token)["items"];
  REQUIRE(items.size() == 1);
  CHECK(items[0]["book_id"] == id_of(kept));
  check_error(
      c.post("/wishlist", {{"book_id", id_of(book)}}, user.access_token), 404,
      "BOOK_NOT_FOUND");
}

TEST_CASE(
    "a wishlisted book_id is looked up if it is an integer and 422 otherwise",
    "[wishlist]") {
  auto c = client();
  auto user = register_user(c, "wishlist_user");
  for (long long id : {0LL, -5LL, 9223372036854775807LL})
    check_error(c.post("/wishlist", {{"book_id", id}}, user.access_token), 404,
                "BOOK_NOT_FOUND");
  check_validation_error(
      c.post("/wishlist", {{"book_id", "abc"}}, user.access_token));
  check_validation_error(
      c.post("/wishlist", {{"book_id", 1.5}}, user.access_token));
  check_validation_error(
      c.post("/wishlist", {{"book_id", nullptr}}, user.access_token));
  check_validation_error(
      c.post("/wishlist", json::object(), user.access_token));
  check_validation_error(
      c.send_text("POST", "/wishlist", "{not json", user.access_token));
  CHECK(validation_mentions(
      c.post("/wishlist", json::object(), user.access_token), "book_id"));
}
