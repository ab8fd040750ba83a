#pragma once

// Listings over a cluster (API.md, "Cluster"): every node answers its part,
// its first `window` matches with the value each was sorted by, and the
// node that received the request merges the parts into the page a single
// server holding every row would answer (gateway/api/gather.hpp).

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/accounts.hpp"
#include "storage/catalog_queries.hpp"
#include "storage/review_queries.hpp"
#include "storage/sort_order.hpp"

namespace bookstore::json {

/// One node's part: {"items": [...each with "id"], "keys": [sort value per
/// item], "total": matches on that node, "order": {"key_desc", "id_desc",
/// "nocase"}}.
nlohmann::json part_json(nlohmann::json items,
                         const std::vector<storage::sort_value>& keys,
                         std::int64_t total, storage::page_order order);

/// The rows `offset` to `offset + count` of the union of `parts` (part_json,
/// one per node) in their order, and the sum of their totals. A part that
/// is not of that shape throws std::invalid_argument (the nodes of one
/// cluster run one version).
struct merged_rows {
  nlohmann::json items;
  std::int64_t total = 0;
};
merged_rows merge_parts(const std::vector<nlohmann::json>& parts,
                        std::int64_t offset, std::int64_t count);

/// GET /books: a node's part (its page searched with book_query::window),
/// and the page merged from every node's, as book_page_json answers it.
nlohmann::json book_part_json(const storage::book_page& page);
nlohmann::json merge_book_parts(const std::vector<nlohmann::json>& parts,
                                std::int64_t page, std::int64_t size);
/// A deep page of GET /books, in two rounds: a node's part as sort values
/// and ids only (items of {id}); then the page's rows from the nodes that
/// hold them (arrays of books), put in the order of `ids`, which merging
/// the keys gave (a book deleted in between is left out).
nlohmann::json book_key_part_json(const storage::book_page& page);
nlohmann::json book_rows_json(const std::vector<model::book>& books);
nlohmann::json fetched_book_page(const std::vector<nlohmann::json>& rows,
                                 const std::vector<std::int64_t>& ids,
                                 std::int64_t total, std::int64_t page,
                                 std::int64_t size);

/// GET /admin/users: a node's part (newest first, its first `window`
/// accounts), and the page merged from every node's, as account_page_json
/// answers it.
nlohmann::json account_part_json(const storage::account_page& page);
nlohmann::json merge_account_parts(const std::vector<nlohmann::json>& parts,
                                   const storage::account_filter& filter);

/// GET /admin/reviews: a node's part (its first `window` reviews in the
/// filter's order, as list_reviews sorts them), and the page merged from
/// every node's, as admin_review_page_json answers it.
nlohmann::json admin_review_part_json(const storage::review_page& page,
                                      const storage::review_filter& filter);
nlohmann::json
merge_admin_review_parts(const std::vector<nlohmann::json>& parts,
                         const storage::review_filter& filter);

/// GET /wishlist, GET /prebooks: a user's rows live on their books' nodes;
/// every node's part is the list as one server answers it ({"items"}), and
/// the merged list holds them all, newest first by `time` (a text of
/// ISO 8601 UTC seconds), ties by id descending, as each node sorts.
nlohmann::json merge_newest_first(const std::vector<nlohmann::json>& parts,
                                  const char* time);

} // namespace bookstore::json
