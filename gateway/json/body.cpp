// Parsing a request body into a JSON object, and recording field errors.

#include "gateway/json/fields.hpp"

#include <utility>

namespace bookstore::json::detail {

namespace {

using nlohmann::json;

bool is_json_blank(std::string_view text) {
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

} // namespace

std::optional<json> parse_object(std::string_view body, field_errors& errors,
                                 bool empty_is_object) {
  if (is_json_blank(body)) {
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

void add_below_min(field_errors& errors, const location& at,
                   const std::string& min) {
  add_error(errors, at, "greater_than_equal",
            "Input should be greater than or equal to " + min);
}

void add_above_max(field_errors& errors, const location& at,
                   const std::string& max) {
  add_error(errors, at, "less_than_equal",
            "Input should be less than or equal to " + max);
}

bool is_digits(std::string_view text) {
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

} // namespace bookstore::json::detail
