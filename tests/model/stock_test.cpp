#include <catch2/catch.hpp>

#include "model/stock.hpp"

using bookstore::model::stock_level;

TEST_CASE("reserve and commit and release keep the arithmetic", "[stock]") {
  stock_level s{10, 0};
  CHECK(s.available() == 10);
  CHECK_FALSE(s.can_reserve(0));
  CHECK_FALSE(s.can_reserve(-1));
  CHECK(s.can_reserve(10));
  CHECK_FALSE(s.can_reserve(11));

  s.reserve(4);
  CHECK(s.on_hand == 10);
  CHECK(s.held == 4);
  CHECK(s.available() == 6);
  CHECK_FALSE(s.can_reserve(7));

  s.reserve(6);
  CHECK(s.available() == 0);
  CHECK_FALSE(s.can_reserve(1));

  s.commit(4); // sold: leaves both held and on hand
  CHECK(s.on_hand == 6);
  CHECK(s.held == 6);
  CHECK(s.available() == 0);

  s.release(6); // not sold: back to available
  CHECK(s.on_hand == 6);
  CHECK(s.held == 0);
  CHECK(s.available() == 6);
}

TEST_CASE("can_set never breaks a reservation in flight", "[stock]") {
  stock_level s{10, 0};
  CHECK(s.can_set(0));
  s.reserve(3);
  CHECK(s.can_set(3));
  CHECK(s.can_set(100));
  CHECK_FALSE(s.can_set(2));
  s.on_hand = 3; // setting to exactly held leaves nothing available
  CHECK(s.available() == 0);
  s.commit(3);
  CHECK(s.on_hand == 0);
}
