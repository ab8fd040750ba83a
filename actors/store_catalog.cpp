#include "actors/store_catalog.hpp"

#include "actors/store_reviews.hpp"
#include "storage/catalog_queries.hpp"

namespace bookstore::store_catalog {

using model::error_code;
using storage::failure_kind;
using store_ops::enqueue;
using store_ops::read;
using store_ops::translating;

namespace {

/// A book write's storage failures as the client hears them.
template <class F> auto book_write(F fn) {
  return translating(
      failure_kind::unique, error_code::book_isbn_conflict,
      translating(failure_kind::foreign_key, error_code::validation_error, fn));
}

} // namespace

caf::result<model::genre> create_genre(self_ptr self, std::string name) {
  return enqueue<model::genre>(
      self, translating(failure_kind::unique, error_code::genre_conflict,
                        [=](storage::database& db) {
                          return storage::insert_genre(db, name);
                        }));
}

caf::result<bool> keep_genre(self_ptr self, model::genre genre) {
  return enqueue<bool>(self, [=](storage::database& db) {
    storage::keep_genre(db, genre);
    return true;
  });
}

caf::result<model::book> create_book(self_ptr self, model::book draft) {
  return enqueue<model::book>(self, book_write([=](storage::database& db) {
                                return storage::insert_book(db, draft);
                              }));
}

caf::result<model::book> update_book(self_ptr self, model::book changed) {
  return enqueue<model::book>(self, book_write([=](storage::database& db) {
                                storage::update_book(db, changed);
                                return changed;
                              }));
}

caf::result<model::book> get_book(self_ptr self, model::book_id id) {
  return read(self, [=](storage::database& db) {
    if (auto found = storage::find_book(db, id))
      return *found;
    throw rejection{error_code::book_not_found};
  });
}

caf::result<bool> delete_book(self_ptr self, model::book_id id) {
  return enqueue<bool>(self, [=](storage::database& db) {
    if (!storage::delete_book(db, id))
      throw rejection{error_code::book_not_found};
    store_reviews::delete_book_reviews(db, id);
    return true;
  });
}

caf::result<std::int64_t> add_stock(self_ptr self, model::book_id id,
                                    std::int64_t delta) {
  return enqueue<std::int64_t>(
      self, translating(failure_kind::check, error_code::validation_error,
                        [=](storage::database& db) {
                          storage::add_stock(db, id, delta);
                          return delta;
                        }));
}

} // namespace bookstore::store_catalog
