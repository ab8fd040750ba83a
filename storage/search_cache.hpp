#pragma once

// Pages of the catalog search (GET /books) kept by a read-only connection's
// owner and served again while nothing has been committed since: exact, not
// a time-to-live, because `database::data_version` changes with every commit
// of another connection. A catalog being browsed and searched between sales
// then costs no SQLite work per request; a commit empties the cache.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "storage/catalog_queries.hpp"

namespace bookstore::storage {

class search_cache {
public:
  /// Past either bound the cache starts over (a flood of distinct queries
  /// then costs what it cost without a cache, and memory stays bounded).
  static constexpr std::size_t max_pages = 512;
  static constexpr std::size_t max_bytes = std::size_t{16} << 20;

  /// The page stored for `query` at `version`, or nullptr. A different
  /// version empties the cache first: what it held was read before a commit.
  const book_page* find(std::int64_t version, const book_query& query);

  /// Keeps `page`, read in a snapshot whose data_version was `version`.
  void store(std::int64_t version, const book_query& query, book_page page);

  std::size_t pages() const { return pages_.size(); }
  std::size_t bytes() const { return bytes_; }

private:
  // Every field of book_query, so two queries share a page only if SQLite
  // would have been asked the same thing.
  using key = std::tuple<std::int64_t, std::int64_t, std::string, std::string,
                         std::optional<model::cents>,
                         std::optional<model::cents>,
                         std::optional<model::genre_id>,
                         std::optional<book_sort>, bool>;
  static key key_of(const book_query& query);
  void start_over(std::int64_t version);

  std::optional<std::int64_t> version_;
  std::map<key, book_page> pages_;
  std::size_t bytes_ = 0;
};

} // namespace bookstore::storage
