#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::model {

/// Money is always an integer number of cents; never a floating point value.
using cents = std::int64_t;

/// Largest price a book may have: 1,000,000.00.
constexpr cents max_price = 100'000'000;

/// Parses a non-negative decimal amount with at most two decimals exactly:
/// "14.99" -> 1499, "0.29" -> 29, "14" -> 1400, "14.9" -> 1490. Rejects signs,
/// exponents, blanks, more than two decimals and values that would overflow.
std::optional<cents> parse_money(std::string_view text);

/// Formats with exactly two decimals: 1499 -> "14.99", -50 -> "-0.50".
std::string format_money(cents amount);

} // namespace bookstore::model
