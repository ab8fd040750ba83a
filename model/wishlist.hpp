#pragma once

#include <cstdint>
#include <string>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/order.hpp"

namespace bookstore::model {

using wishlist_item_id = std::int64_t;

/// A book on a user's wishlist, with the book's current values. Any book can
/// be wishlisted, whatever its stock; one item per user and book.
struct wishlist_item {
  wishlist_item_id id = 0;
  user_id owner = 0;
  book_id book = 0;
  std::string added_at; // ISO 8601 UTC
  book_summary summary; // current title, author, price, cover
  std::int64_t stock_quantity = 0;
};

} // namespace bookstore::model
