#include "gateway/json/parts.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "gateway/json/accounts.hpp"
#include "gateway/json/encode.hpp"
#include "gateway/json/encode_reviews.hpp"

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

/// An admin list's page (page, per_page) merged from the nodes' parts: the
/// body `page_json` writes for the summed total, with the merged items.
template <class Page, class Filter>
json merge_admin_page(const std::vector<json>& parts, const Filter& filter,
                      json (*page_json)(const Page&, const Filter&)) {
  auto rows =
      merge_parts(parts, (filter.page - 1) * filter.per_page, filter.per_page);
  Page page;
  page.total = rows.total;
  auto body = page_json(page, filter);
  body["items"] = std::move(rows.items);
  return body;
}

} // namespace

json part_json(json items, const std::vector<storage::sort_value>& keys,
               std::int64_t total, storage::page_order order) {
  json key_list = json::array();
  for (std::size_t i = 0; i < items.size(); ++i)
    key_list.push_back(i < keys.size() ? key_json(keys[i]) : json{});
  return {{"items", std::move(items)},
          {"keys", std::move(key_list)},
          {"total", total},
          {"order",
           {{"key_desc", order.key_descending},
            {"id_desc", order.id_descending},
            {"nocase", order.nocase}}}};
}

merged_rows merge_parts(const std::vector<json>& parts, std::int64_t offset,
                        std::int64_t count) {
  std::vector<entry> all;
  merged_rows out;
  storage::page_order order;
  for (const auto& part : parts) {
    const auto& items = part.at("items");
    const auto& keys = part.at("keys");
    if (!items.is_array() || !keys.is_array() || items.size() != keys.size())
      throw std::invalid_argument("a part without one key per item");
    out.total += part.at("total").get<std::int64_t>();
    const auto& o = part.at("order");
    storage::page_order of_part{o.at("key_desc").get<bool>(),
                                o.at("id_desc").get<bool>(),
                                o.at("nocase").get<bool>()};
    if (!items.empty())
      order = of_part; // every node orders one query the same way
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
  out.items = json::array();
  const auto first = static_cast<std::size_t>(offset);
  for (auto i = first; i < all.size() && i < first + count; ++i)
    out.items.push_back(*all[i].item);
  return out;
}

json book_part_json(const storage::book_page& page) {
  json items = json::array();
  for (const auto& book : page.items)
    items.push_back(book_json(book));
  return part_json(std::move(items), page.keys, page.total, page.order);
}

json merge_book_parts(const std::vector<json>& parts, std::int64_t page,
                      std::int64_t size) {
  // page x size fits in 64 bits (the decoder bounds page by that).
  auto rows = merge_parts(parts, (page - 1) * size, size);
  return {{"items", std::move(rows.items)},
          {"total", rows.total},
          {"page", page},
          {"size", size}};
}

json book_key_part_json(const storage::book_page& page) {
  json items = json::array();
  for (const auto& book : page.items)
    items.push_back({{"id", book.id}});
  return part_json(std::move(items), page.keys, page.total, page.order);
}

json book_rows_json(const std::vector<model::book>& books) {
  json rows = json::array();
  for (const auto& book : books)
    rows.push_back(book_json(book));
  return rows;
}

json fetched_book_page(const std::vector<json>& rows,
                       const std::vector<std::int64_t>& ids, std::int64_t total,
                       std::int64_t page, std::int64_t size) {
  std::map<std::int64_t, const json*> by_id;
  for (const auto& part : rows)
    for (const auto& row : part)
      by_id[row.at("id").get<std::int64_t>()] = &row;
  json items = json::array();
  for (auto id : ids)
    if (auto found = by_id.find(id); found != by_id.end())
      items.push_back(*found->second);
  return {{"items", std::move(items)},
          {"total", total},
          {"page", page},
          {"size", size}};
}

json account_part_json(const storage::account_page& page) {
  json items = json::array();
  std::vector<storage::sort_value> keys;
  for (const auto& a : page.items) {
    items.push_back(account_json(a));
    keys.emplace_back(a.created_at);
  }
  // Newest first, ties by id, both descending (account_queries.cpp).
  return part_json(std::move(items), keys, page.total, {true, true, false});
}

json merge_account_parts(const std::vector<json>& parts,
                         const storage::account_filter& filter) {
  return merge_admin_page<storage::account_page>(parts, filter,
                                                 account_page_json);
}

json admin_review_part_json(const storage::review_page& page,
                            const storage::review_filter& filter) {
  json items = json::array();
  std::vector<storage::sort_value> keys;
  for (const auto& r : page.items) {
    items.push_back(admin_review_json(r));
    keys.emplace_back(filter.by_rating ? r.rating : r.created_at);
  }
  // By rating or time in the filter's direction, ties by id descending
  // (review_queries.cpp). The time is compared as its microseconds.
  return part_json(std::move(items), keys, page.total,
                   {filter.descending, true, false});
}

json merge_admin_review_parts(const std::vector<json>& parts,
                              const storage::review_filter& filter) {
  return merge_admin_page<storage::review_page>(parts, filter,
                                                admin_review_page_json);
}

json merge_newest_first(const std::vector<json>& parts, const char* time) {
  json items = json::array();
  for (const auto& part : parts)
    for (const auto& item : part.at("items"))
      items.push_back(item);
  auto key = [time](const json& item) {
    return std::make_pair(item.at(time).get<std::string>(),
                          item.at("id").get<std::int64_t>());
  };
  std::sort(items.begin(), items.end(),
            [&](const json& a, const json& b) { return key(a) > key(b); });
  return {{"items", std::move(items)}};
}

} // namespace bookstore::json
