#include "model/review.hpp"

#include <chrono>
#include <cstdio>

#include "model/text.hpp"
#include "model/time.hpp"

namespace bookstore::model {

bool valid_review_text(const std::optional<std::string>& text) {
  return !text || length_within(*text, 0, max_review_text);
}

std::string review_time_text(std::int64_t micros) {
  std::int64_t seconds = micros / 1000000;
  std::int64_t fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  auto text = iso8601_utc(
      std::chrono::system_clock::time_point{std::chrono::seconds{seconds}});
  if (fraction == 0)
    return text;
  char digits[8];
  std::snprintf(digits, sizeof digits, ".%06lld",
                static_cast<long long>(fraction));
  text.insert(text.size() - 1, digits);
  return text;
}

std::string display_name_of(const std::string& email) {
  return email.substr(0, email.find('@'));
}

} // namespace bookstore::model
