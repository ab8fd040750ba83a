#pragma once

// Error bodies of API.md: {"detail": "...", "code": "...", "field": "..."},
// the 422 list of field errors and the 409 shortage list of a checkout.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/errors.hpp"
#include "model/order.hpp"

namespace bookstore::json {

/// One entry of a 422 `detail` list, shaped like pydantic's errors.
struct field_error {
  /// Where: {"body", "price"}, {"query", "size"}, {"body", 17} (a byte
  /// offset of malformed JSON). Strings and integers only.
  std::vector<nlohmann::json> loc;
  std::string msg;
  /// pydantic's error type: "missing", "string_type", "int_type", ...
  std::string type = "value_error";
};

using field_errors = std::vector<field_error>;

/// `{"detail": detail, "code": code}` plus `"field"` when `field` is not
/// empty.
std::string error_body(std::string_view code, std::string_view detail,
                       std::string_view field = {});

/// `{"detail": [{"type", "loc", "msg"}...], "code": "VALIDATION_ERROR"}`.
std::string validation_body(const field_errors& errors);

/// The 409 of a checkout: `{"detail", "code": "ORDER_INSUFFICIENT_STOCK",
/// "items": [{book_id, title, requested, available}...]}`.
std::string insufficient_stock_body(const std::vector<model::shortage>& items);

/// A model rejection (code validation_error) as a field error at
/// {where, failure.field}, or at {where} when it names no field.
field_error to_field_error(const model::failure& failure,
                           std::string_view where = "body");

/// Serializes a response body. Invalid UTF-8 is replaced by U+FFFD instead
/// of throwing, so a body is always produced.
std::string dump_body(const nlohmann::json& body);
std::string dump_body(const nlohmann::ordered_json& body);

} // namespace bookstore::json
