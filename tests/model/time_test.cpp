#include <catch2/catch.hpp>

#include <chrono>

#include "model/time.hpp"

using bookstore::model::is_valid_date;
using bookstore::model::iso8601_utc;
using bookstore::model::unix_now;

namespace {

std::chrono::system_clock::time_point at_seconds(long long seconds) {
  return std::chrono::system_clock::time_point{std::chrono::seconds{seconds}};
}

} // namespace

TEST_CASE("iso8601_utc writes whole seconds in UTC with Z", "[time]") {
  CHECK(iso8601_utc(at_seconds(0)) == "1970-01-01T00:00:00Z");
  CHECK(iso8601_utc(at_seconds(1772038260)) == "2026-02-25T16:51:00Z");
  CHECK(iso8601_utc(at_seconds(951782400)) == "2000-02-29T00:00:00Z");
  // Sub-second parts are dropped, never rounded up into the next second.
  const auto almost = at_seconds(1772038260) + std::chrono::milliseconds{999};
  CHECK(iso8601_utc(almost) == "2026-02-25T16:51:00Z");
}

TEST_CASE("unix_now is the system clock in whole seconds", "[time]") {
  using namespace std::chrono;
  const auto before =
      duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  const auto now = unix_now();
  const auto after =
      duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  CHECK(before <= now);
  CHECK(now <= after);
  // Seconds, not milliseconds: the same second iso8601_utc names.
  CHECK(iso8601_utc(at_seconds(now)) >= iso8601_utc(at_seconds(before)));
  CHECK(iso8601_utc(at_seconds(now)).substr(0, 2) == "20");
}

TEST_CASE("real calendar dates are accepted", "[time]") {
  const char* good =
      GENERATE("2024-02-29", "2000-02-29", "2023-02-28", "1999-12-31",
               "2026-01-01", "0001-01-01", "2023-04-30", "2023-01-31");
  CAPTURE(good);
  CHECK(is_valid_date(good));
}

TEST_CASE("impossible or malformed dates are refused", "[time]") {
  const char* bad = GENERATE(
      "2023-02-29", "1900-02-29", "2024-02-30", "2023-04-31", "2023-13-01",
      "2023-00-10", "2023-01-00", "2023-01-32", "0000-01-01", "2023-1-01",
      "2023-01-1", "23-01-01", "2023/01/01", "2023-01-01T00:00:00Z", "",
      " 2023-01-01", "2023-01-0a", "+023-01-01");
  CAPTURE(bad);
  CHECK_FALSE(is_valid_date(bad));
}
