#include "actors/store_reviews.hpp"

#include <algorithm>
#include <chrono>

#include "storage/queries.hpp"

namespace bookstore::store_reviews {

namespace {

using model::error_code;
using store_ops::enqueue;
using store_ops::read;

/// Microseconds since the epoch, UTC.
std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

storage::rating_change rating_of(storage::database& db, model::book_id book) {
  return {book, storage::book_rating(db, book)};
}

} // namespace

caf::result<review_written> create_review(self_ptr self, review_draft draft) {
  return enqueue<review_written>(self, [=](storage::database& db) {
    if (!storage::find_book(db, draft.book))
      throw rejection{error_code::book_not_found};
    review_written out;
    auto existing = storage::review_of(db, draft.user, draft.book);
    if (existing && !existing->deleted) {
      out.error = error_code::duplicate_review;
      out.existing = existing->id;
      return out;
    }
    auto author = draft.author
                      ? draft.author
                      : storage::review_author_of(db, draft.user, draft.book);
    if (!author || !author->purchased)
      throw rejection{error_code::not_purchased};
    if (existing) // deleted: the unique key holds for good
      throw rejection{error_code::review_duplicate};
    auto id = storage::insert_review(db, draft.user, *author, draft.book,
                                     draft.rating, draft.text, now_micros());
    out.review = *storage::find_review(db, id);
    out.rating = rating_of(db, draft.book);
    return out;
  });
}

caf::result<storage::review_record> get_review(self_ptr self,
                                               model::review_id id) {
  return read(self, [=](storage::database& db) {
    if (auto found = storage::find_review(db, id))
      return *found;
    throw rejection{error_code::review_not_found};
  });
}

caf::result<review_written> update_review(self_ptr self, model::review_id id,
                                          model::user_id caller,
                                          model::review_patch patch) {
  return enqueue<review_written>(self, [=](storage::database& db) {
    auto found = storage::find_review(db, id);
    if (!found)
      throw rejection{error_code::review_not_found};
    if (found->user != caller)
      throw rejection{error_code::not_review_owner};
    storage::update_review(db, id, patch, now_micros());
    review_written out;
    out.review = *storage::find_review(db, id);
    out.rating = rating_of(db, found->book);
    return out;
  });
}

caf::result<storage::rating_change> delete_review(self_ptr self,
                                                  model::review_id id,
                                                  model::user_id caller,
                                                  bool admin) {
  return enqueue<storage::rating_change>(self, [=](storage::database& db) {
    auto found = storage::find_review(db, id);
    if (!found)
      throw rejection{error_code::review_not_found};
    if (!admin && found->user != caller)
      throw rejection{error_code::not_review_owner};
    storage::soft_delete_review(db, id, now_micros());
    return rating_of(db, found->book);
  });
}

caf::result<review_bulk_result> bulk_delete(self_ptr self, review_bulk bulk) {
  return enqueue<review_bulk_result>(self, [=](storage::database& db) {
    review_bulk_result out;
    std::vector<model::book_id> books;
    const auto now = now_micros();
    // A repeated id finds its review deleted the second time: counted once.
    for (auto id : bulk.ids) {
      auto found = storage::find_review(db, id);
      if (!found || !storage::soft_delete_review(db, id, now))
        continue;
      ++out.deleted;
      books.push_back(found->book);
    }
    std::sort(books.begin(), books.end());
    books.erase(std::unique(books.begin(), books.end()), books.end());
    for (auto book : books)
      out.ratings.push_back(rating_of(db, book));
    return out;
  });
}

void delete_book_reviews(storage::database& db, model::book_id book) {
  storage::soft_delete_book_reviews(db, book, now_micros());
}

} // namespace bookstore::store_reviews
