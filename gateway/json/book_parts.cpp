#include "gateway/json/book_parts.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "gateway/json/encode.hpp"

namespace bookstore::json {

using nlohmann::json;

namespace {

json key_json(const storage::sort_value& key) {
  struct to_json {
    json operator()(std::monostate) const { return nullptr; }
    json operator()(std::int64_t v) const { return v; }
    json operator()(double v) const { return v; }
    json operator()(const std::string& v) const { return v; }
  };
  return std::visit(to_json{}, key);
}

/// SQLite's NOCASE: only ASCII letters fold.
std::string fold_ascii(const std::string& text) {
  std::string folded = text;
  for (auto& ch : folded)
    if (ch >= 'A' && ch <= 'Z')
      ch = static_cast<char>(ch - 'A' + 'a');
  return folded;
}

struct entry {
  json key;
  std::int64_t id = 0;
  const json* item = nullptr;
};

/// <0, 0, >0 as a is before, with, after b by their sort values alone
/// (present before absent; numbers by value; texts by bytes).
int compare_keys(const json& a, const json& b, bool nocase) {
  if (a.is_null() || b.is_null())
    return a.is_null() == b.is_null() ? 0 : a.is_null() ? 1 : -1;
  if (a.is_number() && b.is_number()) {
    auto x = a.get<double>();
    auto y = b.get<double>();
    if (a.is_number_integer() && b.is_number_integer()) {
      auto i = a.get<std::int64_t>();
      auto j = b.get<std::int64_t>();
      return i < j ? -1 : i > j ? 1 : 0;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    auto x = nocase ? fold_ascii(a.get<std::string>()) : a.get<std::string>();
    auto y = nocase ? fold_ascii(b.get<std::string>()) : b.get<std::string>();
    return x.compare(y) < 0 ? -1 : x.compare(y) > 0 ? 1 : 0;
  }
  throw std::invalid_argument("a book part's sort values differ in type");
}

} // namespace

json book_part_json(const storage::book_page& page) {
  json items = json::array();
  json keys = json::array();
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    items.push_back(book_json(page.items[i]));
    keys.push_back(i < page.keys.size() ? key_json(page.keys[i]) : json{});
  }
  return {{"items", std::move(items)},
          {"keys", std::move(keys)},
          {"total", page.total},
          {"order",
           {{"key_desc", page.order.key_descending},
            {"id_desc", page.order.id_descending},
            {"nocase", page.order.nocase}}}};
}

json merge_book_parts(const std::vector<json>& parts, std::int64_t page,
                      std::int64_t size) {
  std::vector<entry> all;
  std::int64_t total = 0;
  storage::page_order order;
  for (const auto& part : parts) {
    const auto& items = part.at("items");
    const auto& keys = part.at("keys");
    if (!items.is_array() || !keys.is_array() || items.size() != keys.size())
      throw std::invalid_argument("a book part without one key per item");
    total += part.at("total").get<std::int64_t>();
    const auto& o = part.at("order");
    order = {o.at("key_desc").get<bool>(), o.at("id_desc").get<bool>(),
             o.at("nocase").get<bool>()};
    for (std::size_t i = 0; i < items.size(); ++i)
      all.push_back(
          {keys[i], items[i].at("id").get<std::int64_t>(), &items[i]});
  }
  // As the nodes' ORDER BY: the sort value (absent last either way), then
  // the id. Ids are unique over the cluster, so the order is total.
  std::sort(all.begin(), all.end(), [&](const entry& a, const entry& b) {
    int by_key = compare_keys(a.key, b.key, order.nocase);
    if (by_key != 0) {
      bool absent = a.key.is_null() || b.key.is_null();
      return (order.key_descending && !absent) ? by_key > 0 : by_key < 0;
    }
    return order.id_descending ? a.id > b.id : a.id < b.id;
  });
  json items = json::array();
  // page x size fits in 64 bits (the decoder bounds page by that).
  const auto offset = static_cast<std::size_t>((page - 1) * size);
  for (auto i = offset; i < all.size() && i < offset + size; ++i)
    items.push_back(*all[i].item);
  return {{"items", std::move(items)},
          {"total", total},
          {"page", page},
          {"size", size}};
}

} // namespace bookstore::json
