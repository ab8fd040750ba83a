// Admin reports: sales summary windows and arithmetic, best sellers, low
// stock. Orders are written with chosen created_at values.

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storage/queries.hpp"
#include "storage/sales_periods.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

/// "YYYY-MM-DDTHH:MM:SSZ" as a time point, parsed independently of the code
/// under test.
std::chrono::system_clock::time_point at(const char* iso) {
  std::tm utc{};
  REQUIRE(std::sscanf(iso, "%d-%d-%dT%d:%d:%dZ", &utc.tm_year, &utc.tm_mon,
                      &utc.tm_mday, &utc.tm_hour, &utc.tm_min, &utc.tm_sec)
          == 6);
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

struct report_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::book stocked =
      storage::insert_book(db, make_book("Stocked", 100, 1000000));

  /// One confirmed order worth `total` cents (one copy at that price).
  model::order_id order_of(model::cents total, const std::string& created) {
    return order_lines({{stocked.id, 1, total}}, created);
  }

  struct line {
    model::book_id book;
    std::int64_t quantity;
    model::cents unit_price;
  };
  model::order_id order_lines(const std::vector<line>& lines,
                              const std::string& created) {
    std::vector<model::order_line> order;
    for (const auto& l : lines) {
      model::order_line ol;
      ol.book = l.book;
      ol.quantity = l.quantity;
      ol.unit_price = l.unit_price;
      order.push_back(ol);
    }
    storage::transaction tx(db.conn());
    const auto id = storage::insert_order(db, alice, order, {}, created).id;
    tx.commit();
    return id;
  }

  void cancel(model::order_id id) {
    conn_of(db)
        .prepare("UPDATE orders SET status = 'cancelled' WHERE id = ?")
        .bind(1, id)
        .run();
  }

  storage::sales_summary summary(const char* period, const char* now) {
    return storage::summarize_sales(db, period, at(now));
  }
};

} // namespace

// -- windows --------------------------------------------------------------

TEST_CASE("day and week and month windows start at midnight and Monday and the "
          "1st (UTC)",
          "[queries][reports]") {
  // 2026-02-25 is a Wednesday.
  const auto now = at("2026-02-25T16:51:07Z");
  auto today = storage::sales_window_of("today", now);
  CHECK(today.current_start == "2026-02-25T00:00:00Z");
  CHECK(today.now == "2026-02-25T16:51:07Z");
  CHECK(today.previous_start == "2026-02-24T00:00:00Z");
  auto week = storage::sales_window_of("week", now);
  CHECK(week.current_start == "2026-02-23T00:00:00Z");
  CHECK(week.previous_start == "2026-02-16T00:00:00Z");
  auto month = storage::sales_window_of("month", now);
  CHECK(month.current_start == "2026-02-01T00:00:00Z");
  CHECK(month.previous_start == "2026-01-01T00:00:00Z");

  // Edges: a Monday at midnight, a Sunday night, January, leap February.
  CHECK(
      storage::sales_window_of("week", at("2026-02-23T00:00:00Z")).current_start
      == "2026-02-23T00:00:00Z");
  CHECK(
      storage::sales_window_of("week", at("2026-03-01T23:59:59Z")).current_start
      == "2026-02-23T00:00:00Z");
  CHECK(storage::sales_window_of("week", at("2026-01-01T12:00:00Z"))
            .previous_start
        == "2025-12-22T00:00:00Z");
  const auto january =
      storage::sales_window_of("month", at("2026-01-15T08:00:00Z"));
  CHECK(january.current_start == "2026-01-01T00:00:00Z");
  CHECK(january.previous_start == "2025-12-01T00:00:00Z");
  CHECK(storage::sales_window_of("month", at("2024-03-31T23:59:59Z"))
            .previous_start
        == "2024-02-01T00:00:00Z");
  CHECK(storage::sales_window_of("today", at("2024-03-01T00:00:00Z"))
            .previous_start
        == "2024-02-29T00:00:00Z");
  // Sub-second parts never round up into a second not yet begun.
  const auto late = at("2026-02-25T23:59:59Z") + std::chrono::milliseconds(999);
  CHECK(storage::sales_window_of("today", late).now == "2026-02-25T23:59:59Z");
}

TEST_CASE("an unknown period is refused", "[queries][reports]") {
  storage::database db(":memory:");
  CHECK(kind_of([&] {
          storage::summarize_sales(db, "year",
                                   std::chrono::system_clock::now());
        })
        == failure_kind::other);
}

// -- summary --------------------------------------------------------------

TEST_CASE_METHOD(report_fixture,
                 "today counts since midnight against yesterday",
                 "[queries][reports]") {
  order_of(1000, "2026-02-25T00:00:00Z");          // first second: in
  order_of(2000, "2026-02-25T16:51:00Z");          // now itself: in
  order_of(70000, "2026-02-25T16:51:01Z");         // after now: out
  cancel(order_of(80000, "2026-02-25T10:00:00Z")); // cancelled: out
  order_of(1500, "2026-02-24T00:00:00Z");          // yesterday
  order_of(500, "2026-02-24T23:59:59Z");           // yesterday
  order_of(90000, "2026-02-23T23:59:59Z");         // before: out

  const auto s = summary("today", "2026-02-25T16:51:00Z");
  CHECK(s.period == "today");
  CHECK(s.revenue == 3000);
  CHECK(s.order_count == 2);
  CHECK(s.aov == 1500);
  REQUIRE(s.delta_percentage);
  CHECK(*s.delta_percentage == 50.0); // 3000 vs 2000
}

TEST_CASE_METHOD(report_fixture,
                 "week counts since Monday against the whole previous week",
                 "[queries][reports]") {
  order_of(1000, "2026-02-23T00:00:00Z");  // Monday: in
  order_of(3000, "2026-02-25T09:00:00Z");  // in
  order_of(9999, "2026-02-26T09:00:00Z");  // after now: out
  order_of(4000, "2026-02-16T00:00:00Z");  // last Monday
  order_of(4000, "2026-02-22T23:59:59Z");  // last Sunday: full week counts
  order_of(99999, "2026-02-15T23:59:59Z"); // the week before: out

  const auto s = summary("week", "2026-02-25T16:51:00Z");
  CHECK(s.period == "week");
  CHECK(s.revenue == 4000);
  CHECK(s.order_count == 2);
  CHECK(s.aov == 2000);
  REQUIRE(s.delta_percentage);
  CHECK(*s.delta_percentage == -50.0); // 4000 vs 8000
}

TEST_CASE_METHOD(report_fixture,
                 "month counts since the 1st against the whole previous month",
                 "[queries][reports]") {
  order_of(1000, "2026-03-01T00:00:00Z");
  order_of(2000, "2026-03-02T12:00:00Z");
  order_of(4000, "2026-02-01T00:00:00Z"); // February: 28 days, all of them
  order_of(4000, "2026-02-28T23:59:59Z");
  order_of(99999, "2026-01-31T23:59:59Z");

  const auto s = summary("month", "2026-03-02T12:00:00Z");
  CHECK(s.revenue == 3000);
  CHECK(s.order_count == 2);
  CHECK(s.aov == 1500);
  REQUIRE(s.delta_percentage);
  CHECK(*s.delta_percentage == -62.5);
}

TEST_CASE_METHOD(report_fixture, "no previous revenue: delta is null",
                 "[queries][reports]") {
  SECTION("nothing at all") {
    const auto s = summary("today", "2026-02-25T16:51:00Z");
    CHECK(s.revenue == 0);
    CHECK(s.order_count == 0);
    CHECK(s.aov == 0);
    CHECK_FALSE(s.delta_percentage);
  }
  SECTION("sales now, none before") {
    order_of(1234, "2026-02-25T10:00:00Z");
    cancel(order_of(5000, "2026-02-24T10:00:00Z"));
    const auto s = summary("today", "2026-02-25T16:51:00Z");
    CHECK(s.revenue == 1234);
    CHECK_FALSE(s.delta_percentage);
  }
  SECTION("sales before, none now: -100") {
    order_of(1234, "2026-02-24T10:00:00Z");
    const auto s = summary("today", "2026-02-25T16:51:00Z");
    CHECK(s.revenue == 0);
    CHECK(s.aov == 0);
    REQUIRE(s.delta_percentage);
    CHECK(*s.delta_percentage == -100.0);
  }
}

TEST_CASE_METHOD(report_fixture, "aov rounds half up and delta half to even",
                 "[queries][reports]") {
  const char* now = "2026-02-25T16:51:00Z";
  SECTION("5 cents over 2 orders is 3") {
    order_of(2, "2026-02-25T01:00:00Z");
    order_of(3, "2026-02-25T02:00:00Z");
    const auto s = summary("today", now);
    CHECK(s.aov == 3);
    CHECK_FALSE(s.delta_percentage); // nothing yesterday
  }
  SECTION("a tie rounds to the even hundredth") {
    order_of(801, "2026-02-25T01:00:00Z");
    order_of(800, "2026-02-24T01:00:00Z");
    CHECK(*summary("today", now).delta_percentage == 0.12); // 0.125
  }
  SECTION("an odd hundredth tie rounds up") {
    order_of(803, "2026-02-25T01:00:00Z");
    order_of(800, "2026-02-24T01:00:00Z");
    CHECK(*summary("today", now).delta_percentage == 0.38); // 0.375
  }
  SECTION("negative ties are symmetric") {
    order_of(799, "2026-02-25T01:00:00Z");
    order_of(800, "2026-02-24T01:00:00Z");
    CHECK(*summary("today", now).delta_percentage == -0.12); // -0.125
  }
  SECTION("non-ties round to nearest") {
    order_of(1, "2026-02-25T01:00:00Z");
    order_of(3, "2026-02-24T01:00:00Z");
    CHECK(*summary("today", now).delta_percentage == -66.67);
    order_of(1, "2026-02-25T02:00:00Z"); // 2 vs 3
    order_of(1, "2026-02-25T03:00:00Z"); // 3 vs 3
    order_of(1, "2026-02-25T04:00:00Z"); // 4 vs 3
    CHECK(*summary("today", now).delta_percentage == 33.33);
    CHECK(summary("today", now).aov == 1);
  }
  SECTION("otherwise aov is the nearest cent") {
    order_of(3, "2026-02-25T01:00:00Z");
    order_of(3, "2026-02-25T02:00:00Z");
    order_of(4, "2026-02-25T03:00:00Z");
    CHECK(summary("today", now).aov == 3);
    order_of(1, "2026-02-24T03:00:00Z"); // yesterday, not counted in aov
    CHECK(summary("today", now).aov == 3);
    order_of(1, "2026-02-25T04:00:00Z");
    CHECK(summary("today", now).aov == 3); // 11 / 4 = 2.75
  }
  SECTION("a change that rounds to zero is 0, not -0") {
    order_of(999999, "2026-02-25T01:00:00Z");
    order_of(1000000, "2026-02-24T01:00:00Z");
    const auto delta = *summary("today", now).delta_percentage;
    CHECK(delta == 0.0);
    CHECK_FALSE(std::signbit(delta));
  }
}

// -- top books ------------------------------------------------------------

TEST_CASE_METHOD(report_fixture,
                 "best sellers rank by revenue or by units with ties by id",
                 "[queries][reports]") {
  const auto a = storage::insert_book(db, make_book("Alpha", 1000, 100)).id;
  const auto b = storage::insert_book(db, make_book("Beta", 100, 100)).id;
  const auto c = storage::insert_book(db, make_book("Gamma", 500, 100)).id;
  const auto d = storage::insert_book(db, make_book("Delta", 500, 100)).id;
  const char* when = "2026-02-25T10:00:00Z";
  order_lines({{a, 1, 1000}, {b, 2, 100}}, when);
  order_lines({{b, 3, 100}, {c, 2, 500}}, when);
  cancel(order_lines({{d, 50, 500}}, when)); // cancelled: not a sale
  // a: 1000 cents, 1 unit; b: 500, 5; c: 1000, 2; d: nothing.

  const auto by_revenue = storage::top_books(db, true, 10);
  REQUIRE(by_revenue.size() == 3);
  CHECK(by_revenue[0].book == a); // ties with c: lower id first
  CHECK(by_revenue[0].title == "Alpha");
  CHECK(by_revenue[0].author == "Some Author");
  CHECK(by_revenue[0].total_revenue == 1000);
  CHECK(by_revenue[0].units_sold == 1);
  CHECK(by_revenue[1].book == c);
  CHECK(by_revenue[2].book == b);
  CHECK(by_revenue[2].total_revenue == 500);
  CHECK(by_revenue[2].units_sold == 5);

  const auto by_units = storage::top_books(db, false, 10);
  REQUIRE(by_units.size() == 3);
  CHECK(by_units[0].book == b);
  CHECK(by_units[1].book == c);
  CHECK(by_units[2].book == a);

  REQUIRE(storage::top_books(db, true, 2).size() == 2);
  CHECK(storage::top_books(db, false, 1).front().book == b);
  CHECK(storage::top_books(db, true, 0).empty());
  CHECK(storage::top_books(db, true, -1).empty());
}

TEST_CASE_METHOD(report_fixture,
                 "best sellers sum sold prices and show current titles",
                 "[queries][reports]") {
  auto book = storage::insert_book(db, make_book("Old Title", 1000, 100));
  order_lines({{book.id, 2, 1000}}, "2026-02-01T10:00:00Z");
  order_lines({{book.id, 1, 1500}}, "2026-02-02T10:00:00Z"); // repriced
  book.title = "New Title";
  storage::update_book(db, book);
  const auto top = storage::top_books(db, true, 5);
  REQUIRE(top.size() == 1);
  CHECK(top[0].title == "New Title");
  CHECK(top[0].total_revenue == 3500);
  CHECK(top[0].units_sold == 3);

  REQUIRE(storage::delete_book(db, book.id)); // gone from the report
  CHECK(storage::top_books(db, true, 5).empty());
}

TEST_CASE_METHOD(report_fixture,
                 "best sellers of a period count only its orders",
                 "[queries][reports]") {
  const auto a = storage::insert_book(db, make_book("Alpha", 1000, 1000)).id;
  const auto b = storage::insert_book(db, make_book("Beta", 100, 1000)).id;
  const auto now = at("2026-02-25T12:00:00Z");          // a Wednesday
  order_lines({{a, 1, 1000}}, "2026-02-25T08:00:00Z");  // today
  order_lines({{b, 20, 100}}, "2026-02-23T08:00:00Z");  // Monday: this week
  order_lines({{a, 30, 1000}}, "2026-02-02T08:00:00Z"); // this month
  order_lines({{b, 90, 100}}, "2026-01-31T08:00:00Z");  // last month
  order_lines({{a, 5, 1000}}, "2026-02-25T13:00:00Z");  // after now

  const auto today = storage::top_books(db, false, 10, "today", now);
  REQUIRE(today.size() == 1);
  CHECK(today[0].book == a);
  CHECK(today[0].units_sold == 1);
  const auto week = storage::top_books(db, false, 10, "week", now);
  REQUIRE(week.size() == 2);
  CHECK(week[0].book == b);
  CHECK(week[0].units_sold == 20);
  const auto month = storage::top_books(db, false, 10, "month", now);
  REQUIRE(month.size() == 2);
  CHECK(month[0].book == a);
  CHECK(month[0].units_sold == 31);
  const auto ever = storage::top_books(db, false, 10);
  REQUIRE(ever.size() == 2);
  CHECK(ever[0].book == b);
  CHECK(ever[0].units_sold == 110);
}

// -- low stock ------------------------------------------------------------

TEST_CASE_METHOD(report_fixture,
                 "low stock lists the lowest first and then by id",
                 "[queries][reports]") {
  conn_of(db).exec("UPDATE books SET deleted = 1"); // drop the fixture's book
  const auto five = storage::insert_book(db, make_book("Five", 100, 5)).id;
  const auto zero = storage::insert_book(db, make_book("Zero", 100, 0)).id;
  const auto ten = storage::insert_book(db, make_book("Ten", 100, 10)).id;
  storage::insert_book(db, make_book("Eleven", 100, 11));
  const auto zero2 = storage::insert_book(db, make_book("Zero too", 100, 0)).id;
  const auto gone = storage::insert_book(db, make_book("Gone", 100, 0)).id;
  REQUIRE(storage::delete_book(db, gone));

  const auto items = storage::low_stock(db, 10);
  std::vector<model::book_id> ids;
  for (const auto& item : items)
    ids.push_back(item.book);
  CHECK(ids == std::vector<model::book_id>{zero, zero2, five, ten});
  CHECK(items[0].title == "Zero");
  CHECK(items[0].author == "Some Author");
  CHECK(items[0].current_stock == 0);
  CHECK(items[3].current_stock == 10);

  CHECK(storage::low_stock(db, 0).size() == 2);
  CHECK(storage::low_stock(db, 4).size() == 2);
  CHECK(storage::low_stock(db, 5).size() == 3);
  CHECK(storage::low_stock(db, -1).empty());
  CHECK(storage::low_stock(db, 2147483647).size() == 5);
}
