// Wishlists and pre-bookings, and the restock that notifies pre-bookings in
// the stock change's own transaction.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/list_queries.hpp"

using namespace storage_test;
using model::error_code;
using model::prebook_status;
using storage::failure_kind;

namespace {

struct lists_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;
  model::book dune = storage::insert_book(db, make_book("Dune", 1999, 0));
  model::book emma = storage::insert_book(db, make_book("Emma", 850, 4));

  prebook_status status_of(model::prebook_id id) {
    return storage::find_prebook(db, id)->status;
  }
};

} // namespace

// -- wishlist
// ------------------------------------------------------------------

TEST_CASE_METHOD(lists_fixture,
                 "a wishlist item carries the book's current values",
                 "[queries][wishlist]") {
  auto added = storage::add_wishlist_item(db, alice, emma.id);
  REQUIRE(added);
  CHECK(added->id > 0);
  CHECK(added->owner == alice);
  CHECK(added->book == emma.id);
  CHECK(added->added_at.size() == 20);
  CHECK(added->added_at.back() == 'Z');
  CHECK(added->summary.title == "Emma");
  CHECK(added->summary.price == 850);
  CHECK(added->stock_quantity == 4);
  CHECK_FALSE(added->summary.cover_image_url);

  // The list shows the book as it is now, not as it was when added.
  storage::add_stock(db, emma.id, 3);
  auto changed = emma;
  changed.price = 900;
  storage::update_book(db, changed);
  auto items = storage::list_wishlist(db, alice);
  REQUIRE(items.size() == 1);
  CHECK(items[0].summary.price == 900);
  CHECK(items[0].stock_quantity == 7);
}

TEST_CASE_METHOD(lists_fixture,
                 "any live book can be wishlisted once whatever its stock",
                 "[queries][wishlist]") {
  CHECK(storage::add_wishlist_item(db, alice, dune.id)); // stock 0
  CHECK(kind_of([&] { storage::add_wishlist_item(db, alice, dune.id); })
        == failure_kind::unique);
  // Another user's wishlist is separate.
  CHECK(storage::add_wishlist_item(db, bob, dune.id));
  // Unknown and deleted books are nothing to add.
  CHECK_FALSE(storage::add_wishlist_item(db, alice, 9999));
  CHECK_FALSE(storage::add_wishlist_item(db, alice, -1));
  storage::delete_book(db, emma.id);
  CHECK_FALSE(storage::add_wishlist_item(db, alice, emma.id));
}

TEST_CASE_METHOD(
    lists_fixture,
    "a wishlist lists the owner's items newest first with ties by id",
    "[queries][wishlist]") {
  auto first = storage::add_wishlist_item(db, alice, dune.id);
  auto second = storage::add_wishlist_item(db, alice, emma.id);
  storage::add_wishlist_item(db, bob, dune.id);
  // Same second: the id decides.
  auto items = storage::list_wishlist(db, alice);
  REQUIRE(items.size() == 2);
  CHECK(items[0].id == second->id);
  CHECK(items[1].id == first->id);
  // An older timestamp goes last even with a higher id.
  db.conn()
      .cached("UPDATE wishlist_items SET added_at = '2000-01-01T00:00:00Z'"
              " WHERE id = ?")
      .bind(1, second->id)
      .run();
  items = storage::list_wishlist(db, alice);
  CHECK(items[0].id == first->id);
  CHECK(storage::list_wishlist(db, bob).size() == 1);
  CHECK(storage::list_wishlist(db, 999).empty());
}

TEST_CASE_METHOD(lists_fixture, "removing takes only the owner's item",
                 "[queries][wishlist]") {
  storage::add_wishlist_item(db, alice, dune.id);
  storage::add_wishlist_item(db, bob, dune.id);
  CHECK_FALSE(storage::remove_wishlist_item(db, alice, emma.id));
  CHECK(storage::remove_wishlist_item(db, alice, dune.id));
  CHECK_FALSE(storage::remove_wishlist_item(db, alice, dune.id));
  CHECK(storage::list_wishlist(db, alice).empty());
  CHECK(storage::list_wishlist(db, bob).size() == 1);
  // Once removed, it can be added again.
  CHECK(storage::add_wishlist_item(db, alice, dune.id));
}

TEST_CASE_METHOD(lists_fixture,
                 "deleting a book unlists it and drops its pre-bookings",
                 "[queries][wishlist][prebooks]") {
  storage::add_wishlist_item(db, alice, dune.id);
  storage::add_wishlist_item(db, alice, emma.id);
  storage::insert_prebook(db, alice, dune.id);
  storage::insert_prebook(db, bob, dune.id);
  REQUIRE(storage::delete_book(db, dune.id));
  auto items = storage::list_wishlist(db, alice);
  REQUIRE(items.size() == 1);
  CHECK(items[0].book == emma.id);
  CHECK(storage::list_prebooks(db, alice).empty());
  CHECK(storage::list_prebooks(db, bob).empty());
}

TEST_CASE_METHOD(lists_fixture,
                 "a list row may name a user of another node's file, and a "
                 "removed row's id is not handed out again",
                 "[queries][wishlist][prebooks]") {
  // In a cluster the rows live on their book's node, the user on theirs
  // (schema version 9): this file has no user 424242.
  constexpr model::user_id elsewhere = 424242;
  auto wished = storage::add_wishlist_item(db, elsewhere, emma.id);
  REQUIRE(wished);
  CHECK(storage::list_wishlist(db, elsewhere).size() == 1);
  auto waiting = storage::insert_prebook(db, elsewhere, dune.id);
  REQUIRE(waiting);
  CHECK(storage::list_prebooks(db, elsewhere).size() == 1);
  // A book of no node is still refused: the book lives here.
  CHECK_FALSE(storage::add_wishlist_item(db, elsewhere, 777));
  CHECK_FALSE(storage::insert_prebook(db, elsewhere, 777));

  REQUIRE(storage::remove_wishlist_item(db, elsewhere, emma.id));
  auto again = storage::add_wishlist_item(db, elsewhere, emma.id);
  REQUIRE(again);
  CHECK(again->id > wished->id);
}

// -- pre-bookings
// ----------------------------------------------------------------

TEST_CASE_METHOD(lists_fixture, "a new pre-booking waits with no timestamps",
                 "[queries][prebooks]") {
  auto p = storage::insert_prebook(db, alice, dune.id);
  REQUIRE(p);
  CHECK(p->id > 0);
  CHECK(p->owner == alice);
  CHECK(p->book == dune.id);
  CHECK(p->book_title == "Dune");
  CHECK(p->book_author == "Some Author");
  CHECK(p->status == prebook_status::waiting);
  CHECK(p->created_at.back() == 'Z');
  CHECK_FALSE(p->notified_at);
  CHECK_FALSE(p->cancelled_at);
  CHECK_FALSE(storage::insert_prebook(db, alice, 9999));
}

TEST_CASE_METHOD(lists_fixture,
                 "one waiting pre-booking per user and book is allowed and "
                 "history blocks nothing",
                 "[queries][prebooks]") {
  auto first = storage::insert_prebook(db, alice, dune.id);
  CHECK(kind_of([&] { storage::insert_prebook(db, alice, dune.id); })
        == failure_kind::unique);
  CHECK(storage::insert_prebook(db, bob, dune.id)); // another user's
  REQUIRE(storage::cancel_prebook(db, alice, first->id) == error_code::none);
  auto again = storage::insert_prebook(db, alice, dune.id);
  REQUIRE(again);
  // A notified one blocks nothing either.
  storage::restock_book(db, dune.id, 2);
  CHECK(status_of(again->id) == prebook_status::notified);
  storage::add_stock(db, dune.id, -2);
  CHECK(storage::insert_prebook(db, alice, dune.id));
}

TEST_CASE_METHOD(lists_fixture,
                 "pre-bookings list every status of the owner newest first",
                 "[queries][prebooks]") {
  auto a = storage::insert_prebook(db, alice, dune.id);
  auto b =
      storage::insert_prebook(db, alice, emma.id); // stock is not judged here
  storage::insert_prebook(db, bob, dune.id);
  storage::cancel_prebook(db, alice, a->id);
  auto items = storage::list_prebooks(db, alice);
  REQUIRE(items.size() == 2);
  CHECK(items[0].id == b->id);
  CHECK(items[1].id == a->id);
  CHECK(items[1].status == prebook_status::cancelled);
  CHECK(items[1].cancelled_at);
  CHECK(storage::list_prebooks(db, 999).empty());
}

TEST_CASE_METHOD(
    lists_fixture,
    "only the owner cancels a pre-booking and only once and a notified one too",
    "[queries][prebooks]") {
  auto p = storage::insert_prebook(db, alice, dune.id);
  CHECK(storage::cancel_prebook(db, bob, p->id)
        == error_code::prebook_not_found);
  CHECK(status_of(p->id) == prebook_status::waiting);
  CHECK(storage::cancel_prebook(db, alice, 9999)
        == error_code::prebook_not_found);
  CHECK(storage::cancel_prebook(db, alice, p->id) == error_code::none);
  CHECK(status_of(p->id) == prebook_status::cancelled);
  CHECK(storage::find_prebook(db, p->id)->cancelled_at);
  CHECK(storage::cancel_prebook(db, alice, p->id)
        == error_code::prebook_already_cancelled);

  auto q = storage::insert_prebook(db, alice, dune.id);
  storage::restock_book(db, dune.id, 1);
  REQUIRE(status_of(q->id) == prebook_status::notified);
  CHECK(storage::cancel_prebook(db, alice, q->id) == error_code::none);
  auto cancelled = storage::find_prebook(db, q->id);
  CHECK(cancelled->status == prebook_status::cancelled);
  CHECK(cancelled->notified_at); // kept
}

// -- restock
// ---------------------------------------------------------------------

TEST_CASE_METHOD(lists_fixture,
                 "a restock from 0 notifies every waiting pre-booking of the "
                 "book in the stock change's transaction",
                 "[queries][prebooks][restock]") {
  auto a = storage::insert_prebook(db, alice, dune.id);
  auto b = storage::insert_prebook(db, bob, dune.id);
  auto cancelled = storage::insert_prebook(db, bob, emma.id);
  storage::cancel_prebook(db, bob, cancelled->id);
  auto other_book = storage::insert_book(db, make_book("Other", 500, 0));
  auto elsewhere = storage::insert_prebook(db, alice, other_book.id);

  SECTION("committed: stock and notifications together") {
    storage::transaction tx(db.conn());
    CHECK(storage::restock_book(db, dune.id, 5) == 2);
    tx.commit();
    CHECK(storage::find_book(db, dune.id)->stock_quantity == 5);
    for (auto id : {a->id, b->id}) {
      auto p = storage::find_prebook(db, id);
      CHECK(p->status == prebook_status::notified);
      CHECK(p->notified_at);
    }
    CHECK(status_of(elsewhere->id) == prebook_status::waiting);
    CHECK(status_of(cancelled->id) == prebook_status::cancelled);
  }
  SECTION("rolled back: neither") {
    {
      storage::transaction tx(db.conn());
      storage::restock_book(db, dune.id, 5);
    } // never committed
    CHECK(storage::find_book(db, dune.id)->stock_quantity == 0);
    CHECK(status_of(a->id) == prebook_status::waiting);
    CHECK(status_of(b->id) == prebook_status::waiting);
  }
}

TEST_CASE_METHOD(lists_fixture,
                 "0 to 0 and n to m restocks change no pre-booking",
                 "[queries][prebooks][restock]") {
  auto waiting = storage::insert_prebook(db, alice, dune.id);
  CHECK(storage::restock_book(db, dune.id, 0) == 0);
  CHECK(status_of(waiting->id) == prebook_status::waiting);
  CHECK_FALSE(storage::find_prebook(db, waiting->id)->notified_at);

  // n to m, up and down, with a pre-booking left waiting (planted: the book
  // actor never lets one be made while there is stock).
  auto planted = storage::insert_prebook(db, alice, emma.id);
  CHECK(storage::restock_book(db, emma.id, 3) == 0);  // 4 -> 7
  CHECK(storage::restock_book(db, emma.id, -5) == 0); // 7 -> 2
  CHECK(status_of(planted->id) == prebook_status::waiting);
  CHECK(storage::find_book(db, emma.id)->stock_quantity == 2);
  // n to 0 neither; then 0 to n does.
  CHECK(storage::restock_book(db, emma.id, -2) == 0);
  CHECK(status_of(planted->id) == prebook_status::waiting);
  CHECK(storage::restock_book(db, emma.id, 1) == 1);
  CHECK(status_of(planted->id) == prebook_status::notified);
}

TEST_CASE_METHOD(lists_fixture,
                 "a restock below zero is refused and notifies nobody",
                 "[queries][prebooks][restock]") {
  auto waiting = storage::insert_prebook(db, alice, dune.id);
  CHECK(kind_of([&] { storage::restock_book(db, dune.id, -1); })
        == failure_kind::check);
  CHECK(status_of(waiting->id) == prebook_status::waiting);
}
