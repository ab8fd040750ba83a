#pragma once

// Internal to the decoders: reading typed, range-checked values out of a
// parsed JSON body or a query string, each failure recorded as one
// pydantic-style field error. Nothing here throws.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/json/errors.hpp"
#include "model/money.hpp"

namespace bookstore::json::detail {

using location = std::vector<nlohmann::json>;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

/// Parses `body` as a JSON object. Records a "json_invalid" error for
/// malformed JSON, "missing" for an empty body (unless `empty_is_object`)
/// and "model_attributes_type" for anything but an object.
std::optional<nlohmann::json> parse_object(std::string_view body,
                                           field_errors& errors,
                                           bool empty_is_object = false);

/// The member `name` of `object`, or nullptr when absent.
const nlohmann::json* member(const nlohmann::json& object,
                             std::string_view name);

/// {"body", name}.
location body_at(std::string_view name);

/// {"query", name}.
location query_at(std::string_view name);

void add_error(field_errors& errors, const location& at, std::string type,
               std::string msg);

/// "Field required".
void add_missing(field_errors& errors, const location& at);

/// "Input should be greater than or equal to {min}".
void add_below_min(field_errors& errors, const location& at,
                   const std::string& min);

/// "Input should be less than or equal to {max}".
void add_above_max(field_errors& errors, const location& at,
                   const std::string& max);

/// True for one or more ASCII digits.
bool is_digits(std::string_view text);

/// A JSON string of `min_chars`..`max_chars` code points.
std::optional<std::string>
read_string(const nlohmann::json& value, const location& at,
            std::size_t min_chars, std::size_t max_chars, field_errors& errors);

/// A JSON integer (not 2.0, "2" or true) in `min`..`max`.
std::optional<std::int64_t> read_integer(const nlohmann::json& value,
                                         const location& at, std::int64_t min,
                                         std::int64_t max,
                                         field_errors& errors);

/// A JSON boolean.
std::optional<bool> read_bool(const nlohmann::json& value, const location& at,
                              field_errors& errors);

/// Money in `min`..`max` cents: a string or a number with at most two
/// decimals, read exactly in decimal.
std::optional<model::cents> read_money(const nlohmann::json& value,
                                       const location& at, model::cents min,
                                       model::cents max, field_errors& errors);

/// Money written as text (a JSON string or a query parameter).
std::optional<model::cents> money_from_text(std::string_view text,
                                            const location& at,
                                            model::cents min, model::cents max,
                                            field_errors& errors);

/// An integer written as text (a query parameter): optional sign, digits.
std::optional<std::int64_t>
integer_from_text(std::string_view text, const location& at, std::int64_t min,
                  std::int64_t max, field_errors& errors);

/// Text of a query parameter: valid UTF-8 of at most `max_chars` code
/// points.
std::optional<std::string> text_from_query(std::string_view text,
                                           const location& at,
                                           std::size_t max_chars,
                                           field_errors& errors);

/// Reads the required member `name` of `object` with `read(value, at)`, or
/// records "Field required". Returns what `read` returns (an optional).
template <class Read>
auto required(const nlohmann::json& object, std::string_view name,
              field_errors& errors, Read read) {
  const auto at = body_at(name);
  const auto* value = member(object, name);
  using result = decltype(read(object, at));
  if (value == nullptr) {
    add_missing(errors, at);
    return result{};
  }
  return read(*value, at);
}

/// Reads the member `name` when present (null included: `read` decides).
template <class Read>
auto optional_member(const nlohmann::json& object, std::string_view name,
                     Read read) {
  const auto* value = member(object, name);
  using result = decltype(read(object, location{}));
  if (value == nullptr) {
    return result{};
  }
  return read(*value, body_at(name));
}

} // namespace bookstore::json::detail
