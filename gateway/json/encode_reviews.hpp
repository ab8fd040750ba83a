#pragma once

// Encoders of the reviews feature: Review, its list, the moderation list.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "storage/review_queries.hpp"

namespace bookstore::json {

/// API.md's Review.
nlohmann::json review_json(const storage::review_record& review);

/// `{items, total, page, size}`.
nlohmann::json review_page_json(const storage::review_page& page,
                                std::int64_t number, std::int64_t size);

/// The moderation list's item.
nlohmann::json admin_review_json(const storage::review_record& review);

/// `{items, total_count, page, per_page, total_pages}` with the moderation
/// item.
nlohmann::json admin_review_page_json(const storage::review_page& page,
                                      const storage::review_filter& filter);

} // namespace bookstore::json
