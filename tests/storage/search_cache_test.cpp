// The reader's cache of catalog pages: kept per data_version, dropped when
// the version moves, and bounded.

#include <catch2/catch.hpp>

#include <string>

#include "storage/search_cache.hpp"

using namespace bookstore::storage;

namespace {

book_page page_of(const std::string& title, std::int64_t stock) {
  book_page page;
  bookstore::model::book b;
  b.id = 1;
  b.title = title;
  b.stock_quantity = stock;
  page.items.push_back(b);
  page.total = 1;
  return page;
}

book_query words(const std::string& q) {
  book_query query;
  query.q = q;
  return query;
}

} // namespace

TEST_CASE("a stored page is found again at its version and for its query "
          "only",
          "[storage][search_cache]") {
  search_cache cache;
  CHECK(cache.find(7, words("dune")) == nullptr);
  cache.store(7, words("dune"), page_of("Dune", 3));
  const auto* hit = cache.find(7, words("dune"));
  REQUIRE(hit != nullptr);
  CHECK(hit->items.at(0).stock_quantity == 3);
  CHECK(cache.find(7, words("emma")) == nullptr);
  auto next_page = words("dune");
  next_page.page = 2;
  CHECK(cache.find(7, next_page) == nullptr);
  auto sorted = words("dune");
  sorted.sort = book_sort::price;
  CHECK(cache.find(7, sorted) == nullptr);
  auto in_genre = words("dune");
  in_genre.genre = 4;
  CHECK(cache.find(7, in_genre) == nullptr);
}

TEST_CASE("a new data_version drops every page read before it",
          "[storage][search_cache]") {
  search_cache cache;
  cache.store(7, words("dune"), page_of("Dune", 3));
  cache.store(7, words("emma"), page_of("Emma", 1));
  CHECK(cache.find(8, words("dune")) == nullptr);
  CHECK(cache.pages() == 0);
  // Nor does the old version come back: those pages are gone.
  CHECK(cache.find(7, words("emma")) == nullptr);
  // A page read in a newer snapshot than the last lookup replaces the rest.
  cache.store(9, words("dune"), page_of("Dune", 2));
  REQUIRE(cache.find(9, words("dune")) != nullptr);
  CHECK(cache.find(9, words("dune"))->items.at(0).stock_quantity == 2);
}

TEST_CASE("the cache stays within its page and byte bounds",
          "[storage][search_cache]") {
  search_cache cache;
  for (std::size_t i = 0; i < search_cache::max_pages + 10; ++i)
    cache.store(1, words("w" + std::to_string(i)), page_of("T", 1));
  CHECK(cache.pages() <= search_cache::max_pages);
  CHECK(cache.pages() >= 1);

  search_cache big;
  const std::string long_title(search_cache::max_bytes / 4, 'x');
  for (int i = 0; i < 8; ++i)
    big.store(1, words("b" + std::to_string(i)), page_of(long_title, 1));
  CHECK(big.bytes() <= search_cache::max_bytes);
  // A page larger than the whole budget is answered but not kept.
  big.store(1, words("huge"),
            page_of(std::string(search_cache::max_bytes + 1, 'y'), 1));
  CHECK(big.find(1, words("huge")) == nullptr);
  CHECK(big.bytes() <= search_cache::max_bytes);
}
