#pragma once

// Wishlists and pre-bookings (API.md "Wishlist", "Pre-bookings"), and the
// restock that notifies waiting pre-bookings in the stock change's own
// transaction. Prepared statements only.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/errors.hpp"
#include "model/prebook.hpp"
#include "model/wishlist.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

// -- wishlist -----------------------------------------------------------------

/// Puts the live book `book` on the user's wishlist and returns the item;
/// nothing if there is no such live book. A book already on it throws
/// failure_kind::unique.
std::optional<model::wishlist_item>
add_wishlist_item(database& db, model::user_id user, model::book_id book);

/// The user's wishlist with the books' current values, newest first (ties:
/// id descending).
std::vector<model::wishlist_item> list_wishlist(database& db,
                                                model::user_id user);

/// Takes the book off the user's wishlist; false if it was not on it.
bool remove_wishlist_item(database& db, model::user_id user,
                          model::book_id book);

// -- pre-bookings -------------------------------------------------------------

/// A waiting pre-booking of the live book `book` for the user; nothing if
/// there is no such live book. One already waiting throws
/// failure_kind::unique. The stock is the book actor's to judge.
std::optional<model::prebook> insert_prebook(database& db, model::user_id user,
                                             model::book_id book);

std::optional<model::prebook> find_prebook(database& db, model::prebook_id id);

/// All of the user's pre-bookings, every status, newest first (ties: id
/// descending).
std::vector<model::prebook> list_prebooks(database& db, model::user_id user);

/// Cancels the user's pre-booking `id`: none, prebook_not_found (no such
/// pre-booking, or another user's) or prebook_already_cancelled.
model::error_code cancel_prebook(database& db, model::user_id user,
                                 model::prebook_id id);

/// Adds `delta` to the book's stock (a delta, as database::add_stock) and,
/// if that takes the stored stock from exactly 0 to more than 0, turns every
/// waiting pre-booking of the book into notified, stamped now; all in the
/// caller's transaction. Returns how many were notified.
std::int64_t restock_book(database& db, model::book_id book,
                          std::int64_t delta);

} // namespace bookstore::storage
