#pragma once

// Internal to the encoders: absent optional fields are JSON nulls.

#include <optional>

#include <nlohmann/json.hpp>

namespace bookstore::json::detail {

/// `value` as JSON, or null when it is absent.
template <class T> nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace bookstore::json::detail
