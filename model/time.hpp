#pragma once

#include <chrono>
#include <string>

namespace bookstore::model {

/// ISO 8601 UTC with a trailing Z and whole seconds: "2026-02-25T16:51:00Z".
std::string iso8601_utc(std::chrono::system_clock::time_point at);

/// True for a real calendar date written "YYYY-MM-DD".
bool is_valid_date(const std::string& text);

} // namespace bookstore::model
