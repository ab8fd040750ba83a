// The money rule, through the price of POST /books and PUT /books/{id}.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "helpers.hpp"

namespace bj = bookstore::json;
using bj::testing::describe;
using bj::testing::only_error;
using nlohmann::json;

namespace {

// A new book whose price member is the raw JSON text `price`.
bj::decoded<bookstore::model::book> with_price(const std::string& price) {
  return bj::decode_new_book(R"({"title": "T", "author": "A", "price": )"
                             + price + "}");
}

std::optional<bookstore::model::cents> price_of(const std::string& price) {
  const auto result = with_price(price);
  INFO(price << " -> " << describe(result.errors));
  return result.ok() ? std::optional(result.value->price) : std::nullopt;
}

std::string error_type(const std::string& price) {
  const auto result = with_price(price);
  INFO(price);
  REQUIRE(result.errors.size() == 1);
  CHECK(json(result.errors[0].loc) == json{"body", "price"});
  return result.errors[0].type;
}

} // namespace

TEST_CASE("money reads strings and numbers exactly in decimal",
          "[json][money]") {
  CHECK(price_of(R"("14.99")") == 1499);
  CHECK(price_of("14.99") == 1499);
  CHECK(price_of("0.29") == 29); // not 28 from 0.28999999999999998
  CHECK(price_of(R"("0.29")") == 29);
  CHECK(price_of("14.9") == 1490);
  CHECK(price_of(R"("14.9")") == 1490);
  CHECK(price_of("15") == 1500);
  CHECK(price_of(R"("15")") == 1500);
  CHECK(price_of("15.0") == 1500);
  CHECK(price_of("15.00") == 1500);
  CHECK(price_of("1e2") == 10000);
  CHECK(price_of("1.5E1") == 1500);
  CHECK(price_of("0.01") == 1);
  CHECK(price_of(R"("0.01")") == 1);
  CHECK(price_of("1000000") == 100'000'000);
  CHECK(price_of("1000000.00") == 100'000'000);
  CHECK(price_of(R"("1000000.00")") == 100'000'000);
  CHECK(price_of("999999.99") == 99'999'999);
  CHECK(price_of("0.07") == 7);
  CHECK(price_of("1.10") == 110);
  CHECK(price_of("19.99") == 1999);
  CHECK(price_of(R"("007.50")") == 750);
}

TEST_CASE("money outside 0.01..1000000.00 is a range error", "[json][money]") {
  CHECK(error_type("0") == "greater_than");
  CHECK(error_type("0.0") == "greater_than");
  CHECK(error_type(R"("0.00")") == "greater_than");
  CHECK(error_type("-1") == "greater_than");
  CHECK(error_type("-0.5") == "greater_than");
  CHECK(error_type("-0.0") == "greater_than");
  CHECK(error_type(R"("-1")") == "greater_than");
  CHECK(error_type(R"("-0")") == "greater_than");
  CHECK(error_type("1000000.01") == "less_than_equal");
  CHECK(error_type(R"("1000000.01")") == "less_than_equal");
  CHECK(error_type("1000001") == "less_than_equal");
  CHECK(error_type("1e20") == "less_than_equal");
  CHECK(error_type("-1e20") == "greater_than");
  CHECK(error_type("9223372036854775807") == "less_than_equal");
  CHECK(error_type("18446744073709551615") == "less_than_equal");
  CHECK(error_type("-9223372036854775808") == "greater_than");
  CHECK(error_type("123456789012345678901234567890") == "less_than_equal");
  CHECK(error_type(R"("1234567890123456789")") == "less_than_equal");
  CHECK(error_type(R"("-1234567890123456789")") == "greater_than");
  const auto message = with_price("0").errors.at(0).msg;
  CHECK(message == "Input should be greater than 0");
  CHECK(with_price("1000000.01").errors.at(0).msg
        == "Input should be less than or equal to 1000000");
}

TEST_CASE("money with more than two decimals is refused", "[json][money]") {
  CHECK(error_type("14.999") == "decimal_max_places");
  CHECK(error_type(R"("14.999")") == "decimal_max_places");
  CHECK(error_type(R"("14.990")") == "decimal_max_places");
  CHECK(error_type("0.001") == "decimal_max_places");
  CHECK(error_type("1e-7") == "decimal_max_places");
  CHECK(error_type("0.30000000000000004") == "decimal_max_places");
  CHECK(error_type("14.989999999999998") == "decimal_max_places");
  CHECK(with_price("14.999").errors.at(0).msg
        == "Decimal input should have no more than 2 decimal places");
}

TEST_CASE("money that is no number is a type or parsing error",
          "[json][money]") {
  CHECK(error_type("true") == "decimal_type");
  CHECK(error_type("false") == "decimal_type");
  CHECK(error_type("null") == "decimal_type");
  CHECK(error_type("[14.99]") == "decimal_type");
  CHECK(error_type(R"({"amount": 1})") == "decimal_type");
  CHECK(error_type(R"("")") == "decimal_parsing");
  CHECK(error_type(R"("abc")") == "decimal_parsing");
  CHECK(error_type(R"("1e2")") == "decimal_parsing");
  CHECK(error_type(R"("14.")") == "decimal_parsing");
  CHECK(error_type(R"(".5")") == "decimal_parsing");
  CHECK(error_type(R"(" 14.99")") == "decimal_parsing");
  CHECK(error_type(R"("14,99")") == "decimal_parsing");
  CHECK(error_type(R"("+5")") == "decimal_parsing");
  CHECK(error_type(R"("--5")") == "decimal_parsing");
  CHECK(error_type(R"("NaN")") == "decimal_parsing");
  CHECK(error_type(R"("Infinity")") == "decimal_parsing");
  CHECK(error_type(R"("0x10")") == "decimal_parsing");
}

TEST_CASE("money beyond double range is refused and not wrapped",
          "[json][money]") {
  // The parser refuses numbers beyond double range: malformed JSON.
  for (const char* huge : {"1e400", "-1e400"}) {
    const auto result = with_price(huge);
    REQUIRE_FALSE(result.ok());
    CHECK(result.errors.at(0).type == "json_invalid");
  }
  // Underflow reads as 0, which is no price.
  CHECK(error_type("1e-400") == "greater_than");
}

TEST_CASE("a patch price follows the same rule", "[json][money]") {
  const auto result = bj::decode_book_patch(R"({"price": 0.29})");
  REQUIRE(result.ok());
  CHECK(result.value->price == 29);
  CHECK(bj::decode_book_patch(R"({"price": "14.99"})").value->price == 1499);
  CHECK(only_error(bj::decode_book_patch(R"({"price": 1.001})").errors,
                   json{"body", "price"}, "decimal_max_places"));
  CHECK(only_error(bj::decode_book_patch(R"({"price": 0})").errors,
                   json{"body", "price"}, "greater_than"));
  CHECK(only_error(bj::decode_book_patch(R"({"price": null})").errors,
                   json{"body", "price"}, "decimal_type"));
}
