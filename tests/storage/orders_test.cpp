// Orders: what insert_order writes in one go, and how orders read back.

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

// An id above every order's: the first page.
constexpr auto above_every_id = std::numeric_limits<model::order_id>::max();

struct order_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;
  model::book dune = storage::insert_book(db, make_book("Dune", 1999, 10));
  model::book emma = storage::insert_book(db, make_book("Emma", 850, 4));

  model::order_line line(const model::book& book, std::int64_t quantity) {
    model::order_line result;
    result.book = book.id;
    result.quantity = quantity;
    result.unit_price = book.price;
    result.summary.id = book.id;
    result.summary.title = book.title;
    result.summary.author = book.author;
    result.summary.price = book.price;
    return result;
  }

  model::order checkout(model::user_id owner,
                        const std::vector<model::order_line>& lines,
                        const std::vector<model::cart_item_id>& sold = {},
                        const std::string& at = "2026-02-25T16:51:00Z") {
    storage::transaction tx(db.conn());
    auto order = storage::insert_order(db, owner, lines, sold, at);
    tx.commit();
    return order;
  }

  std::int64_t stock(const model::book& book) {
    return storage::find_book(db, book.id)->stock_quantity;
  }
};

} // namespace

TEST_CASE_METHOD(order_fixture,
                 "an order decrements stock and clears what "
                 "it sold",
                 "[orders]") {
  const auto sold_dune = storage::insert_cart_item(db, alice, dune.id, 3);
  const auto sold_emma = storage::insert_cart_item(db, alice, emma.id, 4);
  const auto kept = storage::insert_cart_item(
      db, alice, storage::insert_book(db, make_book("Kept", 100, 1)).id, 1);
  const auto bobs = storage::insert_cart_item(db, bob, dune.id, 1);

  const auto order = checkout(alice, {line(dune, 3), line(emma, 4)},
                              {sold_dune.id, sold_emma.id});
  CHECK(order.id > 0);
  CHECK(order.owner == alice);
  CHECK(order.status == "confirmed");
  CHECK(order.created_at == "2026-02-25T16:51:00Z");
  REQUIRE(order.lines.size() == 2);
  CHECK(order.lines[0].id > 0);
  CHECK(order.lines[1].id > order.lines[0].id);

  CHECK(stock(dune) == 7);
  CHECK(stock(emma) == 0);

  const auto left = storage::load_cart(db, alice);
  REQUIRE(left.size() == 1);
  CHECK(left[0].id == kept.id);
  REQUIRE(storage::load_cart(db, bob).size() == 1);
  CHECK(storage::load_cart(db, bob)[0].id == bobs.id);

  CHECK(query_int(conn_of(db), "SELECT total_cents FROM orders")
        == 3 * 1999 + 4 * 850);
}

TEST_CASE_METHOD(order_fixture, "sold items of another user's cart stay",
                 "[orders]") {
  const auto bobs = storage::insert_cart_item(db, bob, dune.id, 1);
  checkout(alice, {line(dune, 1)}, {bobs.id});
  CHECK(storage::load_cart(db, bob).size() == 1);
}

TEST_CASE_METHOD(order_fixture, "stock moves by a delta whatever was read",
                 "[orders]") {
  // A restock lands between the checkout's read and its write: both count.
  storage::add_stock(db, dune.id, 5);
  checkout(alice, {line(dune, 2)});
  CHECK(stock(dune) == 13);
}

TEST_CASE_METHOD(order_fixture, "an order beyond the stock fails whole",
                 "[orders]") {
  const auto item = storage::insert_cart_item(db, alice, emma.id, 5);
  {
    storage::transaction tx(db.conn()); // rolls back at the end of the block
    try {
      storage::insert_order(db, alice, {line(dune, 1), line(emma, 5)},
                            {item.id}, "2026-02-25T16:51:00Z");
      FAIL("stock went below zero");
    } catch (const storage::error& e) {
      CHECK(e.kind() == failure_kind::check);
    }
  }

  CHECK(stock(dune) == 10);
  CHECK(stock(emma) == 4);
  CHECK(storage::load_cart(db, alice).size() == 1);
  CHECK(storage::list_orders(db, std::nullopt, above_every_id, 100).empty());
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM order_items") == 0);
}

TEST_CASE_METHOD(order_fixture,
                 "an order reads back with its unit prices "
                 "and the books as they are now",
                 "[orders]") {
  auto sold = line(dune, 2);
  sold.unit_price = 1500; // the reserved price, not the list price
  const auto order = checkout(alice, {sold, line(emma, 1)});

  auto renamed = dune;
  renamed.title = "Dune (new edition)";
  renamed.price = 2500;
  renamed.cover_image_url = "https://example.com/dune.png";
  storage::update_book(db, renamed);
  REQUIRE(storage::delete_book(db, emma.id));

  const auto found = storage::find_order(db, order.id);
  REQUIRE(found);
  CHECK(found->id == order.id);
  CHECK(found->owner == alice);
  CHECK(found->status == "confirmed");
  CHECK(found->created_at == "2026-02-25T16:51:00Z");
  CHECK(found->total() == 2 * 1500 + 850);
  REQUIRE(found->lines.size() == 2);

  const auto& first = found->lines[0];
  CHECK(first.id == order.lines[0].id);
  CHECK(first.book == dune.id);
  CHECK(first.quantity == 2);
  CHECK(first.unit_price == 1500);
  CHECK(first.summary.id == dune.id);
  CHECK(first.summary.title == "Dune (new edition)");
  CHECK(first.summary.author == dune.author);
  CHECK(first.summary.price == 2500);
  CHECK(first.summary.cover_image_url == "https://example.com/dune.png");

  // A deleted book still shows in the orders that sold it.
  const auto& second = found->lines[1];
  CHECK(second.book == emma.id);
  CHECK(second.summary.title == "Emma");
  CHECK(second.unit_price == 850);
  CHECK_FALSE(second.summary.cover_image_url);

  // The title as sold stays in order_items.
  CHECK(query_text(conn_of(db), "SELECT title FROM order_items ORDER BY id")
        == "Dune");

  CHECK_FALSE(storage::find_order(db, order.id + 100));
}

TEST_CASE_METHOD(order_fixture,
                 "a line without a summary stores the "
                 "book's title and author",
                 "[orders]") {
  model::order_line bare;
  bare.book = emma.id;
  bare.quantity = 1;
  bare.unit_price = 850;
  checkout(alice, {bare});
  CHECK(query_text(conn_of(db), "SELECT title || '/' || author"
                                " FROM order_items")
        == "Emma/Some Author");
}

TEST_CASE_METHOD(order_fixture, "orders list newest first per owner",
                 "[orders]") {
  const auto a1 = checkout(alice, {line(dune, 1)}, {}, "2026-01-01T00:00:00Z");
  const auto b1 = checkout(bob, {line(emma, 1)}, {}, "2026-01-02T00:00:00Z");
  const auto a2 = checkout(alice, {line(emma, 1), line(dune, 2)}, {},
                           "2026-01-03T00:00:00Z");

  const auto mine = storage::list_orders(db, alice, above_every_id, 100);
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].id == a2.id);
  CHECK(mine[1].id == a1.id);
  REQUIRE(mine[0].lines.size() == 2);
  CHECK(mine[0].lines[0].book == emma.id); // lines keep their order
  CHECK(mine[0].lines[1].book == dune.id);
  CHECK(mine[0].lines[1].quantity == 2);
  CHECK(mine[1].created_at == "2026-01-01T00:00:00Z");

  const auto bobs = storage::list_orders(db, bob, above_every_id, 100);
  REQUIRE(bobs.size() == 1);
  CHECK(bobs[0].id == b1.id);
  REQUIRE(bobs[0].lines.size() == 1);

  const auto all = storage::list_orders(db, std::nullopt, above_every_id, 100);
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == a2.id);
  CHECK(all[1].id == b1.id);
  CHECK(all[2].id == a1.id);
  CHECK(all[1].owner == bob);

  CHECK(storage::list_orders(db, 424242, above_every_id, 100).empty());
}

TEST_CASE_METHOD(order_fixture,
                 "orders list a page at a time below the last id read with "
                 "whole orders only",
                 "[orders]") {
  const auto plenty = storage::insert_book(db, make_book("Ulysses", 1200, 100));
  std::vector<model::order_id> alices, everyone;
  for (int i = 0; i < 5; ++i) {
    // Two lines each, so a page of orders is more rows than its limit.
    alices.push_back(checkout(alice, {line(dune, 1), line(plenty, 1)}).id);
    everyone.push_back(alices.back());
    everyone.push_back(checkout(bob, {line(plenty, 1)}).id);
  }
  std::reverse(alices.begin(), alices.end()); // newest first
  std::reverse(everyone.begin(), everyone.end());

  // Pages until one comes back short: the ids in order, each once.
  auto page_through = [&](std::optional<model::user_id> owner,
                          std::int64_t limit) {
    std::vector<model::order_id> ids;
    auto before = above_every_id;
    for (;;) {
      const auto page = storage::list_orders(db, owner, before, limit);
      CHECK(static_cast<std::int64_t>(page.size()) <= limit);
      for (const auto& order : page) {
        CHECK(order.lines.size() == (order.owner == alice ? 2u : 1u));
        ids.push_back(order.id);
      }
      if (static_cast<std::int64_t>(page.size()) < limit)
        return ids;
      before = page.back().id;
    }
  };
  CHECK(page_through(std::nullopt, 3) == everyone);
  CHECK(page_through(std::nullopt, 1) == everyone);
  CHECK(page_through(std::nullopt, 10) == everyone); // a full page, then none
  CHECK(page_through(alice, 2) == alices);
  CHECK(page_through(alice, 5) == alices);

  // A page starts strictly below `before`.
  const auto below = storage::list_orders(db, std::nullopt, everyone[4], 2);
  REQUIRE(below.size() == 2);
  CHECK(below[0].id == everyone[5]);
  CHECK(below[1].id == everyone[6]);
  CHECK(storage::list_orders(db, alice, alices.back(), 10).empty());
}

TEST_CASE_METHOD(order_fixture,
                 "orders of unknown users or books are "
                 "refused",
                 "[orders]") {
  storage::transaction tx(db.conn()); // never committed
  CHECK(kind_of([&] {
          storage::insert_order(db, 424242, {line(dune, 1)}, {},
                                "2026-01-01T00:00:00Z");
        })
        == failure_kind::foreign_key);
  auto ghost = line(dune, 1);
  ghost.book = 424242;
  CHECK(kind_of([&] {
          storage::insert_order(db, alice, {ghost}, {}, "2026-01-01T00:00:00Z");
        })
        == failure_kind::foreign_key);
}

TEST_CASE_METHOD(order_fixture, "checkout statements are prepared once",
                 "[orders]") {
  const auto item = storage::insert_cart_item(db, alice, dune.id, 1);
  checkout(alice, {line(dune, 1), line(emma, 1)}, {item.id});
  storage::find_book(db, dune.id);
  storage::add_stock(db, dune.id, 1);
  const auto prepared = conn_of(db).cached_count();

  const auto again = storage::insert_cart_item(db, alice, dune.id, 1);
  checkout(alice, {line(dune, 1), line(emma, 1)}, {again.id});
  storage::find_book(db, dune.id);
  storage::add_stock(db, dune.id, 1);
  CHECK(conn_of(db).cached_count() == prepared);
}
