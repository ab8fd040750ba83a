// A database that cannot write: a read-only open and the query_only switch.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "helpers.hpp"
#include "storage/schema.hpp"

using namespace storage_test;
using storage::failure_kind;

TEST_CASE("a read-only open reads but cannot write", "[faults]") {
  temp_file file;
  model::book_id book = 0;
  {
    storage::database db(file.str());
    book = storage::insert_book(db, make_book("Readable", 100, 3)).id;
  }
  storage::open_options options;
  options.read_only = true;
  storage::database db(file.str(), options);
  CHECK(db.schema_version() == storage::latest_schema_version());
  REQUIRE(storage::find_book(db, book));
  CHECK(storage::find_book(db, book)->title == "Readable");

  CHECK(kind_of([&] { storage::insert_genre(db, "Nope"); })
        == failure_kind::unavailable);
  CHECK(kind_of([&] { storage::add_stock(db, book, 1); })
        == failure_kind::unavailable);
  CHECK(kind_of([&] {
          storage::transaction tx(db.conn());
          storage::delete_book(db, book);
        })
        == failure_kind::unavailable);
  CHECK(storage::find_book(db, book)->stock_quantity == 3);
}

TEST_CASE("a read-only open needs an existing migrated file", "[faults]") {
  storage::open_options options;
  options.read_only = true;
  temp_file missing;
  CHECK(kind_of([&] { storage::database db(missing.str(), options); })
        == failure_kind::unavailable);

  temp_file empty;
  {
    storage::connection create(empty.str(),
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  }
  CHECK_THROWS_AS(storage::database(empty.str(), options), storage::error);
}

TEST_CASE("query_only makes writes unavailable until switched off",
          "[faults]") {
  temp_file file;
  storage::database db(file.str());
  const auto book = storage::insert_book(db, make_book("Switch", 100, 3)).id;
  const auto user = storage::insert_user(db, "q@example.com", "h", "user").id;

  db.set_query_only(true);
  CHECK(storage::find_book(db, book)); // reads still work
  CHECK(kind_of([&] { storage::add_stock(db, book, 1); })
        == failure_kind::unavailable);
  CHECK(kind_of([&] { storage::insert_cart_item(db, user, book, 1); })
        == failure_kind::unavailable);
  // Even taking the write lock fails, so a group commit fails up front.
  CHECK(kind_of([&] { storage::transaction tx(db.conn()); })
        == failure_kind::unavailable);
  CHECK(kind_of([&] {
          storage::insert_order(db, user, {}, {}, "2026-01-01T00:00:00Z");
        })
        == failure_kind::unavailable);
  CHECK(storage::find_book(db, book)->stock_quantity == 3);

  db.set_query_only(false);
  storage::add_stock(db, book, 1);
  CHECK(storage::find_book(db, book)->stock_quantity == 4);
  CHECK_NOTHROW(storage::insert_cart_item(db, user, book, 1));
}
