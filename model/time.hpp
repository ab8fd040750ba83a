#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace bookstore::model {

/// Whole seconds since the Unix epoch, by the system clock: the one clock of
/// token lifetimes, idempotency windows and the refresh-token purge.
std::int64_t unix_now();

/// ISO 8601 UTC with a trailing Z and whole seconds: "2026-02-25T16:51:00Z".
std::string iso8601_utc(std::chrono::system_clock::time_point at);

/// True for a real calendar date written "YYYY-MM-DD".
bool is_valid_date(const std::string& text);

} // namespace bookstore::model
