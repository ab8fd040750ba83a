#pragma once

// JSON of wishlists and pre-bookings (API.md "Wishlist", "Pre-bookings").

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "model/prebook.hpp"
#include "model/wishlist.hpp"

namespace bookstore::json {

/// POST /wishlist and POST /prebooks: `{"book_id": <integer>}`. Any JSON
/// integer that fits in 64 bits is accepted (an unknown id is 404, not 422,
/// as in the original); anything else is 422.
decoded<std::int64_t> decode_book_ref(std::string_view body);

/// {id, book_id, added_at, book: {id, title, author, price, stock_quantity,
/// cover_image_url}}.
nlohmann::json wishlist_item_json(const model::wishlist_item& item);

/// {items: [item...]}.
nlohmann::json wishlist_json(const std::vector<model::wishlist_item>& items);

/// {id, book_id, book_title, book_author, status, created_at, notified_at,
/// cancelled_at}; the timestamps null until set.
nlohmann::json prebook_json(const model::prebook& prebook);

/// {items: [pre-booking...]}.
nlohmann::json prebooks_json(const std::vector<model::prebook>& items);

} // namespace bookstore::json
