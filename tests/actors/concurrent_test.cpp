// Many checkouts at once on CAF's threaded scheduler: the invariants hold in
// memory and in the SQLite file read back independently.

#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;

namespace {

struct user_cart {
  model::user_id user;
  cart_actor cart;
};

/// `count` users, each with the given lines in their cart.
std::vector<user_cart>
users_with(threaded_shop& t, int count, const std::string& prefix,
           const std::vector<std::pair<model::book_id, std::int64_t>>& lines) {
  std::vector<user_cart> result;
  for (int i = 0; i < count; ++i) {
    auto user = t.create_user(prefix + std::to_string(i) + "@example.com");
    result.push_back({user, t.cart_of(user)});
  }
  std::vector<cart_actor> carts;
  for (auto& uc : result)
    carts.push_back(uc.cart);
  for (auto& [book, quantity] : lines)
    for (auto& added : t.ask_all<storage::cart_view_line>(
             carts, add_atom::value, book, quantity))
      REQUIRE(added);
  return result;
}

std::vector<cart_actor> carts_of(const std::vector<user_cart>& users) {
  std::vector<cart_actor> carts;
  for (auto& uc : users)
    carts.push_back(uc.cart);
  return carts;
}

std::int64_t memory_stock(threaded_shop& t, model::book_id id) {
  return t.ask<model::book>(t.book_of(id), get_atom::value).stock_quantity;
}

std::size_t count(const std::vector<caf::expected<checkout_outcome>>& all,
                  error_code code) {
  return std::count_if(all.begin(), all.end(),
                       [&](auto& o) { return o && o->error == code; });
}

} // namespace

TEST_CASE("1000 users racing for 100 copies buy exactly 100",
          "[actor][concurrent]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto hot = t.create_book("Hot", 100);
  auto buyers = users_with(t, 1000, "racer", {{hot.id, 1}});

  auto outcomes = t.ask_all<checkout_outcome>(
      carts_of(buyers), checkout_atom::value, checkout_request{});
  REQUIRE(outcomes.size() == 1000);
  CHECK(count(outcomes, error_code::none) == 100);
  CHECK(count(outcomes, error_code::order_insufficient_stock) == 900);

  // Conservation: initial + restocks == current + sold, in memory...
  CHECK(memory_stock(t, hot.id) == 0);
  // ...and in the file, through an independent connection.
  sqlite_probe probe{db.path()};
  CHECK(probe.stock(hot.id) == 0);
  CHECK(probe.units_sold(hot.id) == 100);
  CHECK(probe.orders() == 100);
  CHECK(probe.cart_items() == 900); // the losers keep their carts
  CHECK(t.shop.metrics->orders_committed == 100);
}

TEST_CASE("multi-book carts racing never give a partial order",
          "[actor][concurrent]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto scarce = t.create_book("Scarce", 30, 1500);
  auto plenty = t.create_book("Plenty", 100000, 250);
  auto buyers = users_with(t, 300, "multi", {{scarce.id, 2}, {plenty.id, 3}});

  auto outcomes = t.ask_all<checkout_outcome>(
      carts_of(buyers), checkout_atom::value, checkout_request{});
  CHECK(count(outcomes, error_code::none) == 15);
  for (auto& o : outcomes) {
    REQUIRE(o);
    if (o->ok()) {
      // Both lines or nothing, at the prices of the reservation.
      REQUIRE(o->order.lines.size() == 2);
      CHECK(o->order.total() == 2 * 1500 + 3 * 250);
    } else {
      CHECK(o->error == error_code::order_insufficient_stock);
    }
  }
  sqlite_probe probe{db.path()};
  CHECK(probe.scalar("SELECT COUNT(*) FROM orders o WHERE (SELECT COUNT(*) "
                     "FROM order_items i WHERE i.order_id = o.id) <> 2")
        == 0);
  CHECK(probe.stock(scarce.id) == 0);
  CHECK(probe.units_sold(scarce.id) == 30);
  CHECK(probe.stock(plenty.id) == 100000 - 15 * 3);
  CHECK(probe.units_sold(plenty.id) == 15 * 3);
  CHECK(memory_stock(t, plenty.id) == 100000 - 15 * 3);
  CHECK(probe.cart_items() == (300 - 15) * 2);
}

TEST_CASE("concurrent checkouts of one cart give at most one order",
          "[actor][concurrent]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto book = t.create_book("Once", 1000);
  auto buyer = users_with(t, 1, "once", {{book.id, 2}}).front();

  std::vector<cart_actor> same_cart(50, buyer.cart);
  auto outcomes = t.ask_all<checkout_outcome>(same_cart, checkout_atom::value,
                                              checkout_request{});
  CHECK(count(outcomes, error_code::none) == 1);
  CHECK(count(outcomes, error_code::none)
            + count(outcomes, error_code::checkout_in_progress)
            + count(outcomes, error_code::order_cart_empty)
        == 50);
  sqlite_probe probe{db.path()};
  CHECK(probe.orders() == 1);
  CHECK(probe.stock(book.id) == 998);
  CHECK(t.ask<std::vector<model::cart_line>>(buyer.cart, get_atom::value)
            .empty());
}

TEST_CASE("with half the payments declined the invariant holds and declined "
          "users keep their carts",
          "[actor][concurrent]") {
  temp_db db;
  auto config = test_config(db.path());
  config.payment_failure_rate = 0.5;
  threaded_shop t{db.path(), config};
  auto book = t.create_book("Coin Flip", 200);
  auto buyers = users_with(t, 400, "flip", {{book.id, 1}});

  auto outcomes = t.ask_all<checkout_outcome>(
      carts_of(buyers), checkout_atom::value, checkout_request{});
  auto sold = count(outcomes, error_code::none);
  auto declined = count(outcomes, error_code::order_payment_failed);
  CHECK(declined > 0);
  CHECK(sold > 0);
  CHECK(sold + declined + count(outcomes, error_code::order_insufficient_stock)
        == 400);

  sqlite_probe probe{db.path()};
  CHECK(probe.stock(book.id) + probe.units_sold(book.id) == 200);
  CHECK(probe.units_sold(book.id) == static_cast<std::int64_t>(sold));
  CHECK(memory_stock(t, book.id) == probe.stock(book.id));
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    auto lines =
        t.ask<std::vector<model::cart_line>>(buyers[i].cart, get_atom::value);
    REQUIRE(outcomes[i]);
    if (outcomes[i]->ok())
      CHECK(lines.empty());
    else
      CHECK(lines.size() == 1); // declined or short: cart unchanged
  }
}
