#include "model/time.hpp"

#include <cstdio>
#include <ctime>

namespace bookstore::model {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int number_at(const std::string& text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    value = value * 10 + (text[pos + i] - '0');
  }
  return value;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) {
    return 29;
  }
  return days[month - 1];
}

// Exactly "DDDD-DD-DD": no signs, blanks or shorter fields.
bool has_date_shape(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && !is_digit(text[i])) {
      return false;
    }
  }
  return true;
}

} // namespace

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso8601_utc(std::chrono::system_clock::time_point at) {
  // Floor, not to_time_t: its rounding is unspecified and a timestamp must
  // never name a second that has not started yet.
  const auto since_epoch =
      std::chrono::floor<std::chrono::seconds>(at.time_since_epoch());
  const auto seconds = static_cast<std::time_t>(since_epoch.count());
  std::tm utc{};
  // gmtime_r is reentrant; actors format timestamps on several threads.
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

bool is_valid_date(const std::string& text) {
  if (!has_date_shape(text)) {
    return false;
  }
  const int year = number_at(text, 0, 4);
  const int month = number_at(text, 5, 2);
  const int day = number_at(text, 8, 2);
  if (year < 1 || month < 1 || month > 12) {
    return false;
  }
  return day >= 1 && day <= days_in_month(year, month);
}

} // namespace bookstore::model
