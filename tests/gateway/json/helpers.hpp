#pragma once

// Shared checks of the JSON mapping tests.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "gateway/json/errors.hpp"

namespace bookstore::json::testing {

/// The errors as the 422 body shows them, for failure messages.
inline std::string describe(const field_errors& errors) {
  return validation_body(errors);
}

/// True if exactly one error exists and it is at `loc` with `type`.
inline bool only_error(const field_errors& errors, const nlohmann::json& loc,
                       std::string_view type) {
  return errors.size() == 1 && nlohmann::json(errors[0].loc) == loc
         && errors[0].type == type && !errors[0].msg.empty();
}

/// True if some error is at `loc` with `type`.
inline bool has_error(const field_errors& errors, const nlohmann::json& loc,
                      std::string_view type) {
  for (const auto& error : errors) {
    if (nlohmann::json(error.loc) == loc && error.type == type) {
      return true;
    }
  }
  return false;
}

/// A failed decode: no value and at least one error.
template <class T> bool failed(const decoded<T>& result) {
  return !result.ok() && !result.value && !result.errors.empty();
}

/// `count` copies of `piece`.
inline std::string repeat(std::string_view piece, std::size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (std::size_t i = 0; i < count; ++i) {
    out += piece;
  }
  return out;
}

} // namespace bookstore::json::testing
