#include "gateway/json/query_fields.hpp"

namespace bookstore::json::detail {

const std::string* find_param(const query_params& params,
                              std::string_view name) {
  const auto found = params.find(name);
  return found == params.end() ? nullptr : &found->second;
}

std::optional<std::int64_t> query_integer(const query_params& params,
                                          std::string_view name,
                                          std::int64_t min, std::int64_t max,
                                          field_errors& errors) {
  if (const auto* text = find_param(params, name))
    return integer_from_text(*text, query_at(name), min, max, errors);
  return std::nullopt;
}

std::optional<std::string>
read_pattern(const query_params& params, std::string_view name,
             std::initializer_list<const char*> choices, field_errors& errors) {
  const auto* text = find_param(params, name);
  if (text == nullptr)
    return std::nullopt;
  std::string pattern = "^(";
  for (const char* choice : choices) {
    if (*text == choice)
      return *text;
    pattern += choice;
    pattern += '|';
  }
  pattern.back() = ')';
  add_error(errors, query_at(name), "string_pattern_mismatch",
            "String should match pattern '" + pattern + "$'");
  return std::nullopt;
}

} // namespace bookstore::json::detail
