#pragma once

// Reviews (API.md "Reviews", "Admin review moderation"). Prepared statements
// only. Every write keeps the book's rating_sum/rating_count in the same
// transaction (schema triggers), so the aggregates never drift.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/rating.hpp"
#include "model/review.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

/// A live review with what its JSON shows of its author and book.
struct review_record {
  model::review_id id = 0;
  model::book_id book = 0;
  model::user_id user = 0;
  std::int64_t rating = 0;
  std::optional<std::string> text;
  std::int64_t created_at = 0; // microseconds since the epoch, UTC
  std::int64_t updated_at = 0;
  bool verified_purchase = false; // a confirmed order of the author has it
  std::string author_email;
  std::string book_title;
  std::optional<std::string> book_cover;
};

struct review_page {
  std::vector<review_record> items;
  std::int64_t total = 0;
};

/// A book's ratings after a write, for its book actor.
struct rating_change {
  model::book_id book = 0;
  model::rating_totals totals;
};

/// GET /admin/reviews: live reviews, filters combined with AND.
struct review_filter {
  std::int64_t page = 1;
  std::int64_t per_page = 20;
  std::optional<model::book_id> book;
  std::optional<model::user_id> user;
  std::optional<std::int64_t> rating_min;
  std::optional<std::int64_t> rating_max;
  bool by_rating = false; // else by created_at
  bool descending = true;
};

/// A live review, or nothing (unknown or deleted).
std::optional<review_record> find_review(database& db, model::review_id id);

/// The review of `user` for `book`, deleted or not: its id and whether it
/// is deleted.
struct review_key {
  model::review_id id = 0;
  bool deleted = false;
};
std::optional<review_key> review_of(database& db, model::user_id user,
                                    model::book_id book);

/// What a review keeps of its author, as the author's own file tells it:
/// the email (its display name) and whether a confirmed order of theirs
/// holds the book. In a cluster the author's node reads it and the book's
/// node, which holds the review, writes it (API.md "Cluster").
struct review_author {
  std::string email;
  bool purchased = false;
};

/// `user`'s review_author for `book`, or nothing for a user this file does
/// not hold.
std::optional<review_author> review_author_of(database& db, model::user_id user,
                                              model::book_id book);

/// Inserts a live review at `now` (microseconds) by `author`; its id. A
/// second review of one user and book fails with failure_kind::unique.
model::review_id insert_review(database& db, model::user_id user,
                               const review_author& author, model::book_id book,
                               std::int64_t rating,
                               const std::optional<std::string>& text,
                               std::int64_t now);

/// Applies `patch` to a live review; updated_at becomes `now`, or one
/// microsecond past its previous value if that is not earlier. False when
/// the review is not live.
bool update_review(database& db, model::review_id id,
                   const model::review_patch& patch, std::int64_t now);

/// Soft-deletes a live review; false when it was not live.
bool soft_delete_review(database& db, model::review_id id, std::int64_t now);

/// Soft-deletes every live review of a book (the book is being deleted);
/// how many.
std::int64_t soft_delete_book_reviews(database& db, model::book_id book,
                                      std::int64_t now);

/// The book's rating totals as the books row keeps them (deleted or not).
model::rating_totals book_rating(database& db, model::book_id book);

/// A book's live reviews, newest first (created_at, then id, descending).
review_page list_book_reviews(database& db, model::book_id book,
                              std::int64_t page, std::int64_t size);

/// The moderation list; ties by id descending.
review_page list_reviews(database& db, const review_filter& filter);

/// Recomputes the totals from the reviews (tests: they must equal the kept
/// ones after every write).
model::rating_totals recount_rating(database& db, model::book_id book);

} // namespace bookstore::storage
