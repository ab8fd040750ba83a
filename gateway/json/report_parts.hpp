#pragma once

// The admin reports over a cluster (API.md, "Cluster"): each node answers
// its sums, the node that received the request adds them up and answers as
// one server holding every order would (gateway/api/gather.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/queries.hpp"

namespace bookstore::json {

/// A node's sums of a sales period: {"revenue", "orders",
/// "previous_revenue"}, money in cents.
nlohmann::json sales_part_json(const storage::sales_summary& summary);
/// Every node's sums added up (storage::summary_of makes the summary: the
/// JSON library links no storage code).
struct sales_sums {
  model::cents revenue = 0;
  std::int64_t orders = 0;
  model::cents previous_revenue = 0;
};
sales_sums add_sales_parts(const std::vector<nlohmann::json>& parts);

/// A node's sales by book (storage::book_sales): {"items": [[book id,
/// revenue in cents, units]...]}.
nlohmann::json
book_sales_part_json(const std::vector<storage::top_book>& sales);
/// Every book's sales added up over the nodes, best first (by revenue or by
/// units; ties by book id), without titles.
std::vector<storage::top_book>
merge_book_sales(const std::vector<nlohmann::json>& parts, bool by_revenue);

/// The low-stock report from every node's (low_stock_json of the books it
/// owns): all their books, lowest stock first, then by id.
nlohmann::json merge_low_stock_parts(const std::vector<nlohmann::json>& parts,
                                     std::int64_t threshold);

} // namespace bookstore::json
