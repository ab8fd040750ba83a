#pragma once

// The time windows of GET /admin/sales/summary, as the ISO 8601 UTC text
// orders.created_at holds ("YYYY-MM-DDTHH:MM:SSZ"), which compares in time
// order. Pure calendar arithmetic; internal to storage/.

#include <chrono>
#include <string>

namespace bookstore::storage {

struct sales_window {
  std::string current_start;  // inclusive
  std::string now;            // inclusive end of the current period
  std::string previous_start; // the previous period is [previous_start,
                              // current_start)
};

/// For "today": since 00:00 today, previous = all of yesterday. "week":
/// since Monday 00:00, previous = all of last Monday..Sunday. "month": since
/// the 1st 00:00, previous = all of last calendar month. The previous period
/// is always the full one, not the same elapsed span, as in the original
/// backend. Any other period throws storage::error (failure_kind::other).
sales_window sales_window_of(const std::string& period,
                             std::chrono::system_clock::time_point now);

} // namespace bookstore::storage
