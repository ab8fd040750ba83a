#include <catch2/catch.hpp>

#include "model/order.hpp"

using namespace bookstore::model;

TEST_CASE("an order total is the sum of unit_price times quantity", "[order]") {
  CHECK(order_total({}) == 0);

  order o;
  o.lines.push_back(order_line{1, 100, 3, 1499, {}});
  o.lines.push_back(order_line{2, 101, 1, 29, {}});
  CHECK(o.total() == 3 * 1499 + 29);
  CHECK(order_total(o.lines) == 4526);
  CHECK(o.status == "confirmed");

  // The largest line fits easily: 10000 copies at 1,000,000.00.
  o.lines.push_back(order_line{3, 102, max_line_quantity, max_price, {}});
  CHECK(o.total() == 4526 + 1'000'000'000'000);
}
