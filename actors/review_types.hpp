#pragma once

// Message payloads of the reviews feature (their type ids are in
// message_types.hpp's one block).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "model/review.hpp"
#include "storage/review_queries.hpp"

namespace bookstore {

/// POST /books/{book_id}/reviews, checked by the gateway already.
struct review_draft {
  model::user_id user = 0;
  model::book_id book = 0;
  std::int64_t rating = 0;
  std::optional<std::string> text;
  /// The author as their own node told it, for an author of another node
  /// (a cluster: this file has neither them nor their orders). Without it,
  /// this file tells.
  std::optional<storage::review_author> author;
};

/// A review write's answer. `error` is none, or duplicate_review with the
/// live review's id in `existing` (an answer, not a failure: it carries
/// that id); `rating` is the book's totals after the write.
struct review_written {
  model::error_code error = model::error_code::none;
  model::review_id existing = 0;
  storage::review_record review;
  storage::rating_change rating;
};

/// DELETE /admin/reviews/bulk: ids as sent (repeats allowed).
struct review_bulk {
  std::vector<model::review_id> ids;
};

/// What a bulk delete did: how many live reviews it deleted, and the
/// totals of every book it touched.
struct review_bulk_result {
  std::int64_t deleted = 0;
  std::vector<storage::rating_change> ratings;
};

} // namespace bookstore
