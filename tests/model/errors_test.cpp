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
  std::set<std::string> names;
  const auto last = static_cast<int>(error_code::internal_error);
  for (int i = 0; i <= last; ++i) {
    const auto code = static_cast<error_code>(i);
    CAPTURE(i);
    names.insert(code_name(code));
    CHECK(std::strlen(default_message(code)) > 0);
  }
  CHECK(names.size() == static_cast<std::size_t>(last) + 1);
}
