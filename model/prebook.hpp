#pragma once

// Pre-bookings: a user's standing request for a book that is out of stock,
// turned into a notification when the book comes back.
//
//   waiting --restock (stock 0 -> >0)--> notified
//      |                                    |
//      +------------ cancel ----------------+--> cancelled (final)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/errors.hpp"
#include "model/stock.hpp"

namespace bookstore::model {

using prebook_id = std::int64_t;

enum class prebook_status : std::uint8_t { waiting, notified, cancelled };

/// "waiting", "notified" or "cancelled".
const char* prebook_status_name(prebook_status status);

/// The status of its name; nothing for any other text.
std::optional<prebook_status> parse_prebook_status(std::string_view name);

struct prebook {
  prebook_id id = 0;
  user_id owner = 0;
  book_id book = 0;
  std::string book_title;
  std::string book_author;
  prebook_status status = prebook_status::waiting;
  std::string created_at; // ISO 8601 UTC
  std::optional<std::string> notified_at;
  std::optional<std::string> cancelled_at;
};

/// A book can be pre-booked only while it has no copy at all: none on hand,
/// and so none held by a checkout either. A copy a checkout holds may still
/// come back to sale.
inline bool prebookable(const stock_level& stock) {
  return stock.on_hand == 0 && stock.held == 0;
}

/// A stock change notifies the waiting pre-bookings exactly when it takes
/// the stock from 0 to more than 0.
inline bool restock_notifies(std::int64_t before, std::int64_t after) {
  return before == 0 && after > 0;
}

/// Why a pre-booking in `status` cannot be cancelled (none if it can): a
/// waiting or notified one can, a cancelled one not again.
inline error_code cancel_refusal(prebook_status status) {
  return status == prebook_status::cancelled
             ? error_code::prebook_already_cancelled
             : error_code::none;
}

} // namespace bookstore::model
