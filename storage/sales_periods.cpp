// Calendar arithmetic on days since 1970-01-01 (UTC), after Howard Hinnant's
// public-domain civil date algorithms: C++17 has no calendar in <chrono>.

#include "storage/sales_periods.hpp"

#include <cstdint>

#include "model/time.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

namespace {

constexpr std::int64_t seconds_per_day = 86400;

struct civil_date {
  std::int64_t year;
  int month; // 1..12
  int day;   // 1..31
};

/// Division rounding toward minus infinity, so times before 1970 work too.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return civil_date{yoe + era * 400 + (m <= 2), m, d};
}

/// Monday = 0 .. Sunday = 6; 1970-01-01 was a Thursday.
std::int64_t weekday(std::int64_t days) {
  return days - floor_div(days + 3, 7) * 7 + 3;
}

/// Formatted as orders.created_at is: by the same function.
std::string iso_utc(std::int64_t seconds) {
  return model::iso8601_utc(
      std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

std::string iso_day(std::int64_t days) {
  return iso_utc(days * seconds_per_day);
}

} // namespace

sales_window sales_window_of(const std::string& period,
                             std::chrono::system_clock::time_point now) {
  const std::int64_t seconds =
      std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t today = floor_div(seconds, seconds_per_day);
  std::int64_t start = 0;
  std::int64_t previous = 0;
  if (period == "today") {
    start = today;
    previous = today - 1;
  } else if (period == "week") {
    start = today - weekday(today);
    previous = start - 7;
  } else if (period == "month") {
    const civil_date date = civil_from_days(today);
    start = days_from_civil(date.year, date.month, 1);
    previous = date.month == 1 ? days_from_civil(date.year - 1, 12, 1)
                               : days_from_civil(date.year, date.month - 1, 1);
  } else {
    throw error(failure_kind::other, 0, "unknown sales period: " + period);
  }
  return sales_window{iso_day(start), iso_utc(seconds), iso_day(previous)};
}

} // namespace bookstore::storage
