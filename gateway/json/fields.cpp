#include "gateway/json/fields.hpp"

#include <cmath>
#include <utility>

#include "model/text.hpp"

namespace bookstore::json::detail {

namespace {

using nlohmann::json;

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return false;
    }
  }
  return true;
}

// Finds where malformed JSON goes wrong by running the SAX parser again: it
// reports the offset without exceptions. Only failed bodies pay for this.
class error_locator : public nlohmann::json_sax<json> {
public:
  std::size_t offset = 0;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    // `position` counts the characters read, the offending one included.
    offset = position > 0 ? position - 1 : 0;
    return false;
  }
};

std::size_t error_offset(std::string_view body) {
  error_locator locator;
  json::sax_parse(body.begin(), body.end(), &locator);
  return locator.offset;
}

std::string plural(std::size_t count, const char* word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// An amount as pydantic prints a bound: "0", "0.01", "1000000".
std::string amount_text(model::cents amount) {
  return amount % 100 == 0 ? std::to_string(amount / 100)
                           : model::format_money(amount);
}

void below(field_errors& errors, const location& at, const std::string& min) {
  add_error(errors, at, "greater_than_equal",
            "Input should be greater than or equal to " + min);
}

void above(field_errors& errors, const location& at, const std::string& max) {
  add_error(errors, at, "less_than_equal",
            "Input should be less than or equal to " + max);
}

std::optional<std::int64_t> integer_in_range(std::int64_t value,
                                             const location& at,
                                             std::int64_t min, std::int64_t max,
                                             field_errors& errors) {
  if (value < min) {
    below(errors, at, std::to_string(min));
    return std::nullopt;
  }
  if (value > max) {
    above(errors, at, std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<model::cents> money_in_range(model::cents value,
                                           const location& at, model::cents min,
                                           model::cents max,
                                           field_errors& errors) {
  if (value < min) {
    if (min == 1) {
      add_error(errors, at, "greater_than", "Input should be greater than 0");
    } else {
      below(errors, at, amount_text(min));
    }
    return std::nullopt;
  }
  if (value > max) {
    above(errors, at, amount_text(max));
    return std::nullopt;
  }
  return value;
}

bool all_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

void add_decimal_parsing(field_errors& errors, const location& at) {
  add_error(errors, at, "decimal_parsing", "Input should be a valid decimal");
}

void add_max_places(field_errors& errors, const location& at) {
  add_error(errors, at, "decimal_max_places",
            "Decimal input should have no more than 2 decimal places");
}

} // namespace

std::optional<json> parse_object(std::string_view body, field_errors& errors,
                                 bool empty_is_object) {
  if (is_blank(body)) {
    if (empty_is_object) {
      return json::object();
    }
    add_missing(errors, {"body"});
    return std::nullopt;
  }
  auto parsed = json::parse(body.begin(), body.end(), nullptr, false);
  if (parsed.is_discarded()) {
    add_error(errors, {"body", error_offset(body)}, "json_invalid",
              "JSON decode error");
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    add_error(errors, {"body"}, "model_attributes_type",
              "Input should be a valid dictionary or object to extract "
              "fields from");
    return std::nullopt;
  }
  return parsed;
}

const json* member(const json& object, std::string_view name) {
  const auto found = object.find(std::string(name));
  return found == object.end() ? nullptr : &*found;
}

location body_at(std::string_view name) {
  return {"body", std::string(name)};
}

location query_at(std::string_view name) {
  return {"query", std::string(name)};
}

void add_error(field_errors& errors, const location& at, std::string type,
               std::string msg) {
  errors.push_back(field_error{at, std::move(msg), std::move(type)});
}

void add_missing(field_errors& errors, const location& at) {
  add_error(errors, at, "missing", "Field required");
}

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
      above(errors, at, std::to_string(max));
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
      above(errors, at, amount_text(max));
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
      all_digits(whole)
      && (dot == std::string_view::npos || all_digits(fraction));
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

std::optional<std::int64_t>
integer_from_text(std::string_view text, const location& at, std::int64_t min,
                  std::int64_t max, field_errors& errors) {
  const bool negative = !text.empty() && text.front() == '-';
  const auto digits =
      !text.empty() && (text.front() == '-' || text.front() == '+')
          ? text.substr(1)
          : text;
  if (!all_digits(digits)) {
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
        below(errors, at, std::to_string(min));
      } else {
        above(errors, at, std::to_string(max));
      }
      return std::nullopt;
    }
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == lowest) {
      above(errors, at, std::to_string(max));
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
