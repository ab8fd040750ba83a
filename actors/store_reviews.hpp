#pragma once

// The store's review handlers (API.md "Reviews", "Admin review
// moderation"); store_actor.cpp's behavior calls them. The review listings
// run on the readers (reads.hpp).

#include "actors/review_types.hpp"
#include "actors/store_ops.hpp"

namespace bookstore::store_reviews {

using store_ops::self_ptr;

/// Checks in the original's order (book, live duplicate, purchase) and
/// inserts; a deleted review of the same user and book rejects with
/// review_duplicate.
caf::result<review_written> create_review(self_ptr self, review_draft draft);

caf::result<storage::review_record> get_review(self_ptr self,
                                               model::review_id id);

/// The author changes rating and/or text.
caf::result<review_written> update_review(self_ptr self, model::review_id id,
                                          model::user_id caller,
                                          model::review_patch patch);

/// The author, or any admin, soft-deletes the review.
caf::result<storage::rating_change> delete_review(self_ptr self,
                                                  model::review_id id,
                                                  model::user_id caller,
                                                  bool admin);

caf::result<review_bulk_result> bulk_delete(self_ptr self, review_bulk bulk);

/// Inside the write that deletes a book: its reviews go with it.
void delete_book_reviews(storage::database& db, model::book_id book);

} // namespace bookstore::store_reviews
