// Cart reads: the view with its books, and who owns an item.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/queries.hpp"

using namespace storage_test;

namespace {

struct cart_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;
  model::book dune = storage::insert_book(db, make_book("Dune", 1999, 10));
  model::book emma = storage::insert_book(db, make_book("Emma", 850, 4));
};

} // namespace

TEST_CASE_METHOD(cart_fixture, "an empty or missing cart has no lines",
                 "[queries][cart]") {
  CHECK(storage::cart_view(db, alice).empty());
  CHECK(storage::cart_view(db, 999).empty());
}

TEST_CASE_METHOD(cart_fixture,
                 "the view lists lines in insertion order with their books",
                 "[queries][cart]") {
  // Emma first although its book id is higher than Dune's.
  const auto first = storage::insert_cart_item(db, alice, emma.id, 2);
  const auto second = storage::insert_cart_item(db, alice, dune.id, 3);
  storage::insert_cart_item(db, bob, dune.id, 1);

  auto cover = dune;
  cover.cover_image_url = "http://example.com/dune.png";
  storage::update_book(db, cover);

  const auto lines = storage::cart_view(db, alice);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].line.id == first.id);
  CHECK(lines[0].line.book == emma.id);
  CHECK(lines[0].line.quantity == 2);
  CHECK(lines[0].book.id == emma.id);
  CHECK(lines[0].book.title == "Emma");
  CHECK(lines[0].book.author == "Some Author");
  CHECK(lines[0].book.price == 850);
  CHECK_FALSE(lines[0].book.cover_image_url);
  CHECK(lines[1].line.id == second.id);
  CHECK(lines[1].line.quantity == 3);
  CHECK(lines[1].book.title == "Dune");
  CHECK(lines[1].book.cover_image_url == "http://example.com/dune.png");

  CHECK(storage::cart_view(db, bob).size() == 1);
}

TEST_CASE_METHOD(cart_fixture,
                 "the view shows current prices and deleted books",
                 "[queries][cart]") {
  storage::insert_cart_item(db, alice, dune.id, 1);
  storage::insert_cart_item(db, alice, emma.id, 1);
  auto repriced = dune;
  repriced.price = 2500;
  repriced.title = "Dune (new edition)";
  storage::update_book(db, repriced);
  REQUIRE(storage::delete_book(db, emma.id));

  const auto lines = storage::cart_view(db, alice);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].book.price == 2500);
  CHECK(lines[0].book.title == "Dune (new edition)");
  CHECK(lines[1].book.id == emma.id);
  CHECK(lines[1].book.title == "Emma");
}

TEST_CASE_METHOD(cart_fixture,
                 "cart_item_owner names the owner of a live cart item only",
                 "[queries][cart]") {
  const auto alices = storage::insert_cart_item(db, alice, dune.id, 1);
  const auto bobs = storage::insert_cart_item(db, bob, dune.id, 1);
  CHECK(storage::cart_item_owner(db, alices.id) == alice);
  CHECK(storage::cart_item_owner(db, bobs.id) == bob);
  CHECK_FALSE(storage::cart_item_owner(db, 12345));
  storage::delete_cart_item(db, alices.id);
  CHECK_FALSE(storage::cart_item_owner(db, alices.id));
  CHECK(storage::cart_item_owner(db, bobs.id) == bob);
}
