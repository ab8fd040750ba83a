// Pre-bookings against the book actor that serializes the stock: a restock
// racing a checkout and a pre-booking on one book, replayed message by
// message on CAF's test coordinator.

#include <catch2/catch.hpp>

#include <string>

#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;
using model::prebook_status;
using namespace std::chrono_literals;

namespace {

core_config paying_slowly() {
  core_config config;
  config.payment_failure_rate = 0.0;
  config.payment_latency = 20ms;
  return config;
}

/// Waiting pre-bookings of a book that has stock: what must never be
/// committed, at any step.
std::int64_t waiting_on_stocked_books(sqlite_probe& probe) {
  return probe.scalar("SELECT COUNT(*) FROM prebooks p"
                      " JOIN books b ON b.id = p.book_id"
                      " WHERE p.status = 'waiting' AND b.stock_quantity > 0");
}

std::int64_t prebooks_in(sqlite_probe& probe, const char* status) {
  if (std::string{status} == "waiting")
    return probe.scalar(
        "SELECT COUNT(*) FROM prebooks WHERE status = 'waiting'");
  return probe.scalar("SELECT COUNT(*) FROM prebooks WHERE status = 'notified'"
                      " AND notified_at IS NOT NULL");
}

/// Runs every ready message one at a time, checking after each that no
/// waiting pre-booking sits on a stocked book.
void run_checking(coordinated_shop& t, sqlite_probe& probe) {
  while (t.sched.try_run_once())
    REQUIRE(waiting_on_stocked_books(probe) == 0);
}

} // namespace

TEST_CASE("a restock racing a checkout and a pre-booking on one book keeps "
          "stock and pre-bookings consistent",
          "[actor][deterministic][prebooks]") {
  temp_db db;
  coordinated_shop t{db.path(), paying_slowly()};
  auto book = t.create_book("Contested", 1);
  auto handle = t.book_of(book.id);
  auto alice = t.user_with_cart("alice@example.com", {{book.id, 1}});
  auto dave = t.user_with_cart("dave@example.com", {{book.id, 1}});
  auto bob = t.create_user("bob@example.com");
  sqlite_probe probe{db.path()};

  // Alice's checkout holds the last copy while her payment is pending.
  auto bought =
      t.send<checkout_outcome>(alice, checkout_atom::value, checkout_request{});
  run_checking(t, probe);
  REQUIRE_FALSE(bought->done());
  // Held copies are stock: they come back if her payment fails.
  auto while_held = t.send<model::prebook>(handle, prebook_atom::value, bob);
  run_checking(t, probe);
  REQUIRE(while_held->error);
  CHECK(domain_code(*while_held->error) == error_code::prebook_book_in_stock);

  // Her payment goes through: the book is sold out.
  t.sched.advance_time(20ms);
  run_checking(t, probe);
  REQUIRE(bought->value);
  REQUIRE(bought->value->ok());
  REQUIRE(probe.stock(book.id) == 0);

  SECTION("pre-booking first: stored, then notified by the restock") {
    // All three arrive at the book actor in this order, with nothing run in
    // between: the pre-booking, the restock, Dave's checkout.
    auto booked = t.send<model::prebook>(handle, prebook_atom::value, bob);
    auto restocked =
        t.send<model::book>(handle, stock_atom::value, std::int64_t{5});
    auto second = t.send<checkout_outcome>(dave, checkout_atom::value,
                                           checkout_request{});
    run_checking(t, probe);
    REQUIRE(booked->value);
    CHECK(booked->value->status == prebook_status::waiting);
    REQUIRE(restocked->value);
    CHECK(restocked->value->stock_quantity == 5);
    t.sched.advance_time(20ms);
    run_checking(t, probe);
    REQUIRE(second->value);
    CHECK(second->value->ok()); // the restock came before Dave's reservation
    CHECK(probe.stock(book.id) == 4);
    // The pre-booking was stored before the restock, which notified it in
    // the stock change's own transaction.
    CHECK(prebooks_in(probe, "waiting") == 0);
    CHECK(prebooks_in(probe, "notified") == 1);
  }

  SECTION("restock first: the pre-booking is refused, the checkout served") {
    auto restocked =
        t.send<model::book>(handle, stock_atom::value, std::int64_t{1});
    auto second = t.send<checkout_outcome>(dave, checkout_atom::value,
                                           checkout_request{});
    auto booked = t.send<model::prebook>(handle, prebook_atom::value, bob);
    run_checking(t, probe);
    REQUIRE(restocked->value);
    // The restock reached the book first: in stock, so no pre-booking.
    REQUIRE(booked->error);
    CHECK(domain_code(*booked->error) == error_code::prebook_book_in_stock);
    t.sched.advance_time(20ms);
    run_checking(t, probe);
    REQUIRE(second->value);
    CHECK(second->value->ok());
    CHECK(probe.stock(book.id) == 0);
    CHECK(probe.scalar("SELECT COUNT(*) FROM prebooks") == 0);
    // Sold out again, with nothing held: now it can be pre-booked.
    auto later = t.send<model::prebook>(handle, prebook_atom::value, bob);
    run_checking(t, probe);
    REQUIRE(later->value);
    CHECK(prebooks_in(probe, "waiting") == 1);
  }

  SECTION("no restock: the checkout finds nothing, the pre-booking waits") {
    auto second = t.send<checkout_outcome>(dave, checkout_atom::value,
                                           checkout_request{});
    auto booked = t.send<model::prebook>(handle, prebook_atom::value, bob);
    run_checking(t, probe);
    REQUIRE(second->value);
    CHECK(second->value->error == error_code::order_insufficient_stock);
    REQUIRE(booked->value);
    CHECK(prebooks_in(probe, "waiting") == 1);
    // A restock to 0 changes nothing; the next one from 0 notifies.
    t.ask<model::book>(handle, stock_atom::value, std::int64_t{0});
    CHECK(prebooks_in(probe, "waiting") == 1);
    t.ask<model::book>(handle, stock_atom::value, std::int64_t{2});
    CHECK(prebooks_in(probe, "notified") == 1);
    // n to m: nothing more to notify, and a new pre-booking is refused.
    t.ask<model::book>(handle, stock_atom::value, std::int64_t{3});
    CHECK(prebooks_in(probe, "notified") == 1);
    auto refused = t.send<model::prebook>(handle, prebook_atom::value, bob);
    t.sched.run();
    REQUIRE(refused->error);
    CHECK(domain_code(*refused->error) == error_code::prebook_book_in_stock);
  }
}

TEST_CASE("the restock's answer comes only after its notifications commit",
          "[actor][deterministic][prebooks]") {
  temp_db db;
  coordinated_shop t{db.path(), core_config{}};
  auto book = t.create_book("Awaited", 0);
  auto handle = t.book_of(book.id);
  auto bob = t.create_user("bob@example.com");
  auto carol = t.create_user("carol@example.com");
  t.ask<model::prebook>(handle, prebook_atom::value, bob);
  t.ask<model::prebook>(handle, prebook_atom::value, carol);
  sqlite_probe probe{db.path()};

  auto restocked =
      t.send<model::book>(handle, stock_atom::value, std::int64_t{4});
  bool seen_partial = false;
  while (t.sched.try_run_once()) {
    auto stock = probe.stock(book.id);
    auto notified = prebooks_in(probe, "notified");
    // Stock and notifications become visible together, never one alone.
    if ((stock == 4) != (notified == 2))
      seen_partial = true;
    if (restocked->done())
      REQUIRE(notified == 2);
  }
  CHECK_FALSE(seen_partial);
  REQUIRE(restocked->value);
  CHECK(restocked->value->stock_quantity == 4);
}
