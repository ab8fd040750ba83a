// Carts: one per user, items in insertion order, constraints as kinds.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

struct cart_fixture {
  storage::database db{":memory:"};
  model::user_id alice = db.insert_user("alice@example.com", "h", "user").id;
  model::user_id bob = db.insert_user("bob@example.com", "h", "user").id;
  model::book_id first = db.insert_book(make_book("First", 100, 5)).id;
  model::book_id second = db.insert_book(make_book("Second", 200, 5)).id;
  model::book_id third = db.insert_book(make_book("Third", 300, 5)).id;
};

} // namespace

TEST_CASE_METHOD(cart_fixture, "cart items load in insertion order",
                 "[carts]") {
  CHECK(db.load_cart(alice).empty());
  // Book ids deliberately out of order: the order is the items'.
  const auto a = db.insert_cart_item(alice, third, 1);
  const auto b = db.insert_cart_item(alice, first, 2);
  const auto c = db.insert_cart_item(alice, second, 3);
  CHECK(a.book == third);
  CHECK(a.quantity == 1);

  const auto lines = db.load_cart(alice);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].id == a.id);
  CHECK(lines[0].book == third);
  CHECK(lines[1].id == b.id);
  CHECK(lines[1].quantity == 2);
  CHECK(lines[2].id == c.id);
  CHECK(lines[2].book == second);
  CHECK(db.load_cart(bob).empty());
}

TEST_CASE_METHOD(cart_fixture, "cart constraints surface as kinds", "[carts]") {
  db.insert_cart_item(alice, first, 1);
  CHECK(kind_of([&] { db.insert_cart_item(alice, first, 4); })
        == failure_kind::unique);
  CHECK(kind_of([&] { db.insert_cart_item(424242, first, 1); })
        == failure_kind::foreign_key);
  CHECK(kind_of([&] { db.insert_cart_item(alice, 424242, 1); })
        == failure_kind::foreign_key);
  CHECK(kind_of([&] { db.insert_cart_item(alice, second, 0); })
        == failure_kind::check);
  CHECK(kind_of([&] { db.insert_cart_item(alice, second, 10001); })
        == failure_kind::check);
  // The same book in another user's cart is fine.
  CHECK_NOTHROW(db.insert_cart_item(bob, first, 1));
  CHECK(db.load_cart(alice).size() == 1);
  CHECK(db.load_cart(bob).size() == 1);
}

TEST_CASE_METHOD(cart_fixture, "cart items can change and go", "[carts]") {
  const auto a = db.insert_cart_item(alice, first, 1);
  const auto b = db.insert_cart_item(alice, second, 1);
  db.update_cart_item(a.id, 10000);
  CHECK(kind_of([&] { db.update_cart_item(b.id, 0); }) == failure_kind::check);
  db.delete_cart_item(b.id);

  auto lines = db.load_cart(alice);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].id == a.id);
  CHECK(lines[0].quantity == 10000);

  // A removed item's id is never reused.
  const auto c = db.insert_cart_item(alice, second, 1);
  CHECK(c.id > b.id);
}

TEST_CASE_METHOD(cart_fixture, "a deleted book stays in the carts holding it",
                 "[carts]") {
  db.insert_cart_item(alice, first, 1);
  REQUIRE(db.delete_book(first));
  const auto lines = db.load_cart(alice);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].book == first);
}
