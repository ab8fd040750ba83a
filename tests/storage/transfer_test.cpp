// A checkout across nodes, in one node's file: the book owner's prepared
// parts (each applied and ended exactly once) and the cart owner's rows
// that name books of other files.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/cart_queries.hpp"
#include "storage/catalog_queries.hpp"
#include "storage/list_queries.hpp"
#include "storage/order_queries.hpp"
#include "storage/transfer_queries.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

struct owner_fixture {
  storage::database db{":memory:"};
  model::book book = storage::insert_book(db, make_book("Dune", 1999, 10));

  std::int64_t stock() {
    return storage::find_book(db, book.id)->stock_quantity;
  }
  storage::prepared_transfer part(std::int64_t transfer,
                                  std::int64_t quantity) {
    return {transfer, book.id, quantity, 2, 1000};
  }
  std::int64_t parts() {
    return query_int(conn_of(db), "SELECT COUNT(*) FROM prepared_transfers");
  }
};

} // namespace

TEST_CASE_METHOD(owner_fixture,
                 "a prepared part takes its copies once, however often it "
                 "is sent",
                 "[storage][transfer]") {
  CHECK(storage::prepare_transfer(db, part(77, 3)));
  CHECK(stock() == 7);
  CHECK_FALSE(storage::prepare_transfer(db, part(77, 3)));
  CHECK(stock() == 7);
  CHECK(parts() == 1);
  auto listed = storage::prepared_transfers(db, 1000, 10);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].transfer_id == 77);
  CHECK(listed[0].quantity == 3);
  CHECK(listed[0].coordinator == 2);
  CHECK(storage::prepared_transfers(db, 999, 10).empty()); // not yet old
}

TEST_CASE_METHOD(owner_fixture,
                 "a committed part keeps its copies sold; an aborted one "
                 "returns them; either only once",
                 "[storage][transfer]") {
  storage::prepare_transfer(db, part(1, 2));
  storage::prepare_transfer(db, part(2, 5));
  CHECK(stock() == 3);
  CHECK(storage::finish_transfer(db, 1, book.id, true) == 0);
  CHECK(stock() == 3);
  CHECK(storage::finish_transfer(db, 2, book.id, false) == 5);
  CHECK(stock() == 8);
  // The same messages again, and ends of parts never prepared.
  CHECK(storage::finish_transfer(db, 1, book.id, false) == 0);
  CHECK(storage::finish_transfer(db, 2, book.id, false) == 0);
  CHECK(storage::finish_transfer(db, 3, book.id, false) == 0);
  CHECK(stock() == 8);
  CHECK(parts() == 0);
}

TEST_CASE_METHOD(owner_fixture,
                 "a part the stock cannot cover leaves nothing behind",
                 "[storage][transfer]") {
  {
    storage::transaction tx{conn_of(db)};
    try {
      storage::prepare_transfer(db, part(9, 11));
      FAIL("prepared 11 of 10 copies");
    } catch (const storage::error& e) {
      CHECK(e.kind() == failure_kind::check);
    }
  } // rolled back
  CHECK(stock() == 10);
  CHECK(parts() == 0);
}

TEST_CASE_METHOD(owner_fixture, "no part of an unknown or deleted book",
                 "[storage][transfer]") {
  auto unknown = part(5, 1);
  unknown.book = 999;
  try {
    storage::prepare_transfer(db, unknown);
    FAIL("prepared a part of an unknown book");
  } catch (const storage::error& e) {
    CHECK(e.kind() == failure_kind::foreign_key);
  }
  CHECK(parts() == 0);
}

TEST_CASE("the cart owner's rows may name books of other files, and record "
          "decisions",
          "[storage][transfer]") {
  storage::database db{":memory:"};
  auto user = storage::insert_user(db, "a@example.com", "h", "user").id;
  // Book 5 is another node's: this file has no row for it.
  auto line = storage::insert_cart_item(db, user, 5, 2);
  CHECK(line.book == 5);
  model::order_line sold;
  sold.book = 5;
  sold.quantity = 2;
  sold.unit_price = 700;
  sold.summary.id = 5;
  sold.summary.title = "Elsewhere";
  sold.summary.author = "Someone";
  auto order =
      storage::insert_order(db, user, {sold}, {line.id}, "2026-01-01", {5});
  REQUIRE(order.lines.size() == 1);
  storage::record_transfer_decision(db, 123, order.id);
  CHECK(storage::transfer_decision(db, 123) == order.id);
  CHECK_FALSE(storage::transfer_decision(db, 124).has_value());
  auto read = storage::find_order(db, order.id);
  REQUIRE(read);
  CHECK(read->lines.at(0).summary.title == "Elsewhere");
  CHECK(read->lines.at(0).quantity == 2);
}

TEST_CASE_METHOD(owner_fixture,
                 "an aborted part's copies notify the pre-bookings made "
                 "while it held the last ones",
                 "[storage][transfer][prebooks]") {
  REQUIRE(storage::prepare_transfer(db, part(77, 10)));
  REQUIRE(stock() == 0);
  auto waiting = storage::insert_prebook(db, 424242, book.id);
  REQUIRE(waiting);
  REQUIRE(waiting->status == model::prebook_status::waiting);
  CHECK(storage::finish_transfer(db, 77, book.id, false) == 10);
  CHECK(stock() == 10);
  CHECK(storage::find_prebook(db, waiting->id)->status
        == model::prebook_status::notified);
}
