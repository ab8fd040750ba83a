// Stopping the system and reopening the same file gives back the same
// books, stock, carts and orders.

#include <limits>

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"

using namespace bookstore;
using namespace bookstore::testing;

namespace {

struct snapshot {
  std::vector<model::book> books;
  std::vector<std::vector<model::cart_line>> carts;
  std::vector<model::order> orders;
};

snapshot take(threaded_shop& t, const std::vector<model::book_id>& books,
              const std::vector<model::user_id>& users) {
  snapshot s;
  for (auto id : books)
    s.books.push_back(t.ask<model::book>(t.book_of(id), get_atom::value));
  for (auto user : users)
    s.carts.push_back(
        t.ask<std::vector<model::cart_line>>(t.cart_of(user), get_atom::value));
  s.orders = t.ask<std::vector<model::order>>(
      t.shop.store, list_atom::value,
      order_page_request{0, std::numeric_limits<model::order_id>::max(),
                         1'000'000});
  return s;
}

void require_same(const snapshot& a, const snapshot& b) {
  REQUIRE(a.books.size() == b.books.size());
  for (std::size_t i = 0; i < a.books.size(); ++i) {
    CHECK(a.books[i].id == b.books[i].id);
    CHECK(a.books[i].title == b.books[i].title);
    CHECK(a.books[i].price == b.books[i].price);
    CHECK(a.books[i].stock_quantity == b.books[i].stock_quantity);
  }
  REQUIRE(a.carts.size() == b.carts.size());
  for (std::size_t i = 0; i < a.carts.size(); ++i) {
    REQUIRE(a.carts[i].size() == b.carts[i].size());
    for (std::size_t j = 0; j < a.carts[i].size(); ++j) {
      CHECK(a.carts[i][j].id == b.carts[i][j].id);
      CHECK(a.carts[i][j].book == b.carts[i][j].book);
      CHECK(a.carts[i][j].quantity == b.carts[i][j].quantity);
    }
  }
  REQUIRE(a.orders.size() == b.orders.size());
  for (std::size_t i = 0; i < a.orders.size(); ++i) {
    CHECK(a.orders[i].id == b.orders[i].id);
    CHECK(a.orders[i].owner == b.orders[i].owner);
    CHECK(a.orders[i].created_at == b.orders[i].created_at);
    CHECK(a.orders[i].total() == b.orders[i].total());
    CHECK(a.orders[i].lines.size() == b.orders[i].lines.size());
  }
}

} // namespace

TEST_CASE(
    "reopening the database restores books and stock and carts and orders",
    "[actor][recovery]") {
  temp_db db;
  std::vector<model::book_id> books;
  std::vector<model::user_id> users;
  snapshot before;
  {
    threaded_shop t{db.path()};
    auto a = t.create_book("Alpha", 10, 1999);
    auto b = t.create_book("Beta 'quoted' \xF0\x9F\x93\x9A", 3, 29);
    books = {a.id, b.id};
    for (auto name : {"buyer", "keeper"}) {
      auto user = t.create_user(std::string{name} + "@example.com");
      users.push_back(user);
      auto cart = t.cart_of(user);
      t.ask<storage::cart_view_line>(cart, add_atom::value, a.id,
                                     std::int64_t{2});
      t.ask<storage::cart_view_line>(cart, add_atom::value, b.id,
                                     std::int64_t{1});
    }
    auto sold = t.ask<checkout_outcome>(
        t.cart_of(users[0]), checkout_atom::value, checkout_request{});
    REQUIRE(sold.ok());
    before = take(t, books, users);
    REQUIRE(before.books[0].stock_quantity == 8);
    REQUIRE(before.carts[0].empty());
    REQUIRE(before.carts[1].size() == 2);
    REQUIRE(before.orders.size() == 1);
  }
  threaded_shop reopened{db.path()};
  auto after = take(reopened, books, users);
  require_same(before, after);
  CHECK(after.books[1].title == "Beta 'quoted' \xF0\x9F\x93\x9A");
}
