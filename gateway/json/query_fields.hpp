#pragma once

// Internal to the decoders: reading one parameter of a parsed query string
// with FastAPI's checks and error shapes (Query(ge=, le=), Query(pattern=)).

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/json/fields.hpp"
#include "gateway/json/query_string.hpp"

namespace bookstore::json::detail {

/// A page of books, reviews or accounts holds at most this many items
/// (API.md: size, per_page).
constexpr std::int64_t max_page_size = 100;
/// The highest page number: the offset (page - 1) * size always fits in 64
/// bits.
constexpr std::int64_t max_page = int64_max / max_page_size;

/// The value of the parameter `name`, or null if it was not sent.
const std::string* find_param(const query_params& params,
                              std::string_view name);

/// The parameter `name` as an integer in [min, max], if sent; a sent value
/// that is not one adds its error to `errors`.
std::optional<std::int64_t> query_integer(const query_params& params,
                                          std::string_view name,
                                          std::int64_t min, std::int64_t max,
                                          field_errors& errors);

/// Sets `target` from the parameter `name` if it is sent and valid.
template <class T>
void read_query_integer(const query_params& params, std::string_view name,
                        std::int64_t min, std::int64_t max, T& target,
                        field_errors& errors) {
  if (auto value = query_integer(params, name, min, max, errors))
    target = static_cast<T>(*value);
}

/// One of `choices`, if sent; another value adds the error a
/// Query(pattern="^(a|b|...)$") check gives.
std::optional<std::string>
read_pattern(const query_params& params, std::string_view name,
             std::initializer_list<const char*> choices, field_errors& errors);

} // namespace bookstore::json::detail
