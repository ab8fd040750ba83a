#include "gateway/json/encode_reviews.hpp"
#include "gateway/json/or_null.hpp"

#include "model/review.hpp"

namespace bookstore::json {

using nlohmann::json;

using detail::or_null;

json review_json(const storage::review_record& r) {
  return {
      {"id", r.id},
      {"book_id", r.book},
      {"user_id", r.user},
      {"rating", r.rating},
      {"text", or_null(r.text)},
      {"verified_purchase", r.verified_purchase},
      {"created_at", model::review_time_text(r.created_at)},
      {"updated_at", model::review_time_text(r.updated_at)},
      {"author",
       {{"user_id", r.user},
        {"display_name", model::display_name_of(r.author_email)},
        {"avatar_url", nullptr}}},
      {"book",
       {{"book_id", r.book},
        {"title", r.book_title},
        {"cover_image_url", or_null(r.book_cover)}}},
  };
}

json review_page_json(const storage::review_page& page, std::int64_t number,
                      std::int64_t size) {
  json items = json::array();
  for (const auto& r : page.items)
    items.push_back(review_json(r));
  return {{"items", std::move(items)},
          {"total", page.total},
          {"page", number},
          {"size", size}};
}

json admin_review_json(const storage::review_record& r) {
  return {
      {"id", r.id},
      {"rating", r.rating},
      {"text", or_null(r.text)},
      {"created_at", model::review_time_text(r.created_at)},
      {"updated_at", model::review_time_text(r.updated_at)},
      {"author",
       {{"user_id", r.user},
        {"display_name", model::display_name_of(r.author_email)}}},
      {"book", {{"book_id", r.book}, {"title", r.book_title}}},
  };
}

json admin_review_page_json(const storage::review_page& page,
                            const storage::review_filter& filter) {
  json items = json::array();
  for (const auto& r : page.items)
    items.push_back(admin_review_json(r));
  const auto per_page = filter.per_page;
  // ceil(total / per_page) without overflow; 0 when empty.
  const auto pages = page.total / per_page + (page.total % per_page ? 1 : 0);
  return {{"items", std::move(items)},
          {"total_count", page.total},
          {"page", filter.page},
          {"per_page", per_page},
          {"total_pages", pages}};
}

} // namespace bookstore::json
