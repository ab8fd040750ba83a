// Edges of a checkout found by trying to break it: a reservation that never
// answers, a delete while copies are held, a keyed checkout's record, an
// expensive read on the store's thread.

#include <catch2/catch.hpp>

#include <thread>

#include "actors/checkout_actor.hpp"
#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"
#include "tests/support/timeouts.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;
using namespace std::chrono_literals;

namespace {

error_code rejection(const caf::error& err) {
  return domain_code(err);
}

/// A registry that takes every lookup and never answers it: a checkout's
/// reservations then outlast any deadline.
registry_actor::behavior_type silent_registry(registry_actor::pointer self) {
  return {
      [=](book_atom, model::book_id) {
        return self->make_response_promise<book_actor>(); // never delivered
      },
      [=](cart_atom, model::user_id) {
        return self->make_response_promise<cart_actor>();
      },
      [=](create_atom, model::book) {
        return self->make_response_promise<model::book>();
      },
      [=](passivate_atom, model::book_id, book_actor) { return false; },
      [=](passivate_atom, model::user_id, cart_actor) { return false; },
      [=](peer_atom, std::uint32_t, caf::actor) {},
      [=](transfer_atom, start_atom, std::int64_t) {},
      [=](transfer_atom, finished_atom, std::int64_t) {},
      [=](transfer_atom, std::int64_t, std::uint32_t) {
        return transfer_status::pending;
      },
  };
}

/// Stands in for the cart: passes the saga's deadline on, as the cart does.
cart_actor::behavior_type relay_cart(cart_actor::pointer self) {
  return {
      [=](get_atom) { return std::vector<model::cart_line>{}; },
      [=](add_atom, model::book_id, std::int64_t) -> storage::cart_view_line {
        return {};
      },
      [=](change_atom, model::cart_item_id, std::int64_t) -> model::cart_line {
        return {};
      },
      [=](remove_atom, model::cart_item_id) { return false; },
      [=](checkout_atom, checkout_request) -> checkout_outcome { return {}; },
      [=](finished_atom, std::vector<model::cart_line>) {},
      [=](deadline_atom, caf::actor_addr saga) {
        self->send(caf::actor_cast<checkout_actor>(saga), deadline_atom::value);
      },
      [=](idle_atom) {},
  };
}

} // namespace

TEST_CASE("a checkout still reserving at its deadline answers CHECKOUT_TIMEOUT "
          "and not STORE_UNAVAILABLE",
          "[actor][saga]") {
  temp_db db;
  threaded_shop t{db.path()};
  core_config config = test_config(db.path());
  config.checkout_timeout = 50ms;
  checkout_peers peers{t.self->spawn(relay_cart),
                       t.self->spawn(silent_registry), t.shop.payment,
                       t.shop.store};
  std::vector<model::cart_line> lines{{1, 1, 1}};
  auto saga = t.self->spawn(checkout, model::user_id{1}, lines,
                            checkout_request{}, peers, config, t.shop.metrics);
  auto outcome = t.ask<checkout_outcome>(saga, start_atom::value);
  CHECK(outcome.error == error_code::checkout_timeout);
  caf::anon_send_exit(peers.cart, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(peers.registry, caf::exit_reason::user_shutdown);
}

TEST_CASE("a book whose copies are held cannot be deleted until they are "
          "released",
          "[actor][saga]") {
  temp_db db;
  coordinated_shop t{db.path()};
  auto book = t.create_book("Held", 5);
  auto handle = t.book_of(book.id);
  auto held = t.ask<reservation_reply>(handle, reserve_atom::value, ticket{7},
                                       std::int64_t{2});
  REQUIRE(held.status == reservation_status::reserved);
  auto refused = t.send<bool>(handle, delete_atom::value);
  t.sched.run();
  REQUIRE(refused->error);
  CHECK(rejection(*refused->error) == error_code::stock_reserved);
  CHECK(t.ask<model::book>(handle, get_atom::value).id == book.id);

  caf::anon_send(handle, release_atom::value, ticket{7});
  t.sched.run();
  CHECK(t.ask<bool>(handle, delete_atom::value));
  CHECK(t.ask<reservation_reply>(handle, reserve_atom::value, ticket{8},
                                 std::int64_t{1})
            .status
        == reservation_status::gone);
}

TEST_CASE("an order of a book deleted after its hold expired is refused by "
          "the store",
          "[actor][saga]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto book = t.create_book("Gone", 5);
  auto user = t.create_user("late@example.com");
  CHECK(t.ask<bool>(t.book_of(book.id), delete_atom::value));
  order_draft draft;
  draft.owner = user;
  model::order_line line;
  line.book = book.id;
  line.quantity = 1;
  line.unit_price = 1000;
  draft.lines.push_back(line);
  draft.created_at = "2026-12-04T00:00:00Z";
  auto refused =
      t.try_ask<model::order>(t.shop.store, create_atom::value, draft);
  REQUIRE_FALSE(refused);
  CHECK(rejection(refused.error()) == error_code::order_items_unavailable);
  sqlite_probe probe{db.path()};
  CHECK(probe.orders() == 0);
  CHECK(probe.stock(book.id) == 5);
}

TEST_CASE("a keyed checkout writes its key's record with its order",
          "[actor][saga]") {
  temp_db db;
  model::order_id order = 0;
  {
    threaded_shop t{db.path()};
    auto book = t.create_book("Keyed", 5);
    auto user = t.create_user("keyed@example.com");
    auto cart = t.cart_of(user);
    t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                   std::int64_t{2});
    checkout_request request;
    request.idempotency_key = "key-1";
    request.idempotency_at = 1'000'000;
    auto outcome = t.ask<checkout_outcome>(cart, checkout_atom::value, request);
    REQUIRE(outcome.ok());
    order = outcome.order.id;
  }
  // Nobody but the store wrote: the record came with the order's commit.
  sqlite_probe probe{db.path()};
  CHECK(probe.scalar("SELECT order_id FROM idempotency_records"
                     " WHERE key = 'key-1' AND status = 201"
                     " AND created_at = 1000000")
        == order);
  CHECK(probe.scalar("SELECT COUNT(*) FROM idempotency_records") == 1);
}

TEST_CASE("a search past the store's read budget answers QUERY_TOO_EXPENSIVE "
          "and leaves the store serving",
          "[actor][saga]") {
  temp_db db;
  auto config = test_config(db.path());
  config.read_budget = 1us;
  threaded_shop t{db.path(), config};
  for (int i = 0; i < 200; ++i)
    t.ask<model::book>(t.shop.registry, create_atom::value,
                       draft_book("Book " + std::to_string(i)));
  storage::book_query query;
  query.q = "b";
  auto slow = t.try_ask<storage::book_page>(t.shop.store, list_atom::value,
                                            book_atom::value, query);
  REQUIRE_FALSE(slow);
  CHECK(rejection(slow.error()) == error_code::query_too_expensive);
  // Reads without a budget and writes go on.
  auto book = t.create_book("After", 1);
  CHECK(t.ask<model::book>(t.shop.store, get_atom::value, book_atom::value,
                           book.id)
            .title
        == "After");
}

TEST_CASE("an approved payment whose order cannot be persisted is refunded "
          "before the buyer hears of it",
          "[actor][saga]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto book = t.create_book("Unsold", 5, 1250);
  auto cart = t.cart_of(t.create_user("refund@example.com"));
  t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                 std::int64_t{2});
  CHECK(t.ask<bool>(t.shop.store, fault_atom::value, true));
  auto outcome =
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  CHECK(outcome.error == error_code::store_unavailable);
  auto& m = *t.shop.metrics;
  CHECK(m.payment_charges.load() == 1);
  CHECK(m.payment_charged_cents.load() == 2500);
  CHECK(m.payment_refunds.load() == 1);
  CHECK(m.payment_refunded_cents.load() == 2500);

  // A sale is charged and stays charged: charges - refunds = orders.
  CHECK_FALSE(t.ask<bool>(t.shop.store, fault_atom::value, false));
  REQUIRE(
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{})
          .ok());
  CHECK(m.payment_charges.load() - m.payment_refunds.load()
        == m.orders_committed.load());
}

TEST_CASE("a payment approved after its checkout timed out is refunded",
          "[actor][saga]") {
  temp_db db;
  auto config = test_config(db.path());
  // Reserving must end well within the timeout, paying well after it.
  config.checkout_timeout = test_support::scaled(200ms);
  config.payment_latency = test_support::scaled(1000ms);
  threaded_shop t{db.path(), config};
  auto book = t.create_book("Late", 5, 700);
  auto cart = t.cart_of(t.create_user("late-pay@example.com"));
  t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                 std::int64_t{1});
  auto outcome =
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  CHECK(outcome.error == error_code::payment_timeout);
  auto& m = *t.shop.metrics;
  // The provider approves later; the saga voids it at once.
  auto deadline = std::chrono::steady_clock::now() + test_support::scaled(10s);
  while (m.payment_refunds.load() == 0
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  CHECK(m.payment_charges.load() == 1);
  CHECK(m.payment_refunds.load() == 1);
  CHECK(m.payment_refunded_cents.load() == 700);
  CHECK(m.orders_committed.load() == 0);
}

TEST_CASE("a sale committed after its hold expired never oversells: the "
          "store's stock check refuses the checkout that took the copies",
          "[actor][saga]") {
  temp_db db;
  core_config config;
  config.payment_failure_rate = 0.0;
  // Holds expire before the payments answer: only a stuck provider or store
  // could do this with the defaults (30 s against 10 s).
  config.reservation_timeout = 1s;
  config.checkout_timeout = 10s;
  config.payment_latency = 2s;
  coordinated_shop t{db.path(), config};
  auto book = t.create_book("Contested", 3);
  auto alice = t.user_with_cart("alice-exp@example.com", {{book.id, 2}});
  auto bob = t.user_with_cart("bob-exp@example.com", {{book.id, 3}});

  auto first =
      t.send<checkout_outcome>(alice, checkout_atom::value, checkout_request{});
  t.sched.run(); // Alice holds 2 and waits for her payment (due at 2 s)
  t.sched.advance_time(1s);
  t.sched.run(); // her hold expires
  auto second =
      t.send<checkout_outcome>(bob, checkout_atom::value, checkout_request{});
  t.sched.run(); // Bob holds all 3, his payment is due at 3 s
  REQUIRE_FALSE(first->done());
  REQUIRE_FALSE(second->done());
  t.sched.advance_time(1s);
  t.sched.run(); // Alice is paid and her order commits: stock 3 -> 1
  REQUIRE(first->value);
  CHECK(first->value->ok());
  t.sched.advance_time(1s);
  t.sched.run(); // Bob is paid, but the store has only 1 left
  REQUIRE(second->value);
  CHECK(second->value->error == error_code::order_insufficient_stock);

  sqlite_probe probe{db.path()};
  CHECK(probe.orders() == 1);
  CHECK(probe.stock(book.id) == 1);
  CHECK(t.ask<model::book>(t.book_of(book.id), get_atom::value).stock_quantity
        == 1);
  auto& m = *t.shop.metrics;
  CHECK(m.payment_charges.load() == 2);
  CHECK(m.payment_refunds.load() == 1); // Bob got his money back
  // The book actor agrees with the file: 1 can be held, 2 cannot.
  auto handle = t.book_of(book.id);
  CHECK(t.ask<reservation_reply>(handle, reserve_atom::value, ticket{99},
                                 std::int64_t{2})
            .status
        == reservation_status::short_stock);
  CHECK(t.ask<reservation_reply>(handle, reserve_atom::value, ticket{98},
                                 std::int64_t{1})
            .status
        == reservation_status::reserved);
}
