// The interleavings that matter, replayed step by step on CAF's test
// coordinator: nothing runs until the test says so.

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;
using namespace std::chrono_literals;

namespace {

core_config config_with(std::chrono::milliseconds payment_latency) {
  core_config config;
  config.payment_failure_rate = 0.0;
  config.payment_latency = payment_latency;
  return config;
}

/// The durable stock, as the book actor reports it.
std::int64_t stock_of(coordinated_shop& t, model::book_id id) {
  return t.ask<model::book>(t.book_of(id), get_atom::value).stock_quantity;
}

/// What a reservation of `quantity` copies of `id` would get now; released
/// again at once so that the probe changes nothing.
reservation_reply probe_reserve(coordinated_shop& t, model::book_id id,
                                std::int64_t quantity) {
  auto book = t.book_of(id);
  auto reply = t.ask<reservation_reply>(book, reserve_atom::value,
                                        ticket{999'999}, quantity);
  caf::anon_send(book, release_atom::value, ticket{999'999});
  t.sched.run();
  return reply;
}

} // namespace

TEST_CASE("two checkouts interleaved for the last copy: exactly one wins",
          "[actor][deterministic]") {
  temp_db db;
  coordinated_shop t{db.path(), config_with(20ms)};
  auto last = t.create_book("Last Copy", 1);
  auto alice = t.user_with_cart("alice@example.com", {{last.id, 1}});
  auto bob = t.user_with_cart("bob@example.com", {{last.id, 1}});

  auto first =
      t.send<checkout_outcome>(alice, checkout_atom::value, checkout_request{});
  auto second =
      t.send<checkout_outcome>(bob, checkout_atom::value, checkout_request{});
  t.sched.run();
  // Alice holds the copy while her payment is pending; Bob is refused now,
  // without waiting for her payment, and told nothing is available.
  REQUIRE_FALSE(first->done());
  REQUIRE(second->value);
  CHECK(second->value->error == error_code::order_insufficient_stock);
  REQUIRE(second->value->shortages.size() == 1);
  CHECK(second->value->shortages[0].available == 0);
  CHECK(second->value->shortages[0].requested == 1);

  t.sched.advance_time(20ms);
  t.sched.run();
  REQUIRE(first->value);
  CHECK(first->value->ok());
  CHECK(first->value->order.lines.size() == 1);
  CHECK(stock_of(t, last.id) == 0);
  // Bob's cart is unchanged, Alice's is empty.
  CHECK(t.ask<std::vector<model::cart_line>>(bob, get_atom::value).size() == 1);
  CHECK(t.ask<std::vector<model::cart_line>>(alice, get_atom::value).empty());
}

TEST_CASE("a payment decline releases every reservation",
          "[actor][deterministic]") {
  temp_db db;
  coordinated_shop t{db.path(), config_with(0ms)};
  auto a = t.create_book("A", 3);
  auto b = t.create_book("B", 2);
  auto cart = t.user_with_cart("decline@example.com", {{a.id, 3}, {b.id, 2}});

  checkout_request declined;
  declined.force_payment_failure = true;
  auto outcome = t.ask<checkout_outcome>(cart, checkout_atom::value, declined);
  CHECK(outcome.error == error_code::order_payment_failed);

  // Everything is sellable again: all copies of both books can be reserved.
  CHECK(probe_reserve(t, a.id, 3).status == reservation_status::reserved);
  CHECK(probe_reserve(t, b.id, 2).status == reservation_status::reserved);
  CHECK(stock_of(t, a.id) == 3);
  CHECK(stock_of(t, b.id) == 2);
  CHECK(t.ask<std::vector<model::cart_line>>(cart, get_atom::value).size()
        == 2);
  sqlite_probe probe{db.path()};
  CHECK(probe.orders() == 0);
}

TEST_CASE("a reservation nobody commits or releases expires",
          "[actor][deterministic]") {
  temp_db db;
  core_config config = config_with(0ms);
  config.reservation_timeout = 30s;
  coordinated_shop t{db.path(), config};
  auto scarce = t.create_book("Scarce", 1);
  auto book = t.book_of(scarce.id);

  auto held = t.ask<reservation_reply>(book, reserve_atom::value, ticket{7},
                                       std::int64_t{1});
  REQUIRE(held.status == reservation_status::reserved);
  // Held by ticket 7, so nobody else gets it...
  auto refused = t.ask<reservation_reply>(book, reserve_atom::value, ticket{8},
                                          std::int64_t{1});
  CHECK(refused.status == reservation_status::short_stock);
  // ...not even just before the timeout...
  t.sched.advance_time(29s);
  t.sched.run();
  CHECK(t.ask<reservation_reply>(book, reserve_atom::value, ticket{9},
                                 std::int64_t{1})
            .status
        == reservation_status::short_stock);
  // ...until the book actor releases it by itself.
  t.sched.advance_time(1s);
  t.sched.run();
  CHECK(t.ask<reservation_reply>(book, reserve_atom::value, ticket{10},
                                 std::int64_t{1})
            .status
        == reservation_status::reserved);
  CHECK(stock_of(t, scarce.id) == 1);
}

TEST_CASE("a multi-book checkout whose second line is short releases the "
          "first",
          "[actor][deterministic]") {
  temp_db db;
  coordinated_shop t{db.path(), config_with(0ms)};
  auto plenty = t.create_book("Plenty", 5);
  auto scarce = t.create_book("Scarce", 1);
  auto cart =
      t.user_with_cart("multi@example.com", {{plenty.id, 5}, {scarce.id, 2}});

  auto outcome =
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  REQUIRE(outcome.error == error_code::order_insufficient_stock);
  REQUIRE(outcome.shortages.size() == 1);
  CHECK(outcome.shortages[0].book == scarce.id);
  CHECK(outcome.shortages[0].title == "Scarce");
  CHECK(outcome.shortages[0].requested == 2);
  CHECK(outcome.shortages[0].available == 1);

  // The first line's five copies were released: all five can be held again.
  CHECK(probe_reserve(t, plenty.id, 5).status == reservation_status::reserved);
  CHECK(stock_of(t, plenty.id) == 5);
  CHECK(stock_of(t, scarce.id) == 1);
  CHECK(t.ask<std::vector<model::cart_line>>(cart, get_atom::value).size()
        == 2);
}

TEST_CASE("no order is acknowledged before the store has committed it",
          "[actor][deterministic]") {
  temp_db db;
  coordinated_shop t{db.path(), config_with(0ms)};
  auto book = t.create_book("Durable", 4);
  auto cart = t.user_with_cart("durable@example.com", {{book.id, 2}});

  auto outcome =
      t.send<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  sqlite_probe probe{db.path()};
  std::size_t steps = 0;
  bool seen_committed_unacknowledged = false;
  // One message at a time: whenever the client holds an answer, the order is
  // already in the file, read through an independent connection.
  while (t.sched.try_run_once()) {
    ++steps;
    auto durable = probe.orders();
    if (outcome->done()) {
      REQUIRE(durable == 1);
      REQUIRE(probe.stock(book.id) == 2);
    } else if (durable == 1) {
      seen_committed_unacknowledged = true;
    }
  }
  REQUIRE(outcome->value);
  CHECK(outcome->value->ok());
  CHECK(steps > 5);
  // The commit came first, and the answer only afterwards.
  CHECK(seen_committed_unacknowledged);
}
