#include "actors/store_catalog.hpp"

#include "actors/store_reviews.hpp"
#include "storage/catalog_queries.hpp"
#include "storage/isbn_claims.hpp"

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

/// A book may take `isbn` here unless another node's book claims it on
/// this node (the ISBN's): the route settled any claim it found first
/// (gateway/api/isbn_claims.hpp), so one here now is new and wins. The
/// unique index decides between this node's own books.
void check_isbn_claims(storage::database& db, const model::book& b) {
  if (!b.isbn)
    return;
  auto claim = storage::find_isbn_claim(db, *b.isbn);
  if (claim && claim->book != b.id)
    throw rejection{error_code::book_isbn_conflict};
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
                                check_isbn_claims(db, draft);
                                return storage::insert_book(db, draft);
                              }));
}

caf::result<model::book> update_book(self_ptr self, model::book changed,
                                     std::string isbn_claim) {
  return enqueue<model::book>(
      self, book_write([=](storage::database& db) {
        // A claim voided since it was granted was found stale by a node that
        // then let another book take the ISBN: too late for this one.
        if (!isbn_claim.empty() && storage::isbn_claim_void(db, isbn_claim))
          throw rejection{error_code::book_isbn_conflict};
        check_isbn_claims(db, changed);
        storage::update_book(db, changed);
        return changed;
      }));
}

caf::result<storage::isbn_claim> find_isbn_claim(self_ptr self,
                                                 std::string isbn) {
  return read(self, [=](storage::database& db) {
    return storage::find_isbn_claim(db, isbn).value_or(storage::isbn_claim{});
  });
}

caf::result<storage::isbn_claim> claim_isbn(self_ptr self,
                                            storage::isbn_claim wanted) {
  return enqueue<storage::isbn_claim>(self, [=](storage::database& db) {
    if (storage::isbn_in_use(db, wanted.isbn))
      throw rejection{error_code::book_isbn_conflict};
    return storage::claim_isbn(db, wanted).value_or(wanted);
  });
}

caf::result<bool> drop_isbn_claim(self_ptr self, storage::isbn_claim claim) {
  return enqueue<bool>(self, [=](storage::database& db) {
    storage::drop_isbn_claim(db, claim.isbn, claim.token);
    return true;
  });
}

caf::result<bool> settle_isbn_claim(self_ptr self, storage::isbn_claim claim) {
  return enqueue<bool>(self, [=](storage::database& db) {
    return storage::settle_isbn_claim(db, claim);
  });
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
