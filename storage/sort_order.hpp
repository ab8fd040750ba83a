#pragma once

// How a listing's rows are ordered, as values a cluster node can send with
// its part of a listing, so that the node that gathers the parts merges
// them in the order one server's ORDER BY would give (gateway/api/
// gather.hpp).

#include <cstdint>
#include <string>
#include <variant>

namespace bookstore::storage {

/// The value a row was ordered by: a title, a price, a date, a mean rating,
/// a search score; nothing when the id alone orders, or the row has none.
using sort_value =
    std::variant<std::monostate, std::int64_t, double, std::string>;

/// The order: by sort value (absent ones last in both directions; texts
/// without ASCII case when `nocase`, as SQLite's NOCASE), then by id.
struct page_order {
  bool key_descending = false;
  bool id_descending = false;
  bool nocase = false;
};

} // namespace bookstore::storage
