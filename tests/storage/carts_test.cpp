// Carts: one per user, items in insertion order, constraints as kinds.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

struct cart_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;
  model::book_id first =
      storage::insert_book(db, make_book("First", 100, 5)).id;
  model::book_id second =
      storage::insert_book(db, make_book("Second", 200, 5)).id;
  model::book_id third =
      storage::insert_book(db, make_book("Third", 300, 5)).id;
};

} // namespace

TEST_CASE_METHOD(cart_fixture, "cart items load in insertion order",
                 "[carts]") {
  CHECK(storage::load_cart(db, alice).empty());
  // Book ids deliberately out of order: the order is the items'.
  const auto a = storage::insert_cart_item(db, alice, third, 1);
  const auto b = storage::insert_cart_item(db, alice, first, 2);
  const auto c = storage::insert_cart_item(db, alice, second, 3);
  CHECK(a.book == third);
  CHECK(a.quantity == 1);

  const auto lines = storage::load_cart(db, alice);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].id == a.id);
  CHECK(lines[0].book == third);
  CHECK(lines[1].id == b.id);
  CHECK(lines[1].quantity == 2);
  CHECK(lines[2].id == c.id);
  CHECK(lines[2].book == second);
  CHECK(storage::load_cart(db, bob).empty());
}

TEST_CASE_METHOD(cart_fixture, "cart constraints surface as kinds", "[carts]") {
  storage::insert_cart_item(db, alice, first, 1);
  CHECK(kind_of([&] { storage::insert_cart_item(db, alice, first, 4); })
        == failure_kind::unique);
  CHECK(kind_of([&] { storage::insert_cart_item(db, 424242, first, 1); })
        == failure_kind::foreign_key);
  // A book of any id: in a cluster it may live in another node's file, and
  // its own actor checks it (schema version 8).
  CHECK_NOTHROW(storage::insert_cart_item(db, alice, 424242, 1));
  CHECK(kind_of([&] { storage::insert_cart_item(db, alice, second, 0); })
        == failure_kind::check);
  CHECK(kind_of([&] { storage::insert_cart_item(db, alice, second, 10001); })
        == failure_kind::check);
  // The same book in another user's cart is fine.
  CHECK_NOTHROW(storage::insert_cart_item(db, bob, first, 1));
  CHECK(storage::load_cart(db, alice).size() == 2);
  CHECK(storage::load_cart(db, bob).size() == 1);
}

TEST_CASE_METHOD(cart_fixture, "cart items can change and go", "[carts]") {
  const auto a = storage::insert_cart_item(db, alice, first, 1);
  const auto b = storage::insert_cart_item(db, alice, second, 1);
  storage::update_cart_item(db, a.id, 10000);
  CHECK(kind_of([&] { storage::update_cart_item(db, b.id, 0); })
        == failure_kind::check);
  storage::delete_cart_item(db, b.id);

  auto lines = storage::load_cart(db, alice);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].id == a.id);
  CHECK(lines[0].quantity == 10000);

  // A removed item's id is never reused.
  const auto c = storage::insert_cart_item(db, alice, second, 1);
  CHECK(c.id > b.id);
}

TEST_CASE_METHOD(cart_fixture, "a deleted book stays in the carts holding it",
                 "[carts]") {
  storage::insert_cart_item(db, alice, first, 1);
  REQUIRE(storage::delete_book(db, first));
  const auto lines = storage::load_cart(db, alice);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].book == first);
}
