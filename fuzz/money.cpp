// Fuzzes model/money.hpp: parse_money and format_money, and the money rule
// of the JSON decoders that builds on them (json::detail::money_from_text).
//
// Invariants:
// - parse_money accepts exactly digits (at most 15 after leading zeros),
//   optionally '.' and 1..2 digits, and reads them exactly (checked against
//   a 128-bit reference); a leading zero more changes nothing;
// - format_money(parse_money(x)) parses back to the same amount, and an
//   amount written with two decimals and no leading zero formats back to
//   the same text;
// - format_money of any 64-bit amount (INT64_MIN included) is the exact
//   decimal with two decimals, and parses back where parse_money's range
//   reaches;
// - money_from_text never throws and answers an amount within the bounds
//   it was given (the exact one, or +-int64_max for a plain decimal too
//   long to read), or one error.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "gateway/json/fields.hpp"
#include "model/money.hpp"

namespace {

namespace model = bookstore::model;
using bookstore::fuzz::no_throw;

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

std::optional<model::cents> reference_parse(std::string_view text) {
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || !all_digits(whole))
    return std::nullopt;
  std::size_t significant = whole.size();
  for (char c : whole) {
    if (c != '0')
      break;
    --significant;
  }
  if (significant > 15)
    return std::nullopt;
  if (dot != std::string_view::npos
      && (fraction.empty() || fraction.size() > 2 || !all_digits(fraction)))
    return std::nullopt;
  __int128 value = 0;
  for (char c : whole)
    value = value * 10 + (c - '0');
  value *= 100;
  if (fraction.size() >= 1)
    value += (fraction[0] - '0') * 10;
  if (fraction.size() == 2)
    value += fraction[1] - '0';
  return static_cast<model::cents>(value);
}

std::string reference_format(model::cents amount) {
  __int128 v = amount;
  const bool negative = v < 0;
  if (negative)
    v = -v;
  std::string digits;
  do {
    digits.insert(digits.begin(),
                  static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  while (digits.size() < 3)
    digits.insert(digits.begin(), '0');
  digits.insert(digits.end() - 2, '.');
  return (negative ? "-" : "") + digits;
}

void check_format(model::cents amount) {
  const auto text = model::format_money(amount);
  FUZZ_CHECK(text == reference_format(amount));
  if (amount >= 0 && amount < 100'000'000'000'000'000) // 15 integer digits
    FUZZ_CHECK(model::parse_money(text) == amount);
  if (amount < 0 && amount > -100'000'000'000'000'000)
    FUZZ_CHECK(text[0] == '-' && model::parse_money(text.substr(1)) == -amount);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);

  const auto parsed = model::parse_money(text);
  FUZZ_CHECK(parsed == reference_parse(text));
  if (parsed) {
    FUZZ_CHECK(*parsed >= 0);
    const auto formatted = model::format_money(*parsed);
    FUZZ_CHECK(model::parse_money(formatted) == parsed);
    const auto dot = text.find('.');
    const bool canonical = dot != std::string_view::npos
                           && text.size() - dot == 3
                           && (dot == 1 || text[0] != '0');
    FUZZ_CHECK(!canonical || formatted == text);
  }

  // The bytes as a 64-bit amount.
  if (size >= sizeof(model::cents)) {
    model::cents amount;
    std::memcpy(&amount, bytes, sizeof amount);
    check_format(amount);
  }
  check_format(std::numeric_limits<model::cents>::min());
  check_format(std::numeric_limits<model::cents>::max());

  // The decoders' money rule, with bounds of the request's choosing.
  namespace detail = bookstore::json::detail;
  bookstore::json::field_errors errors;
  model::cents min = 0;
  model::cents max = model::max_price;
  if (size >= 2) {
    min = bytes[0] % 3 == 0 ? 0 : bytes[0] % 3 == 1 ? 1 : -model::max_price;
    max = bytes[1] % 2 == 0 ? model::max_price : detail::int64_max;
  }
  const auto amount = no_throw("money_from_text", [&] {
    return detail::money_from_text(text, detail::body_at("price"), min, max,
                                   errors);
  });
  FUZZ_CHECK(amount.has_value() == errors.empty());
  FUZZ_CHECK(errors.size() <= 1);
  if (amount) {
    FUZZ_CHECK(*amount >= min && *amount <= max);
    // The exact amount, or a plain decimal too long for parse_money,
    // saturated (only a bound of int64_max lets it through).
    const bool negative = !text.empty() && text[0] == '-';
    const auto magnitude = negative ? text.substr(1) : text;
    if (const auto exact = model::parse_money(magnitude)) {
      FUZZ_CHECK(*amount == (negative ? -*exact : *exact));
    } else {
      FUZZ_CHECK(*amount
                 == (negative ? -detail::int64_max : detail::int64_max));
      FUZZ_CHECK(!magnitude.empty()
                 && magnitude.find_first_not_of("0123456789.")
                        == std::string_view::npos);
    }
  }
  // Leading zeros change nothing.
  FUZZ_CHECK(model::parse_money("0" + std::string(text)) == parsed
             || text.empty() || text[0] == '.');
  return 0;
}
