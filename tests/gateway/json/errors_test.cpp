#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/errors.hpp"

namespace bj = bookstore::json;
namespace model = bookstore::model;
using nlohmann::json;

TEST_CASE("error_body has detail and code and a field only when given",
          "[json][errors]") {
  CHECK(bj::error_body("BOOK_NOT_FOUND", "Book not found")
        == R"({"detail":"Book not found","code":"BOOK_NOT_FOUND"})");
  CHECK(bj::error_body("BOOK_ISBN_CONFLICT", "Taken", "isbn")
        == R"({"detail":"Taken","code":"BOOK_ISBN_CONFLICT","field":"isbn"})");
}

TEST_CASE("error_body escapes and never throws on bad UTF-8",
          "[json][errors]") {
  const auto body = bj::error_body("X", "quote \" back \\ \n");
  CHECK(nlohmann::json::parse(body)["detail"] == "quote \" back \\ \n");
  std::string broken = "bad \xff\xfe byte";
  std::string out;
  REQUIRE_NOTHROW(out = bj::error_body("X", broken));
  CHECK(nlohmann::json::parse(out)["detail"]
        == "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
}

TEST_CASE("validation_body lists type and loc and msg", "[json][errors]") {
  bj::field_errors errors{
      {{"body", "price"}, "Input should be greater than 0", "greater_than"},
      {{"body", 17}, "JSON decode error", "json_invalid"},
  };
  CHECK(bj::validation_body(errors)
        == R"({"detail":[{"type":"greater_than","loc":["body","price"],)"
           R"("msg":"Input should be greater than 0"},{"type":"json_invalid",)"
           R"("loc":["body",17],"msg":"JSON decode error"}],)"
           R"("code":"VALIDATION_ERROR"})");
  CHECK(bj::validation_body({})
        == R"({"detail":[],"code":"VALIDATION_ERROR"})");
}

TEST_CASE("field_error defaults to value_error", "[json][errors]") {
  bj::field_error error{{"query", "size"}, "bad"};
  CHECK(error.type == "value_error");
}

TEST_CASE("insufficient_stock_body lists every short line", "[json][errors]") {
  std::vector<model::shortage> items{{7, "Dune", 3, 1},
                                     {9, "Emma \"E\"", 2, 0}};
  const auto body = nlohmann::json::parse(bj::insufficient_stock_body(items));
  CHECK(body == nlohmann::json::parse(R"({
    "detail": "Insufficient stock for one or more items",
    "code": "ORDER_INSUFFICIENT_STOCK",
    "items": [
      {"book_id": 7, "title": "Dune", "requested": 3, "available": 1},
      {"book_id": 9, "title": "Emma \"E\"", "requested": 2, "available": 0}
    ]})"));
  CHECK(bj::insufficient_stock_body(items).rfind(R"({"detail":)", 0) == 0);
}

TEST_CASE("to_field_error places a model failure in the body",
          "[json][errors]") {
  const model::failure isbn{model::error_code::validation_error,
                            "isbn must be a valid ISBN-10 or ISBN-13", "isbn"};
  const auto error = bj::to_field_error(isbn);
  CHECK(nlohmann::json(error.loc) == nlohmann::json({"body", "isbn"}));
  CHECK(error.msg == isbn.detail);
  CHECK(error.type == "value_error");

  const model::failure bare{model::error_code::validation_error, "", ""};
  const auto at_query = bj::to_field_error(bare, "query");
  CHECK(nlohmann::json(at_query.loc) == nlohmann::json({"query"}));
  CHECK(at_query.msg == model::default_message(bare.code));
}

TEST_CASE("dump_body replaces bad UTF-8 instead of throwing",
          "[json][errors]") {
  nlohmann::json value = {{"title", std::string("a\xc3")}};
  std::string out;
  REQUIRE_NOTHROW(out = bj::dump_body(value));
  CHECK(out == "{\"title\":\"a\xEF\xBF\xBD\"}");
}
