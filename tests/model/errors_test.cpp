#include <catch2/catch.hpp>

#include <cstring>
#include <set>
#include <string>

#include "model/errors.hpp"

using bookstore::model::code_name;
using bookstore::model::default_message;
using bookstore::model::error_code;

TEST_CASE("code names match API.md", "[errors]") {
  CHECK(std::string(code_name(error_code::none)) == "NONE");
  CHECK(std::string(code_name(error_code::validation_error))
        == "VALIDATION_ERROR");
  CHECK(std::string(code_name(error_code::book_not_found)) == "BOOK_NOT_FOUND");
  CHECK(std::string(code_name(error_code::cart_book_out_of_stock))
        == "CART_BOOK_OUT_OF_STOCK");
  CHECK(std::string(code_name(error_code::checkout_in_progress))
        == "CHECKOUT_IN_PROGRESS");
  CHECK(std::string(code_name(error_code::order_insufficient_stock))
        == "ORDER_INSUFFICIENT_STOCK");
  CHECK(std::string(code_name(error_code::idempotency_in_progress))
        == "IDEMPOTENCY_IN_PROGRESS");
  CHECK(std::string(code_name(error_code::store_unavailable))
        == "STORE_UNAVAILABLE");
  CHECK(std::string(code_name(error_code::internal_error)) == "INTERNAL_ERROR");
}

TEST_CASE("every code has a distinct name and a message", "[errors]") {
  // Codes are appended after internal_error too, so every value of the
  // underlying type is tried; those beyond the enumeration fall back to
  // INTERNAL_ERROR.
  std::set<std::string> names;
  std::size_t codes = 0;
  for (int i = 0; i < 256; ++i) {
    const auto code = static_cast<error_code>(i);
    const std::string name = code_name(code);
    if (name == "INTERNAL_ERROR" && code != error_code::internal_error)
      continue;
    CAPTURE(i);
    ++codes;
    names.insert(name);
    CHECK(std::strlen(default_message(code)) > 0);
  }
  CHECK(codes > static_cast<std::size_t>(error_code::internal_error));
  CHECK(names.size() == codes);
}
