// Idle book and cart actors stop after the configured time and come back
// from the database, unchanged, when needed again.

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using namespace std::chrono_literals;

namespace {

core_config idle_after(std::chrono::milliseconds idle) {
  core_config config;
  config.payment_failure_rate = 0.0;
  config.idle_timeout = idle;
  config.reservation_timeout = 30s;
  return config;
}

} // namespace

TEST_CASE("idle book and cart actors passivate and reload unchanged",
          "[actor][deterministic][passivation]") {
  temp_db db;
  coordinated_shop t{db.path(), idle_after(60s)};
  auto book = t.create_book("Sleepy", 7);
  auto cart = t.user_with_cart("sleepy@example.com", {{book.id, 2}});
  auto first_book = t.book_of(book.id);
  REQUIRE(t.shop.metrics->live_books == 1);
  REQUIRE(t.shop.metrics->live_carts == 1);

  t.sched.advance_time(59s);
  t.sched.run();
  CHECK(t.shop.metrics->live_books == 1); // not idle long enough yet

  t.sched.advance_time(2s);
  t.sched.run();
  CHECK(t.shop.metrics->live_books == 0);
  CHECK(t.shop.metrics->live_carts == 0);

  // The next lookup spawns a new actor from the database, state intact.
  auto second_book = t.book_of(book.id);
  CHECK(second_book != first_book);
  CHECK(t.shop.metrics->live_books == 1);
  CHECK(t.ask<model::book>(second_book, get_atom::value).stock_quantity == 7);
  auto user = t.ask<storage::user_record>(t.shop.store, get_atom::value,
                                          user_atom::value, model::user_id{1});
  auto lines =
      t.ask<std::vector<model::cart_line>>(t.cart_of(user.id), get_atom::value);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].quantity == 2);
  static_cast<void>(cart);
}

TEST_CASE("a book holding a reservation does not passivate",
          "[actor][deterministic][passivation]") {
  temp_db db;
  coordinated_shop t{db.path(), idle_after(10s)};
  auto book = t.create_book("Held", 3);
  auto handle = t.book_of(book.id);
  REQUIRE(t.ask<reservation_reply>(handle, reserve_atom::value, ticket{1},
                                   std::int64_t{2})
              .status
          == reservation_status::reserved);
  t.sched.advance_time(11s);
  t.sched.run();
  CHECK(t.shop.metrics->live_books == 1);
  // The same actor still answers and still holds the two copies.
  CHECK(t.book_of(book.id) == handle);
  CHECK(t.ask<reservation_reply>(handle, reserve_atom::value, ticket{2},
                                 std::int64_t{2})
            .status
        == reservation_status::short_stock);
  // Once released and idle again, it passivates.
  caf::anon_send(handle, release_atom::value, ticket{1});
  t.sched.run();
  t.sched.advance_time(11s);
  t.sched.run();
  t.sched.advance_time(11s);
  t.sched.run();
  CHECK(t.shop.metrics->live_books == 0);
}
