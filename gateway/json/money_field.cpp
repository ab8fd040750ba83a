// The money rule: a JSON string or number with at most two decimals, read
// exactly in decimal into cents; anything else is a pydantic-style error.

#include "gateway/json/fields.hpp"

#include <cmath>

namespace bookstore::json::detail {

namespace {

using nlohmann::json;

// An amount as pydantic prints a bound: "0", "0.01", "1000000".
std::string amount_text(model::cents amount) {
  return amount % 100 == 0 ? std::to_string(amount / 100)
                           : model::format_money(amount);
}

std::optional<model::cents> money_in_range(model::cents value,
                                           const location& at, model::cents min,
                                           model::cents max,
                                           field_errors& errors) {
  if (value < min) {
    if (min == 1) {
      add_error(errors, at, "greater_than", "Input should be greater than 0");
    } else {
      add_below_min(errors, at, amount_text(min));
    }
    return std::nullopt;
  }
  if (value > max) {
    add_above_max(errors, at, amount_text(max));
    return std::nullopt;
  }
  return value;
}

void add_decimal_parsing(field_errors& errors, const location& at) {
  add_error(errors, at, "decimal_parsing", "Input should be a valid decimal");
}

void add_max_places(field_errors& errors, const location& at) {
  add_error(errors, at, "decimal_max_places",
            "Decimal input should have no more than 2 decimal places");
}

} // namespace

std::optional<model::cents> read_money(const json& value, const location& at,
                                       model::cents min, model::cents max,
                                       field_errors& errors) {
  constexpr model::cents max_units = int64_max / 100;
  if (value.is_string()) {
    return money_from_text(value.get_ref<const std::string&>(), at, min, max,
                           errors);
  }
  if (value.is_number_unsigned()) {
    const auto units = value.get<std::uint64_t>();
    if (units > static_cast<std::uint64_t>(max_units)) {
      add_above_max(errors, at, amount_text(max));
      return std::nullopt;
    }
    return money_in_range(static_cast<model::cents>(units) * 100, at, min, max,
                          errors);
  }
  if (value.is_number_integer()) {
    const auto units = value.get<std::int64_t>();
    if (units < -max_units) {
      return money_in_range(std::numeric_limits<model::cents>::min(), at, min,
                            max, errors);
    }
    return money_in_range(units * 100, at, min, max, errors);
  }
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (!std::isfinite(number)) {
      add_error(errors, at, "finite_number", "Input should be a finite number");
      return std::nullopt;
    }
    // The shortest text that reads back as the same double: 0.29 -> "0.29",
    // exactly what the client wrote when it wrote at most two decimals.
    const std::string text = value.dump();
    if (text.find_first_of("eE") != std::string::npos) {
      // Only below 1e-4 or from 1e15 up: too small to be cents or too big.
      if (std::fabs(number) >= 1) {
        return money_in_range(number < 0 ? -int64_max : int64_max, at, min, max,
                              errors);
      }
      add_max_places(errors, at);
      return std::nullopt;
    }
    return money_from_text(text, at, min, max, errors);
  }
  add_error(errors, at, "decimal_type",
            "Decimal input should be an integer, float, string or Decimal "
            "object");
  return std::nullopt;
}

std::optional<model::cents> money_from_text(std::string_view text,
                                            const location& at,
                                            model::cents min, model::cents max,
                                            field_errors& errors) {
  const bool negative = !text.empty() && text.front() == '-';
  const auto magnitude = negative ? text.substr(1) : text;
  if (const auto amount = model::parse_money(magnitude)) {
    return money_in_range(negative ? -*amount : *amount, at, min, max, errors);
  }
  // Not an amount parse_money takes: say why, as pydantic would.
  const auto dot = magnitude.find('.');
  const auto whole = magnitude.substr(0, dot);
  const auto fraction = dot == std::string_view::npos
                            ? std::string_view{}
                            : magnitude.substr(dot + 1);
  const bool decimal =
      is_digits(whole)
      && (dot == std::string_view::npos || is_digits(fraction));
  if (!decimal) {
    add_decimal_parsing(errors, at);
    return std::nullopt;
  }
  if (fraction.size() > 2) {
    add_max_places(errors, at);
    return std::nullopt;
  }
  // A plain decimal that parse_money refused can only be too long.
  return money_in_range(negative ? -int64_max : int64_max, at, min, max,
                        errors);
}

} // namespace bookstore::json::detail
