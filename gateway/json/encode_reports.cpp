// Encoders of the admin reports. Their money is a JSON number, as the
// original's analytics schemas (float fields) sent it.

#include <cmath>

#include "gateway/json/encode.hpp"

namespace bookstore::json {

namespace {

using nlohmann::json;

// Rounded to two decimals like the original's round(..., 2); a value that
// is not finite has no JSON number, so it is null.
json percentage(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) {
    return nullptr;
  }
  return std::round(*value * 100.0) / 100.0;
}

} // namespace

json money_number(model::cents amount) {
  // One correctly rounded division: the nearest double to the decimal
  // amount, which prints back as that amount (12345 -> 123.45).
  return static_cast<double>(amount) / 100.0;
}

json sales_summary_json(const storage::sales_summary& summary) {
  return {{"period", summary.period},
          {"revenue", money_number(summary.revenue)},
          {"order_count", summary.order_count},
          {"aov", money_number(summary.aov)},
          {"delta_percentage", percentage(summary.delta_percentage)}};
}

json top_books_json(const std::string& sort_by,
                    const std::vector<storage::top_book>& items) {
  json list = json::array();
  for (const auto& item : items) {
    list.push_back({{"book_id", item.book},
                    {"title", item.title},
                    {"author", item.author},
                    {"total_revenue", money_number(item.total_revenue)},
                    {"units_sold", item.units_sold}});
  }
  return {{"sort_by", sort_by}, {"items", std::move(list)}};
}

json low_stock_json(std::int64_t threshold,
                    const std::vector<storage::low_stock_item>& items) {
  json list = json::array();
  for (const auto& item : items) {
    list.push_back({{"book_id", item.book},
                    {"title", item.title},
                    {"author", item.author},
                    {"current_stock", item.current_stock},
                    {"threshold", threshold}});
  }
  return {{"threshold", threshold},
          {"total_low_stock", static_cast<std::int64_t>(items.size())},
          {"items", std::move(list)}};
}

} // namespace bookstore::json
