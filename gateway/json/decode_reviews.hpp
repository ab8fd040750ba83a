#pragma once

// Decoders of the reviews feature's bodies and queries (API.md "Reviews",
// "Admin review moderation").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/json/decode.hpp"
#include "model/review.hpp"
#include "storage/review_queries.hpp"

namespace bookstore::json {

struct review_input {
  std::int64_t rating = 0;
  std::optional<std::string> text;
};

/// POST /books/{book_id}/reviews: `rating` an integer 1..5 (required),
/// `text` absent, null or at most 2000 characters.
decoded<review_input> decode_review_create(std::string_view body);

/// PATCH /reviews/{id}: `rating` absent or null keeps it, else 1..5; `text`
/// absent keeps it, null clears it, else at most 2000 characters.
decoded<model::review_patch> decode_review_patch(std::string_view body);

struct page_query {
  std::int64_t page = 1;
  std::int64_t size = 20;
};

/// GET /books/{book_id}/reviews: `page` >= 1, `size` 1..100.
decoded<page_query> decode_review_page(std::string_view query);

/// GET /admin/reviews.
decoded<storage::review_filter> decode_review_filter(std::string_view query);

/// DELETE /admin/reviews/bulk: `{"review_ids": [1..50 integers]}`.
decoded<std::vector<std::int64_t>> decode_review_bulk(std::string_view body);

} // namespace bookstore::json
