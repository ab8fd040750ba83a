#include "actors/store_lists.hpp"

#include "storage/list_queries.hpp"

namespace bookstore::store_lists {

using model::error_code;
using storage::failure_kind;
using store_ops::enqueue;
using store_ops::read;
using store_ops::translating;

caf::result<model::wishlist_item> add_to_wishlist(store_ops::self_ptr self,
                                                  model::user_id user,
                                                  model::book_id book) {
  return enqueue<model::wishlist_item>(
      self,
      translating(failure_kind::unique, error_code::wishlist_item_duplicate,
                  [=](storage::database& db) {
                    auto item = storage::add_wishlist_item(db, user, book);
                    if (!item)
                      throw rejection{error_code::book_not_found};
                    return *item;
                  }));
}

caf::result<std::vector<model::wishlist_item>>
list_wishlist(store_ops::self_ptr self, model::user_id user) {
  return read(self, [=](storage::database& db) {
    return storage::list_wishlist(db, user);
  });
}

caf::result<bool> remove_from_wishlist(store_ops::self_ptr self,
                                       model::user_id user,
                                       model::book_id book) {
  return enqueue<bool>(self, [=](storage::database& db) {
    if (!storage::remove_wishlist_item(db, user, book))
      throw rejection{error_code::wishlist_item_not_found};
    return true;
  });
}

caf::result<model::prebook> create_prebook(store_ops::self_ptr self,
                                           model::user_id user,
                                           model::book_id book) {
  return enqueue<model::prebook>(
      self, translating(failure_kind::unique, error_code::prebook_duplicate,
                        [=](storage::database& db) {
                          auto created =
                              storage::insert_prebook(db, user, book);
                          if (!created)
                            throw rejection{error_code::book_not_found};
                          return *created;
                        }));
}

caf::result<std::vector<model::prebook>> list_prebooks(store_ops::self_ptr self,
                                                       model::user_id user) {
  return read(self, [=](storage::database& db) {
    return storage::list_prebooks(db, user);
  });
}

caf::result<bool> cancel_prebook(store_ops::self_ptr self, model::user_id user,
                                 model::prebook_id id) {
  return enqueue<bool>(self, [=](storage::database& db) {
    if (auto refusal = storage::cancel_prebook(db, user, id);
        refusal != error_code::none)
      throw rejection{refusal};
    return true;
  });
}

caf::result<std::int64_t> restock(store_ops::self_ptr self, model::book_id book,
                                  std::int64_t delta) {
  return enqueue<std::int64_t>(
      self, translating(failure_kind::check, error_code::validation_error,
                        [=](storage::database& db) {
                          storage::restock_book(db, book, delta);
                          return delta;
                        }));
}

} // namespace bookstore::store_lists
