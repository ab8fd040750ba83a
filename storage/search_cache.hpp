#pragma once

// Catalog searches (GET /books) a reader has answered, kept so that the same
// query costs next to no SQLite work again. Two checks keep every answer
// exact, none is a time-to-live:
// - `database::data_version` unchanged: nothing was committed since the page
//   was read, so the page itself is the answer (no table is touched);
// - the catalog_version table's number unchanged (schema.cpp): only stock
//   can have moved, so the same books in the same order, with the same
//   total, are the answer; their rows are read again by id.
// Anything else searches anew. Sales move stock alone, so under a steady
// flow of checkouts the ranking, counting and sorting are still skipped.
// Only a connection that never writes may keep one: data_version does not
// move with the connection's own commits.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "storage/catalog_queries.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

class search_cache {
public:
  /// Past either bound the cache starts over (a flood of distinct queries
  /// then costs what it cost without a cache, and memory stays bounded).
  static constexpr std::size_t max_pages = 512;
  static constexpr std::size_t max_bytes = std::size_t{16} << 20;

  /// How each answer was got, for tests and benchmarks.
  struct counts {
    std::int64_t unchanged = 0; // the page as it was kept
    std::int64_t reread = 0;    // the kept ids' rows read again
    std::int64_t searched = 0;  // a full search
  };

  /// The page kept for `query`, if it was read at `data_version` (the
  /// connection's, asked outside any transaction just before).
  const book_page* unchanged(std::int64_t data_version,
                             const book_query& query);

  /// The answer to `query` on `db`, inside a read snapshot the caller holds:
  /// the kept ids' rows read again if the catalog is as it was, else
  /// search_books. Either way kept for next time.
  book_page search(database& db, const book_query& query);

  std::size_t pages() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  const counts& answered() const { return counts_; }

private:
  struct entry {
    std::int64_t catalog_version;
    std::int64_t data_version;
    book_page page;
  };
  // Every field of book_query, so two queries share a page only if SQLite
  // would have been asked the same thing.
  using key =
      std::tuple<std::int64_t, std::int64_t, std::string, std::string,
                 std::optional<model::cents>, std::optional<model::cents>,
                 std::optional<model::genre_id>, std::optional<book_sort>, bool,
                 std::int64_t>;
  static key key_of(const book_query& query);
  void keep(key k, entry e);

  std::map<key, entry> entries_;
  std::size_t bytes_ = 0;
  counts counts_;
};

} // namespace bookstore::storage
