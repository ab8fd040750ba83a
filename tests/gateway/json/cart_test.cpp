// POST /cart/items, PUT /cart/items/{id} and POST /orders/checkout.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "helpers.hpp"

namespace bj = bookstore::json;
using bj::testing::failed;
using bj::testing::has_error;
using bj::testing::only_error;
using nlohmann::json;

TEST_CASE("cart add takes a book id and a quantity defaulting to 1",
          "[json][cart]") {
  const auto one = bj::decode_cart_add(R"({"book_id": 3})");
  REQUIRE(one.ok());
  CHECK(one.value->book_id == 3);
  CHECK(one.value->quantity == 1);

  const auto many = bj::decode_cart_add(R"({"book_id": 4, "quantity": 10000})");
  REQUIRE(many.ok());
  CHECK(many.value->book_id == 4);
  CHECK(many.value->quantity == 10000);

  const auto largest =
      bj::decode_cart_add(R"({"book_id": 9223372036854775807, "extra": [1]})");
  REQUIRE(largest.ok());
  CHECK(largest.value->book_id == 9223372036854775807);
}

TEST_CASE("cart add refuses bad ids and quantities", "[json][cart]") {
  const auto book = json{"body", "book_id"};
  const auto quantity = json{"body", "quantity"};
  CHECK(only_error(bj::decode_cart_add("{}").errors, book, "missing"));
  CHECK(only_error(bj::decode_cart_add(R"({"quantity": 2})").errors, book,
                   "missing"));
  CHECK(only_error(bj::decode_cart_add(R"({"book_id": 0})").errors, book,
                   "greater_than_equal"));
  CHECK(only_error(bj::decode_cart_add(R"({"book_id": -1})").errors, book,
                   "greater_than_equal"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 9223372036854775808})").errors, book,
      "less_than_equal"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 99999999999999999999999})").errors,
      book, "int_type"));
  CHECK(only_error(bj::decode_cart_add(R"({"book_id": "3"})").errors, book,
                   "int_type"));
  CHECK(only_error(bj::decode_cart_add(R"({"book_id": 3.0})").errors, book,
                   "int_type"));
  CHECK(only_error(bj::decode_cart_add(R"({"book_id": null})").errors, book,
                   "int_type"));

  CHECK(
      only_error(bj::decode_cart_add(R"({"book_id": 3, "quantity": 0})").errors,
                 quantity, "greater_than_equal"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": -1})").errors, quantity,
      "greater_than_equal"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": 10001})").errors,
      quantity, "less_than_equal"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": 4294967297})").errors,
      quantity, "less_than_equal"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": 2.0})").errors,
      quantity, "int_type"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": 2.5})").errors,
      quantity, "int_from_float"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": "2"})").errors,
      quantity, "int_type"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": true})").errors,
      quantity, "int_type"));
  CHECK(only_error(
      bj::decode_cart_add(R"({"book_id": 3, "quantity": null})").errors,
      quantity, "int_type"));

  const auto both = bj::decode_cart_add(R"({"book_id": "x", "quantity": 0})");
  CHECK(failed(both));
  CHECK(both.errors.size() == 2);
  CHECK(has_error(both.errors, book, "int_type"));
  CHECK(has_error(both.errors, quantity, "greater_than_equal"));
  CHECK(failed(bj::decode_cart_add(R"([{"book_id": 3}])")));
  CHECK(failed(bj::decode_cart_add(R"({"book_id": 3)")));
}

TEST_CASE("a cart quantity is 1..10000", "[json][cart]") {
  CHECK(bj::decode_cart_quantity(R"({"quantity": 1})").value == 1);
  CHECK(bj::decode_cart_quantity(R"({"quantity": 10000})").value == 10000);
  const auto at = json{"body", "quantity"};
  CHECK(only_error(bj::decode_cart_quantity(R"({"quantity": 0})").errors, at,
                   "greater_than_equal"));
  CHECK(only_error(bj::decode_cart_quantity(R"({"quantity": 10001})").errors,
                   at, "less_than_equal"));
  CHECK(only_error(bj::decode_cart_quantity(R"({"quantity": 1.5})").errors, at,
                   "int_from_float"));
  CHECK(only_error(bj::decode_cart_quantity("{}").errors, at, "missing"));
  CHECK(
      only_error(bj::decode_cart_quantity("").errors, json{"body"}, "missing"));
  CHECK(bj::decode_cart_quantity(R"({"quantity": 0})").errors[0].msg
        == "Input should be greater than or equal to 1");
  CHECK(bj::decode_cart_quantity(R"({"quantity": 10001})").errors[0].msg
        == "Input should be less than or equal to 10000");
}

TEST_CASE("checkout takes an optional boolean", "[json][checkout]") {
  for (const char* body :
       {"", "{}", " {} ", R"({"force_payment_failure": false})",
        R"({"other": 1})"}) {
    CAPTURE(body);
    const auto result = bj::decode_checkout(body);
    REQUIRE(result.ok());
    CHECK_FALSE(result.value->force_payment_failure);
  }
  const auto forced = bj::decode_checkout(R"({"force_payment_failure": true})");
  REQUIRE(forced.ok());
  CHECK(forced.value->force_payment_failure);

  const auto at = json{"body", "force_payment_failure"};
  for (const char* value : {"\"true\"", "1", "0", "null", "[]", "{}"}) {
    CAPTURE(value);
    const auto result = bj::decode_checkout(
        std::string(R"({"force_payment_failure": )") + value + "}");
    CHECK(only_error(result.errors, at, "bool_type"));
  }
  CHECK(failed(bj::decode_checkout("[]")));
  CHECK(failed(bj::decode_checkout("null")));
  CHECK(failed(bj::decode_checkout("{")));
}
