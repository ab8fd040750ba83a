#pragma once

// Carts: one per user, created with its first item; items in insertion
// order. Writes run in the caller's transaction.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/order.hpp" // book_summary
#include "storage/database.hpp"

namespace bookstore::storage {

/// The user's cart lines in insertion order (lines of deleted books too).
std::vector<model::cart_line> load_cart(database& db, model::user_id owner);
/// Adds a line and returns it with its id; the same book twice throws
/// unique, an unknown user or book throws foreign_key.
model::cart_line insert_cart_item(database& db, model::user_id owner,
                                  model::book_id book, std::int64_t quantity);
void update_cart_item(database& db, model::cart_item_id item,
                      std::int64_t quantity);
void delete_cart_item(database& db, model::cart_item_id item);

// -- cart view (GET /cart) ----------------------------------------------------

struct cart_view_line {
  model::cart_line line;
  model::book_summary book; // current title, author, cover, price
  /// False for a book of another node of a cluster, which this file has no
  /// row of: `book` then holds its id only, and its own actor tells the rest.
  bool here = true;
};

/// The user's cart lines with their books, in insertion order.
std::vector<cart_view_line> cart_view(database& db, model::user_id owner);

/// Whose cart holds `item`, if anybody's.
std::optional<model::user_id> cart_item_owner(database& db,
                                              model::cart_item_id item);

} // namespace bookstore::storage
