#include "gateway/json/accounts.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "gateway/json/fields.hpp"
#include "gateway/json/query_fields.hpp"

namespace bookstore::json {

namespace {

using detail::max_page;
using detail::max_page_size;

/// pydantic's lax bool from a string: these words in any case, else
/// "bool_parsing".
std::optional<bool> bool_from_text(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) {
    return static_cast<char>(std::tolower(ch));
  });
  for (const char* yes : {"1", "on", "t", "true", "y", "yes"})
    if (text == yes)
      return true;
  for (const char* no : {"0", "off", "f", "false", "n", "no"})
    if (text == no)
      return false;
  return std::nullopt;
}

} // namespace

decoded<storage::account_filter> decode_account_filter(std::string_view query) {
  decoded<storage::account_filter> out;
  auto& errors = out.errors;
  const auto params = detail::parse_query(query);
  storage::account_filter f;
  detail::read_query_integer(params, "page", 1, max_page, f.page, errors);
  detail::read_query_integer(params, "per_page", 1, max_page_size, f.per_page,
                             errors);
  if (const auto* role = detail::find_param(params, "role")) {
    if (*role == "user" || *role == "admin")
      f.role = *role;
    else
      detail::add_error(errors, detail::query_at("role"), "enum",
                        "Input should be 'user' or 'admin'");
  }
  if (const auto* text = detail::find_param(params, "is_active")) {
    if (auto active = bool_from_text(*text))
      f.active = *active ? 1 : 0;
    else
      detail::add_error(errors, detail::query_at("is_active"), "bool_parsing",
                        "Input should be a valid boolean, unable to interpret "
                        "input");
  }
  if (errors.empty())
    out.value = std::move(f);
  return out;
}

nlohmann::json account_json(const storage::account& a) {
  return {
      {"id", a.id},     {"email", a.email},      {"full_name", nullptr},
      {"role", a.role}, {"is_active", a.active}, {"created_at", a.created_at}};
}

nlohmann::json account_page_json(const storage::account_page& page,
                                 const storage::account_filter& filter) {
  auto items = nlohmann::json::array();
  for (const auto& a : page.items)
    items.push_back(account_json(a));
  const std::int64_t pages =
      page.total == 0 ? 0
                      : (page.total + filter.per_page - 1) / filter.per_page;
  return {{"items", std::move(items)},
          {"total_count", page.total},
          {"page", filter.page},
          {"per_page", filter.per_page},
          {"total_pages", pages}};
}

} // namespace bookstore::json
