#include "model/money.hpp"

#include <algorithm>
#include <cstddef>

namespace bookstore::model {

namespace {

// 15 integer digits keep every accepted amount far below INT64_MAX cents
// (10^15 * 100 < 9.2 * 10^18), so accumulating can never overflow.
constexpr std::size_t max_integer_digits = 15;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (!is_digit(c)) {
      return false;
    }
  }
  return true;
}

cents digits_value(std::string_view digits) {
  cents value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

} // namespace

std::optional<cents> parse_money(std::string_view text) {
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  // An integer part is mandatory ("", ".5"), and a dot must be followed by
  // one or two digits ("14.", "1.999"); anything else is not a plain amount.
  // Leading zeros do not count ("0000000000000001.00" is one unit).
  const auto significant =
      whole.substr(std::min(whole.find_first_not_of('0'), whole.size()));
  if (whole.empty() || significant.size() > max_integer_digits
      || !all_digits(whole))
    return std::nullopt;
  if (dot != std::string_view::npos
      && (fraction.empty() || fraction.size() > 2 || !all_digits(fraction)))
    return std::nullopt;
  cents fraction_cents = digits_value(fraction);
  if (fraction.size() == 1) {
    fraction_cents *= 10; // "0.1" means ten cents
  }
  return digits_value(whole) * 100 + fraction_cents;
}

std::string format_money(cents amount) {
  // Work on the magnitude as unsigned so INT64_MIN has no overflow either.
  const bool negative = amount < 0;
  const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(amount)
                                  : static_cast<std::uint64_t>(amount);
  const auto fraction = magnitude % 100;
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + fraction / 10);
  out += static_cast<char>('0' + fraction % 10);
  return out;
}

} // namespace bookstore::model
