// Typed readers of strings, integers and booleans, from JSON or query text.

#include "gateway/json/fields.hpp"

#include <cmath>

#include "model/text.hpp"

namespace bookstore::json::detail {

namespace {

using nlohmann::json;

std::string plural(std::size_t count, const char* word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

std::optional<std::int64_t> integer_in_range(std::int64_t value,
                                             const location& at,
                                             std::int64_t min, std::int64_t max,
                                             field_errors& errors) {
  if (value < min) {
    add_below_min(errors, at, std::to_string(min));
    return std::nullopt;
  }
  if (value > max) {
    add_above_max(errors, at, std::to_string(max));
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<std::string> read_string(const json& value, const location& at,
                                       std::size_t min_chars,
                                       std::size_t max_chars,
                                       field_errors& errors) {
  if (!value.is_string()) {
    add_error(errors, at, "string_type", "Input should be a valid string");
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  const auto count = model::code_points(text);
  if (!count) {
    // The parser checks UTF-8 already; this guards a hand-built value.
    add_error(errors, at, "string_unicode",
              "Input should be a valid string, unable to parse raw data as a "
              "unicode string");
    return std::nullopt;
  }
  if (*count < min_chars) {
    add_error(errors, at, "string_too_short",
              "String should have at least " + plural(min_chars, "character"));
    return std::nullopt;
  }
  if (*count > max_chars) {
    add_error(errors, at, "string_too_long",
              "String should have at most " + plural(max_chars, "character"));
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> read_integer(const json& value, const location& at,
                                         std::int64_t min, std::int64_t max,
                                         field_errors& errors) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(int64_max)) {
      add_above_max(errors, at, std::to_string(max));
      return std::nullopt;
    }
    return integer_in_range(static_cast<std::int64_t>(number), at, min, max,
                            errors);
  }
  if (value.is_number_integer()) {
    return integer_in_range(value.get<std::int64_t>(), at, min, max, errors);
  }
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (std::isfinite(number) && std::floor(number) != number) {
      add_error(errors, at, "int_from_float",
                "Input should be a valid integer, got a number with a "
                "fractional part");
      return std::nullopt;
    }
  }
  // 2.0, "2", true, null: only JSON integers are integers here.
  add_error(errors, at, "int_type", "Input should be a valid integer");
  return std::nullopt;
}

std::optional<bool> read_bool(const json& value, const location& at,
                              field_errors& errors) {
  if (!value.is_boolean()) {
    add_error(errors, at, "bool_type", "Input should be a valid boolean");
    return std::nullopt;
  }
  return value.get<bool>();
}

std::optional<std::int64_t>
integer_from_text(std::string_view text, const location& at, std::int64_t min,
                  std::int64_t max, field_errors& errors) {
  const bool negative = !text.empty() && text.front() == '-';
  const auto digits =
      !text.empty() && (text.front() == '-' || text.front() == '+')
          ? text.substr(1)
          : text;
  if (!is_digits(digits)) {
    add_error(errors, at, "int_parsing",
              "Input should be a valid integer, unable to parse string as an "
              "integer");
    return std::nullopt;
  }
  // Accumulate negatively: the range of int64 is wider on that side.
  std::int64_t value = 0;
  constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
  for (char c : digits) {
    const int digit = c - '0';
    if (value < (lowest + digit) / 10) {
      if (negative) {
        add_below_min(errors, at, std::to_string(min));
      } else {
        add_above_max(errors, at, std::to_string(max));
      }
      return std::nullopt;
    }
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == lowest) {
      add_above_max(errors, at, std::to_string(max));
      return std::nullopt;
    }
    value = -value;
  }
  return integer_in_range(value, at, min, max, errors);
}

std::optional<std::string> text_from_query(std::string_view text,
                                           const location& at,
                                           std::size_t max_chars,
                                           field_errors& errors) {
  return read_string(json(std::string(text)), at, 0, max_chars, errors);
}

} // namespace bookstore::json::detail
