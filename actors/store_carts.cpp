#include "actors/store_carts.hpp"

#include "storage/cart_queries.hpp"

namespace bookstore::store_carts {

using model::error_code;
using storage::failure_kind;
using store_ops::enqueue;
using store_ops::read;
using store_ops::translating;

caf::result<std::vector<model::cart_line>> load(self_ptr self,
                                                model::user_id owner) {
  return read(self, [=](storage::database& db) {
    return storage::load_cart(db, owner);
  });
}

caf::result<model::cart_line> add_item(self_ptr self, model::user_id owner,
                                       model::book_id book,
                                       std::int64_t quantity) {
  return enqueue<model::cart_line>(
      self, translating(failure_kind::unique, error_code::cart_item_duplicate,
                        translating(failure_kind::foreign_key,
                                    error_code::book_not_found,
                                    [=](storage::database& db) {
                                      return storage::insert_cart_item(
                                          db, owner, book, quantity);
                                    })));
}

caf::result<bool> change_item(self_ptr self, model::cart_item_id item,
                              std::int64_t quantity) {
  return enqueue<bool>(self, [=](storage::database& db) {
    storage::update_cart_item(db, item, quantity);
    return true;
  });
}

caf::result<bool> remove_item(self_ptr self, model::cart_item_id item) {
  return enqueue<bool>(self, [=](storage::database& db) {
    storage::delete_cart_item(db, item);
    return true;
  });
}

caf::result<std::vector<storage::cart_view_line>> view(self_ptr self,
                                                       model::user_id owner) {
  return read(self, [=](storage::database& db) {
    return storage::cart_view(db, owner);
  });
}

caf::result<model::user_id> item_owner(self_ptr self,
                                       model::cart_item_id item) {
  return read(self, [=](storage::database& db) {
    return storage::cart_item_owner(db, item).value_or(0);
  });
}

} // namespace bookstore::store_carts
