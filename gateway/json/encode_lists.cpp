// Encoders of wishlist items and pre-bookings.

#include "gateway/json/lists.hpp"
#include "gateway/json/or_null.hpp"

#include "model/money.hpp"

namespace bookstore::json {

using detail::or_null;
using nlohmann::json;

json wishlist_item_json(const model::wishlist_item& item) {
  const json book = {
      {"id", item.book},
      {"title", item.summary.title},
      {"author", item.summary.author},
      {"price", model::format_money(item.summary.price)},
      {"stock_quantity", item.stock_quantity},
      {"cover_image_url", or_null(item.summary.cover_image_url)},
  };
  return {{"id", item.id},
          {"book_id", item.book},
          {"added_at", item.added_at},
          {"book", book}};
}

json wishlist_json(const std::vector<model::wishlist_item>& items) {
  json list = json::array();
  for (const auto& item : items)
    list.push_back(wishlist_item_json(item));
  return {{"items", std::move(list)}};
}

json prebook_json(const model::prebook& prebook) {
  return {{"id", prebook.id},
          {"book_id", prebook.book},
          {"book_title", prebook.book_title},
          {"book_author", prebook.book_author},
          {"status", model::prebook_status_name(prebook.status)},
          {"created_at", prebook.created_at},
          {"notified_at", or_null(prebook.notified_at)},
          {"cancelled_at", or_null(prebook.cancelled_at)}};
}

json prebooks_json(const std::vector<model::prebook>& items) {
  json list = json::array();
  for (const auto& item : items)
    list.push_back(prebook_json(item));
  return {{"items", std::move(list)}};
}

} // namespace bookstore::json
