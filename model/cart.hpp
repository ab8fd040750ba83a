#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/book.hpp"
#include "model/errors.hpp"

namespace bookstore::model {

using user_id = std::int64_t;
using cart_item_id = std::int64_t;

constexpr std::int64_t max_line_quantity = 10000;

/// One line of a cart: a book and how many copies.
struct cart_line {
  cart_item_id id = 0;
  book_id book = 0;
  std::int64_t quantity = 0;
};

/// True for a cart line quantity of 1..10000.
bool valid_line_quantity(std::int64_t quantity);

/// A user's cart: pure rules, no I/O.
struct cart {
  user_id owner = 0;
  std::vector<cart_line> lines;

  const cart_line* find(cart_item_id item) const;
  bool contains_book(book_id id) const;

  /// Checks an addition: quantity range, duplicate book.
  failure check_add(book_id id, std::int64_t quantity) const;

  /// Checks a quantity change of an item of this cart.
  failure check_change(cart_item_id item, std::int64_t quantity) const;

  void add(const cart_line& line) { lines.push_back(line); }
  void change(cart_item_id item, std::int64_t quantity);
  void remove(cart_item_id item);

  /// Removes exactly the given lines (those a checkout sold).
  void remove_sold(const std::vector<cart_line>& sold);
};

} // namespace bookstore::model
