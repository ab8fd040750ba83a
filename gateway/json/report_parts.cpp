#include "gateway/json/report_parts.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "gateway/json/encode.hpp"

namespace bookstore::json {

using nlohmann::json;

json sales_part_json(const storage::sales_summary& summary) {
  return {{"revenue", summary.revenue},
          {"orders", summary.order_count},
          {"previous_revenue", summary.previous_revenue}};
}

sales_sums add_sales_parts(const std::vector<json>& parts) {
  sales_sums sums;
  for (const auto& part : parts) {
    sums.revenue += part.at("revenue").get<model::cents>();
    sums.orders += part.at("orders").get<std::int64_t>();
    sums.previous_revenue += part.at("previous_revenue").get<model::cents>();
  }
  return sums;
}

json book_sales_part_json(const std::vector<storage::top_book>& sales) {
  json items = json::array();
  for (const auto& s : sales)
    items.push_back({s.book, s.total_revenue, s.units_sold});
  return {{"items", std::move(items)}};
}

std::vector<storage::top_book> merge_book_sales(const std::vector<json>& parts,
                                                bool by_revenue) {
  std::map<model::book_id, storage::top_book> sums;
  for (const auto& part : parts)
    for (const auto& row : part.at("items")) {
      auto& sum = sums[row.at(0).get<model::book_id>()];
      sum.book = row.at(0).get<model::book_id>();
      sum.total_revenue += row.at(1).get<model::cents>();
      sum.units_sold += row.at(2).get<std::int64_t>();
    }
  std::vector<storage::top_book> ranked;
  for (auto& entry : sums)
    ranked.push_back(std::move(entry.second));
  // As one server's ORDER BY revenue (or units) DESC, book_id.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [by_revenue](const auto& a, const auto& b) {
                     return by_revenue ? a.total_revenue > b.total_revenue
                                       : a.units_sold > b.units_sold;
                   });
  return ranked;
}

json merge_low_stock_parts(const std::vector<json>& parts,
                           std::int64_t threshold) {
  std::vector<storage::low_stock_item> items;
  for (const auto& part : parts)
    for (const auto& row : part.at("items")) {
      storage::low_stock_item item;
      item.book = row.at("book_id").get<model::book_id>();
      item.title = row.at("title").get<std::string>();
      item.author = row.at("author").get<std::string>();
      item.current_stock = row.at("current_stock").get<std::int64_t>();
      items.push_back(std::move(item));
    }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.current_stock != b.current_stock
               ? a.current_stock < b.current_stock
               : a.book < b.book;
  });
  return low_stock_json(threshold, items);
}

} // namespace bookstore::json
