#pragma once

// GET /books over a cluster (API.md, "Cluster"): every node answers its
// part, its first page x size matches with their sort values, and the node
// that received the request merges the parts into the page a single server
// holding every book would answer.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/catalog_queries.hpp"

namespace bookstore::json {

/// One node's part: {"items": [book_json...], "keys": [sort value...],
/// "total": matches on that node, "order": {"key_desc", "id_desc",
/// "nocase"}}. `page` was searched with book_query::window.
nlohmann::json book_part_json(const storage::book_page& page);

/// Page `page` of `size` of the union of `parts` (book_part_json, one per
/// node), in their order, as book_page_json answers it: {"items", "total"
/// (the sum), "page", "size"}. A part that is not of that shape throws
/// std::invalid_argument (nodes of one cluster run one version).
nlohmann::json merge_book_parts(const std::vector<nlohmann::json>& parts,
                                std::int64_t page, std::int64_t size);

} // namespace bookstore::json
