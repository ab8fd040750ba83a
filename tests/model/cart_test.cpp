#include <catch2/catch.hpp>

#include "model/cart.hpp"

using namespace bookstore::model;

namespace {

cart sample_cart() {
  cart c;
  c.owner = 1;
  c.add({10, 100, 2});
  c.add({11, 101, 1});
  c.add({12, 102, 5});
  return c;
}

} // namespace

TEST_CASE("valid_line_quantity is 1..10000", "[cart]") {
  CHECK(valid_line_quantity(1));
  CHECK(valid_line_quantity(max_line_quantity));
  CHECK_FALSE(valid_line_quantity(0));
  CHECK_FALSE(valid_line_quantity(-1));
  CHECK_FALSE(valid_line_quantity(max_line_quantity + 1));
}

TEST_CASE("find looks up an item id and contains_book a book id", "[cart]") {
  const cart c = sample_cart();
  REQUIRE(c.find(11) != nullptr);
  CHECK(c.find(11)->book == 101);
  CHECK(c.find(99) == nullptr);
  CHECK(c.contains_book(102));
  CHECK_FALSE(c.contains_book(12)); // an item id is not a book id
}

TEST_CASE("check_add refuses a quantity outside 1..10000 and a book already in "
          "the cart",
          "[cart]") {
  const cart c = sample_cart();
  CHECK(c.check_add(200, 1).code == error_code::none);
  CHECK(c.check_add(200, 10000).code == error_code::none);

  const failure zero = c.check_add(200, 0);
  CHECK(zero.code == error_code::validation_error);
  CHECK(zero.field == "quantity");
  CHECK(c.check_add(200, 10001).code == error_code::validation_error);

  CHECK(c.check_add(100, 1).code == error_code::cart_item_duplicate);
  CHECK(cart{}.check_add(100, 1).code == error_code::none);
}

TEST_CASE(
    "check_change refuses a quantity outside 1..10000 and an unknown item",
    "[cart]") {
  const cart c = sample_cart();
  CHECK(c.check_change(10, 7).code == error_code::none);
  CHECK(c.check_change(10, 0).code == error_code::validation_error);
  CHECK(c.check_change(10, 10001).field == "quantity");
  CHECK(c.check_change(99, 1).code == error_code::cart_item_not_found);
}

TEST_CASE("change and remove edit one line and remove_sold keeps lines added "
          "after the checkout read",
          "[cart]") {
  cart c = sample_cart();

  c.change(10, 9);
  CHECK(c.find(10)->quantity == 9);
  CHECK(c.find(11)->quantity == 1);

  c.remove(11);
  CHECK(c.find(11) == nullptr);
  CHECK(c.lines.size() == 2);
  c.remove(99); // unknown item: nothing happens
  CHECK(c.lines.size() == 2);

  // Lines added after the checkout read the cart survive it, even one for
  // a book that was sold (removed and added again: a new item id).
  const std::vector<cart_line> sold = {{10, 100, 9}, {12, 102, 5}};
  c.add({13, 103, 1});
  c.remove(12);
  c.add({14, 102, 2});
  c.remove_sold(sold);
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[0].id == 13);
  CHECK(c.lines[1].id == 14);
}
