// The reader's cache of catalog searches, on a writer and a read-only
// connection to one file, as the store and a reader have them: which answer
// comes from the kept page, which from the kept ids' rows read again, which
// from a full search, and that each is the answer a fresh search gives.

#include <catch2/catch.hpp>

#include <string>

#include "storage/catalog_queries.hpp"
#include "storage/database.hpp"
#include "storage/search_cache.hpp"
#include "storage/transaction.hpp"
#include "tests/support/temp_db.hpp"

using namespace bookstore;
using namespace bookstore::storage;
using bookstore::testing::temp_db;

namespace {

model::book draft(const std::string& title, std::int64_t stock) {
  model::book b;
  b.title = title;
  b.author = "Cache Author";
  b.price = 1000;
  b.stock_quantity = stock;
  return b;
}

book_query words(const std::string& q) {
  book_query query;
  query.q = q;
  return query;
}

/// A reader's way through the cache (reader_actor.cpp): the kept page if
/// nothing was committed since, else a search in one snapshot.
book_page cached(search_cache& cache, database& reader,
                 const book_query& query) {
  if (const auto* page = cache.unchanged(reader.data_version(), query))
    return *page;
  read_snapshot snapshot(reader.conn());
  return cache.search(reader, query);
}

struct shop_file {
  temp_db file;
  database writer{file.path()};
  database reader{file.path(), open_options{true, {}}};
};

} // namespace

TEST_CASE("a repeated search is answered from the kept page until a commit",
          "[storage][search_cache]") {
  shop_file shop;
  auto dune = insert_book(shop.writer, draft("Dune", 5));
  search_cache cache;
  CHECK(cached(cache, shop.reader, words("dune")).items.at(0).stock_quantity
        == 5);
  CHECK(cached(cache, shop.reader, words("dune")).items.at(0).stock_quantity
        == 5);
  CHECK(cache.answered().searched == 1);
  CHECK(cache.answered().unchanged == 1);
  // Another query is not the kept one.
  auto page_two = words("dune");
  page_two.page = 2;
  CHECK(cached(cache, shop.reader, page_two).items.empty());
  CHECK(cache.answered().searched == 2);

  // A sale: stock alone moves, so the kept ids' rows are read again.
  add_stock(shop.writer, dune.id, -2);
  CHECK(cached(cache, shop.reader, words("dune")).items.at(0).stock_quantity
        == 3);
  CHECK(cache.answered().reread == 1);
  CHECK(cache.answered().searched == 2);
}

TEST_CASE("a cluster's part is kept once, whatever page the client asked for",
          "[storage][search_cache]") {
  shop_file shop;
  insert_book(shop.writer, draft("Dune", 5));
  search_cache cache;
  auto part = words("dune");
  part.window = 1;
  for (std::int64_t page : {12, 13, 1000000}) {
    part.page = page;
    CHECK(cached(cache, shop.reader, part).total == 1);
  }
  CHECK(cache.answered().searched == 1);
  CHECK(cache.answered().unchanged == 2);
}

TEST_CASE("a change to the catalog makes the next search a full one",
          "[storage][search_cache]") {
  shop_file shop;
  auto dune = insert_book(shop.writer, draft("Dune", 5));
  search_cache cache;
  REQUIRE(cached(cache, shop.reader, words("dune")).total == 1);

  insert_book(shop.writer, draft("Dune Messiah", 1));
  auto page = cached(cache, shop.reader, words("dune"));
  CHECK(page.total == 2);
  CHECK(page.items.size() == 2);
  CHECK(cache.answered().searched == 2);

  auto renamed = dune;
  renamed.title = "Arrakis";
  update_book(shop.writer, renamed);
  page = cached(cache, shop.reader, words("dune"));
  CHECK(page.total == 1);
  CHECK(page.items.at(0).title == "Dune Messiah");
  CHECK(cache.answered().searched == 3);

  delete_book(shop.writer, page.items.at(0).id);
  CHECK(cached(cache, shop.reader, words("dune")).total == 0);
  CHECK(cache.answered().searched == 4);
  CHECK(cache.answered().reread == 0);
}

TEST_CASE("the cache stays within its page and byte bounds",
          "[storage][search_cache]") {
  shop_file shop;
  insert_book(shop.writer, draft("Bounded", 1));
  search_cache cache;
  for (std::size_t i = 0; i < search_cache::max_pages + 10; ++i) {
    auto query = words("bounded");
    query.page = static_cast<std::int64_t>(i) + 1;
    cached(cache, shop.reader, query);
  }
  CHECK(cache.pages() <= search_cache::max_pages);
  CHECK(cache.pages() >= 1);

  shop_file big;
  auto long_book = draft("Long", 1);
  long_book.description = std::string(search_cache::max_bytes / 4, 'x');
  for (int i = 0; i < 8; ++i)
    insert_book(big.writer, long_book);
  search_cache kept;
  for (int i = 1; i <= 8; ++i) {
    auto query = words("long");
    query.size = 1;
    query.page = i;
    REQUIRE(cached(kept, big.reader, query).items.size() == 1);
  }
  CHECK(kept.bytes() <= search_cache::max_bytes);
  CHECK(kept.pages() < 8);
  // A page larger than the whole budget is answered but not kept.
  auto all = words("long");
  REQUIRE(cached(kept, big.reader, all).items.size() == 8);
  CHECK(kept.bytes() <= search_cache::max_bytes);
  cached(kept, big.reader, all);
  CHECK(kept.answered().unchanged == 0);
}
