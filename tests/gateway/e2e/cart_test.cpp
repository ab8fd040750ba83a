// The cart tests of the original backend (backend/tests/test_cart.py),
// each named for what it checks, plus API.md's cart shapes and limits.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("cart").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

// The original's sample_book fixture: "The Hobbit", 12.99, stock 10.
json sample_book(http_client& c, const std::string& admin) {
  return create_book(
      c, admin,
      book_fields("The Hobbit " + unique_word(), "J.R.R. Tolkien", "12.99"),
      10);
}

json out_of_stock_book(http_client& c, const std::string& admin) {
  return create_book(
      c, admin,
      book_fields("Out of Print Book " + unique_word(), "Some Author", "8.99"));
}

std::string item_path(const json& item) {
  return "/cart/items/" + std::to_string(id_of(item));
}

} // namespace

// ---- POST /cart/items and GET /cart ----------------------------------------

TEST_CASE("adding a book answers 201 with the item and a summary of the book",
          "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  auto resp = c.post("/cart/items", {{"book_id", id_of(book)}, {"quantity", 2}},
                     user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto data = resp.json();
  check_cart_item_shape(data);
  CHECK(data["book_id"] == id_of(book));
  CHECK(data["quantity"] == 2);
  CHECK(data["book"]["title"] == book["title"]);
  CHECK(data["book"]["author"] == "J.R.R. Tolkien");
  CHECK(data["book"]["price"] == "12.99");
  CHECK(data["book"]["cover_image_url"].is_null());
}

TEST_CASE("the cart lists its items with total_items and total_price",
          "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  auto item = add_to_cart(c, user.access_token, id_of(book), 3);

  auto resp = c.get("/cart", user.access_token);
  REQUIRE_STATUS(resp, 200);
  auto data = resp.json();
  CHECK(keys_of(data)
        == std::set<std::string>{"items", "total_items", "total_price"});
  REQUIRE(data["items"].size() == 1);
  check_cart_item_shape(data["items"][0]);
  CHECK(data["items"][0] == item);
  CHECK(data["items"][0]["book_id"] == id_of(book));
  CHECK(data["items"][0]["quantity"] == 3);
  CHECK(data["total_items"] == 3);
  CHECK(data["total_price"] == "38.97");
}

TEST_CASE("an empty cart has no items and a total of 0.00", "[cart]") {
  auto c = client();
  auto user = register_user(c, "cart_user");
  auto resp = c.get("/cart", user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json()
        == json::parse(
            R"({"items": [], "total_items": 0, "total_price": "0.00"})"));
}

TEST_CASE("every cart route without a token is 401 AUTH_REQUIRED", "[cart]") {
  auto c = client();
  check_error(c.get("/cart"), 401, "AUTH_REQUIRED");
  check_error(c.post("/cart/items", {{"book_id", 1}, {"quantity", 1}}), 401,
              "AUTH_REQUIRED");
  check_error(c.put("/cart/items/1", {{"quantity", 1}}), 401, "AUTH_REQUIRED");
  check_error(c.del("/cart/items/1"), 401, "AUTH_REQUIRED");
}

TEST_CASE("adding a book out of stock is 409 CART_BOOK_OUT_OF_STOCK",
          "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = out_of_stock_book(c, admin);
  check_error(c.post("/cart/items", {{"book_id", id_of(book)}, {"quantity", 1}},
                     user.access_token),
              409, "CART_BOOK_OUT_OF_STOCK");
  CHECK(get_cart(c, user.access_token)["items"].empty());
}

TEST_CASE("adding an unknown book is 404 BOOK_NOT_FOUND", "[cart]") {
  auto c = client();
  auto user = register_user(c, "cart_user");
  check_error(c.post("/cart/items", {{"book_id", 999999}, {"quantity", 1}},
                     user.access_token),
              404, "BOOK_NOT_FOUND");
}

TEST_CASE("adding a book already in the cart is 409 CART_ITEM_DUPLICATE and "
          "keeps the line",
          "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  add_to_cart(c, user.access_token, id_of(book), 1);
  check_error(c.post("/cart/items", {{"book_id", id_of(book)}, {"quantity", 1}},
                     user.access_token),
              409, "CART_ITEM_DUPLICATE");
  auto cart = get_cart(c, user.access_token);
  REQUIRE(cart["items"].size() == 1);
  CHECK(cart["items"][0]["quantity"] == 1);
}

TEST_CASE("adding a quantity of 0 is 422", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  auto resp = c.post("/cart/items", {{"book_id", id_of(book)}, {"quantity", 0}},
                     user.access_token);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "quantity"));
}

// ---- PUT and DELETE /cart/items/{id} ---------------------------------------

TEST_CASE("putting a quantity replaces the line's quantity", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  auto item = add_to_cart(c, user.access_token, id_of(book), 1);
  auto resp = c.put(item_path(item), {{"quantity", 5}}, user.access_token);
  REQUIRE_STATUS(resp, 200);
  auto data = resp.json();
  check_cart_item_shape(data);
  CHECK(data["id"] == item["id"]);
  CHECK(data["quantity"] == 5);
  CHECK(data["book_id"] == id_of(book));
  CHECK(get_cart(c, user.access_token)["total_items"] == 5);
}

TEST_CASE("putting an unknown item is 404 CART_ITEM_NOT_FOUND", "[cart]") {
  auto c = client();
  auto user = register_user(c, "cart_user");
  check_error(c.put("/cart/items/99999", {{"quantity", 5}}, user.access_token),
              404, "CART_ITEM_NOT_FOUND");
}

TEST_CASE("putting another user's item is 403 CART_ITEM_FORBIDDEN and changes "
          "nothing",
          "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto other = register_user(c, "cart_other");
  auto book = sample_book(c, admin);
  auto item = add_to_cart(c, user.access_token, id_of(book), 1);
  check_error(c.put(item_path(item), {{"quantity", 99}}, other.access_token),
              403, "CART_ITEM_FORBIDDEN");
  CHECK(get_cart(c, user.access_token)["items"][0]["quantity"] == 1);
}

TEST_CASE("deleting an item answers 204 and a second delete 404", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  auto item = add_to_cart(c, user.access_token, id_of(book), 1);
  auto del = c.del(item_path(item), user.access_token);
  REQUIRE_STATUS(del, 204);
  CHECK(del.body.empty());
  CHECK(get_cart(c, user.access_token)["items"] == json::array());
  // Gone now.
  check_error(c.del(item_path(item), user.access_token), 404,
              "CART_ITEM_NOT_FOUND");
}

TEST_CASE("deleting an unknown item is 404 CART_ITEM_NOT_FOUND", "[cart]") {
  auto c = client();
  auto user = register_user(c, "cart_user");
  check_error(c.del("/cart/items/99999", user.access_token), 404,
              "CART_ITEM_NOT_FOUND");
}

// ---- cross-session persistence and totals ----------------------------------

TEST_CASE("the cart outlives the login session that filled it", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_persist");
  auto book = sample_book(c, admin);
  auto first = login(c, user.email, user.password);
  add_to_cart(c, first, id_of(book), 2);
  auto second = login(c, user.email, user.password);
  auto data = get_cart(c, second);
  REQUIRE(data["items"].size() == 1);
  CHECK(data["items"][0]["book_id"] == id_of(book));
  CHECK(data["items"][0]["quantity"] == 2);
}

TEST_CASE("the totals add up every line of the cart", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "cart_user");
  auto book = sample_book(c, admin);
  auto book2 = create_book(
      c, admin,
      book_fields("Foundation " + unique_word(), "Isaac Asimov", "9.99"), 5);
  add_to_cart(c, user.access_token, id_of(book), 2);
  add_to_cart(c, user.access_token, id_of(book2), 3);
  auto data = get_cart(c, user.access_token);
  REQUIRE(data["items"].size() == 2);
  for (auto& item : data["items"])
    check_cart_item_shape(item);
  CHECK(data["total_items"] == 5);
  CHECK(data["total_price"] == "55.95");
}

// ---- API.md details
// ----------------------------------------------------------

TEST_CASE("deleting another user's cart item is 403 CART_ITEM_FORBIDDEN",
          "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto other = register_user(c);
  auto book = sample_book(c, admin);
  auto item = add_to_cart(c, user.access_token, id_of(book), 1);
  check_error(c.del(item_path(item), other.access_token), 403,
              "CART_ITEM_FORBIDDEN");
  CHECK(get_cart(c, user.access_token)["items"].size() == 1);
}

TEST_CASE("quantity defaults to 1 and is bounded to 1..10000", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto book = sample_book(c, admin);
  auto resp =
      c.post("/cart/items", {{"book_id", id_of(book)}}, user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto item = resp.json();
  CHECK(item["quantity"] == 1);

  auto path = item_path(item);
  CHECK_STATUS(c.put(path, {{"quantity", 10000}}, user.access_token), 200);
  check_validation_error(c.put(path, {{"quantity", 10001}}, user.access_token));
  check_validation_error(c.put(path, {{"quantity", 0}}, user.access_token));
  check_validation_error(c.put(path, {{"quantity", -3}}, user.access_token));
  check_validation_error(c.put(path, {{"quantity", 2.5}}, user.access_token));
  check_validation_error(
      c.put(path, {{"quantity", "many"}}, user.access_token));
  check_validation_error(c.put(path, json::object(), user.access_token));
  check_validation_error(c.send_text(
      "PUT", path, R"({"quantity": 99999999999999999999})", user.access_token));
  CHECK(get_cart(c, user.access_token)["items"][0]["quantity"] == 10000);

  auto book2 = sample_book(c, admin);
  check_validation_error(
      c.post("/cart/items", {{"book_id", id_of(book2)}, {"quantity", 10001}},
             user.access_token));
  check_validation_error(c.post(
      "/cart/items", {{"book_id", "abc"}, {"quantity", 1}}, user.access_token));
  check_validation_error(
      c.post("/cart/items", {{"quantity", 1}}, user.access_token));
  CHECK_STATUS(c.post("/cart/items",
                      {{"book_id", id_of(book2)}, {"quantity", 10000}},
                      user.access_token),
               201);
}

TEST_CASE("adding to the cart reserves nothing", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto a = register_user(c);
  auto b = register_user(c);
  auto book = stocked_book(c, admin, 2, "7.00");
  add_to_cart(c, a.access_token, id_of(book), 2);
  add_to_cart(c, b.access_token, id_of(book), 2);
  CHECK(book_stock(c, id_of(book)) == 2);
}

TEST_CASE("cart lines show the book's current price", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  auto book = stocked_book(c, admin, 5, "10.00");
  add_to_cart(c, user.access_token, id_of(book), 2);
  REQUIRE_STATUS(c.put("/books/" + std::to_string(id_of(book)),
                       {{"price", "12.25"}}, admin),
                 200);
  auto cart = get_cart(c, user.access_token);
  CHECK(cart["items"][0]["book"]["price"] == "12.25");
  CHECK(cart["total_price"] == "24.50");
}

TEST_CASE("an admin token works on the cart like any user's", "[cart]") {
  auto c = client();
  auto admin = admin_token(c);
  CHECK_STATUS(c.get("/cart", admin), 200);
}
