// Ids of a cluster's files: every file hands out users, books, orders,
// reviews, wishlist items and pre-bookings from its own residue class, so
// that no two nodes' ids collide.

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "model/cluster.hpp"
#include "storage/accounts.hpp"
#include "storage/cart_queries.hpp"
#include "storage/catalog_queries.hpp"
#include "storage/list_queries.hpp"
#include "storage/order_queries.hpp"
#include "storage/review_queries.hpp"

using namespace storage_test;

namespace {

storage::database open_node(std::int64_t index, std::int64_t count) {
  storage::open_options options;
  options.ids = {count, index};
  return storage::database{":memory:", options};
}

} // namespace

TEST_CASE("node i of 3 writes only ids whose owner is i, in order, gaps "
          "included",
          "[storage][cluster]") {
  model::ownership owners{3};
  std::set<std::int64_t> every_id;
  for (std::int64_t node = 0; node < 3; ++node) {
    auto db = open_node(node, 3);
    std::vector<std::int64_t> users, books, orders, reviews;
    for (int i = 0; i < 4; ++i) {
      auto user = storage::insert_user(
          db, "u" + std::to_string(i) + "@example.com", "h", "user");
      auto book = storage::insert_book(db, make_book("B", 100, 5));
      model::order_line line;
      line.book = book.id;
      line.quantity = 1;
      line.unit_price = 100;
      line.summary.id = book.id;
      auto order = storage::insert_order(db, user.id, {line}, {}, "2026-01-01");
      auto review = storage::insert_review(db, user.id, {user.email, true},
                                           book.id, 5, std::nullopt, 0);
      users.push_back(user.id);
      books.push_back(book.id);
      orders.push_back(order.id);
      reviews.push_back(review);
    }
    for (auto* ids : {&users, &books, &orders, &reviews}) {
      INFO("node " << node);
      // 1 + node, then every third id: the class of the node, no id skipped.
      CHECK(*ids
            == std::vector<std::int64_t>{1 + node, 4 + node, 7 + node,
                                         10 + node});
      for (auto id : *ids)
        CHECK(owners.owner_of_id(id) == static_cast<std::size_t>(node));
    }
    for (auto id : books)
      CHECK(every_id.insert(id).second); // no other node took it
  }
}

TEST_CASE("wishlist items and pre-bookings take ids of their book's node",
          "[storage][cluster]") {
  model::ownership owners{3};
  auto db = open_node(2, 3);
  auto user = storage::insert_user(db, "u@example.com", "h", "user");
  std::vector<std::int64_t> items, prebooks;
  for (int i = 0; i < 3; ++i) {
    auto book = storage::insert_book(db, make_book("B", 100, 0));
    items.push_back(storage::add_wishlist_item(db, user.id, book.id)->id);
    prebooks.push_back(storage::insert_prebook(db, user.id, book.id)->id);
  }
  CHECK(items == std::vector<std::int64_t>{3, 6, 9});
  CHECK(prebooks == std::vector<std::int64_t>{3, 6, 9});
  for (auto id : prebooks) // DELETE /prebooks/{id} goes by this
    CHECK(owners.owner_of_id(id) == 2);
}

TEST_CASE("cart items take ids of their user's node, never one again",
          "[storage][cluster]") {
  auto db = open_node(2, 3);
  auto user = storage::insert_user(db, "u@example.com", "h", "user");
  std::vector<std::int64_t> items;
  for (int i = 0; i < 3; ++i) {
    auto book = storage::insert_book(db, make_book("B", 100, 1));
    items.push_back(storage::insert_cart_item(db, user.id, book.id, 1).id);
  }
  // Another node asks this one about them (routes_cart.cpp) by these ids.
  CHECK(items == std::vector<std::int64_t>{3, 6, 9});
  // The last one removed: its id is not handed out again.
  storage::delete_cart_item(db, 9);
  auto book = storage::insert_book(db, make_book("C", 100, 1));
  CHECK(storage::insert_cart_item(db, user.id, book.id, 1).id == 12);
}

TEST_CASE("the next id follows the largest id present, not a counter",
          "[storage][cluster]") {
  auto db = open_node(1, 2);
  // A row written under another id space (say, moved from another file):
  // the next one is the smallest of this node's ids above it.
  db.conn()
      .cached("INSERT INTO books (id, title, author, price_cents,"
              " stock_quantity) VALUES (9, 't', 'a', 1, 0)")
      .run();
  CHECK(storage::insert_book(db, make_book("Next", 100, 1)).id == 10);
  CHECK(storage::insert_book(db, make_book("Then", 100, 1)).id == 12);
}

TEST_CASE("a single server's file numbers from 1 without gaps",
          "[storage][cluster]") {
  storage::database db{":memory:"};
  CHECK(storage::insert_book(db, make_book("A", 100, 1)).id == 1);
  CHECK(storage::insert_book(db, make_book("B", 100, 1)).id == 2);
}

TEST_CASE("an id space that names no node is refused", "[storage][cluster]") {
  CHECK_THROWS_AS(open_node(3, 3), storage::error);
  CHECK_THROWS_AS(open_node(-1, 3), storage::error);
  CHECK_THROWS_AS(open_node(0, 0), storage::error);
}

TEST_CASE("a cluster node's ids follow time: newest first by id holds over "
          "the nodes",
          "[storage][cluster]") {
  auto open_timed = [](std::int64_t node) {
    storage::open_options options;
    options.ids = {3, node, true};
    return std::make_unique<storage::database>(":memory:", options);
  };
  auto a = open_timed(0);
  auto b = open_timed(1);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(storage::insert_book(*a, make_book("A", 100, 1)).id);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ids.push_back(storage::insert_book(*b, make_book("B", 100, 1)).id);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  model::ownership owners{3};
  for (std::size_t i = 0; i < ids.size(); ++i)
    CHECK(owners.owner_of_id(ids[i]) == i % 2);
}
