#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/errors.hpp"

namespace bookstore::model {

using review_id = std::int64_t;

/// The longest review text, in code points.
constexpr std::size_t max_review_text = 2000;

/// True for review text the API accepts: null, or at most 2000 code points
/// of valid UTF-8.
bool valid_review_text(const std::optional<std::string>& text);

/// What PATCH /reviews/{id} changes: an absent rating keeps it; an absent
/// text keeps it, an engaged outer optional holding nothing clears it.
struct review_patch {
  std::optional<std::int64_t> rating;
  std::optional<std::optional<std::string>> text;
};

/// A review time (microseconds since the epoch, UTC) as the original writes
/// it: "2026-02-25T16:51:00.123456Z", the fraction left out when it is 0.
std::string review_time_text(std::int64_t micros);

/// The display name of a review's author: the email up to the '@'.
std::string display_name_of(const std::string& email);

} // namespace bookstore::model
