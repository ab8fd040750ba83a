// Bad input at the actor layer gets a domain error, never a crash; a store
// that cannot write acknowledges nothing.

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;

namespace {

template <class T> error_code rejection(const caf::expected<T>& result) {
  REQUIRE_FALSE(result);
  return domain_code(result.error());
}

} // namespace

TEST_CASE("bad quantities and unknown ids and over-long strings are rejected",
          "[actor][input]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto book = t.create_book("Real", 5);
  auto cart = t.cart_of(t.create_user("bad@example.com"));
  auto handle = t.book_of(book.id);

  for (std::int64_t quantity : {0, -1, 10001}) {
    CHECK(rejection(t.try_ask<storage::cart_view_line>(cart, add_atom::value,
                                                       book.id, quantity))
          == error_code::validation_error);
    CHECK(rejection(t.try_ask<reservation_reply>(handle, reserve_atom::value,
                                                 ticket{1}, quantity))
          == error_code::validation_error);
  }
  for (std::int64_t stock : {-1LL, 2147483648LL})
    CHECK(rejection(t.try_ask<model::book>(handle, stock_atom::value, stock))
          == error_code::validation_error);

  for (model::book_id unknown : {0LL, -5LL, 987654321LL}) {
    CHECK(rejection(
              t.try_ask<book_actor>(t.shop.registry, book_atom::value, unknown))
          == error_code::book_not_found);
    CHECK(rejection(t.try_ask<storage::cart_view_line>(
              cart, add_atom::value, unknown, std::int64_t{1}))
          == error_code::book_not_found);
  }
  CHECK(rejection(t.try_ask<model::cart_line>(cart, change_atom::value,
                                              model::cart_item_id{424242},
                                              std::int64_t{1}))
        == error_code::cart_item_not_found);
  CHECK(rejection(t.try_ask<bool>(cart, remove_atom::value,
                                  model::cart_item_id{424242}))
        == error_code::cart_item_not_found);

  auto too_long = draft_book(std::string(501, 'x'));
  CHECK(rejection(t.try_ask<model::book>(t.shop.registry, create_atom::value,
                                         too_long))
        == error_code::validation_error);
  auto free_book = draft_book("Free", 0);
  CHECK(rejection(t.try_ask<model::book>(t.shop.registry, create_atom::value,
                                         free_book))
        == error_code::validation_error);

  // An empty cart cannot be checked out, and the duplicate book is refused.
  CHECK(t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{})
            .error
        == error_code::order_cart_empty);
  t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                 std::int64_t{1});
  CHECK(rejection(t.try_ask<storage::cart_view_line>(cart, add_atom::value,
                                                     book.id, std::int64_t{1}))
        == error_code::cart_item_duplicate);
  // The system is still alive and consistent after all of that.
  CHECK(t.ask<model::book>(handle, get_atom::value).stock_quantity == 5);
}

TEST_CASE("an out-of-stock book cannot be added to a cart", "[actor][input]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto none_left = t.create_book("None Left", 0);
  auto cart = t.cart_of(t.create_user("empty@example.com"));
  CHECK(rejection(t.try_ask<storage::cart_view_line>(
            cart, add_atom::value, none_left.id, std::int64_t{1}))
        == error_code::cart_book_out_of_stock);
}

TEST_CASE("a store that cannot write answers with an error and acknowledges "
          "nothing",
          "[actor][input]") {
  temp_db db;
  model::book_id book_id = 0;
  model::user_id user = 0;
  {
    threaded_shop t{db.path()};
    book_id = t.create_book("Stuck", 5).id;
    user = t.create_user("stuck@example.com");
    t.ask<storage::cart_view_line>(t.cart_of(user), add_atom::value, book_id,
                                   std::int64_t{2});
  }
  auto config = test_config(db.path());
  config.read_only = true;
  threaded_shop t{db.path(), config};
  auto cart = t.cart_of(user); // reads work
  auto handle = t.book_of(book_id);

  auto outcome =
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  CHECK(outcome.error == error_code::store_unavailable);
  CHECK(rejection(
            t.try_ask<model::book>(handle, stock_atom::value, std::int64_t{50}))
        == error_code::store_unavailable);
  CHECK(rejection(t.try_ask<model::book>(t.shop.registry, create_atom::value,
                                         draft_book("Never")))
        == error_code::store_unavailable);

  // Nothing moved: stock and cart as before, in memory and on disk.
  CHECK(t.ask<model::book>(handle, get_atom::value).stock_quantity == 5);
  CHECK(t.ask<std::vector<model::cart_line>>(cart, get_atom::value).size()
        == 1);
  sqlite_probe probe{db.path()};
  CHECK(probe.orders() == 0);
  CHECK(probe.stock(book_id) == 5);
  // Every reservation was released: the whole stock can be held again.
  CHECK(t.ask<reservation_reply>(handle, reserve_atom::value, ticket{3},
                                 std::int64_t{5})
            .status
        == reservation_status::reserved);
}

TEST_CASE("the fault switch makes writes fail and recovers", "[actor][input]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto book = t.create_book("Flaky", 5);
  auto cart = t.cart_of(t.create_user("flaky@example.com"));
  t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                 std::int64_t{1});

  CHECK(t.ask<bool>(t.shop.store, fault_atom::value, true));
  CHECK(t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{})
            .error
        == error_code::store_unavailable);
  CHECK(t.ask<model::book>(t.book_of(book.id), get_atom::value).stock_quantity
        == 5);
  CHECK_FALSE(t.ask<bool>(t.shop.store, fault_atom::value, false));
  auto outcome =
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  CHECK(outcome.ok());
  CHECK(t.ask<model::book>(t.book_of(book.id), get_atom::value).stock_quantity
        == 4);
}
