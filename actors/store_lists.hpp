#pragma once

// The store actor's handlers for wishlists and pre-bookings, and the restock
// that notifies pre-bookings in the stock change's own transaction.

#include <cstdint>
#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_lists {

caf::result<model::wishlist_item> add_to_wishlist(store_ops::self_ptr self,
                                                  model::user_id user,
                                                  model::book_id book);

caf::result<std::vector<model::wishlist_item>>
list_wishlist(store_ops::self_ptr self, model::user_id user);

caf::result<bool> remove_from_wishlist(store_ops::self_ptr self,
                                       model::user_id user,
                                       model::book_id book);

caf::result<model::prebook> create_prebook(store_ops::self_ptr self,
                                           model::user_id user,
                                           model::book_id book);

caf::result<std::vector<model::prebook>> list_prebooks(store_ops::self_ptr self,
                                                       model::user_id user);

caf::result<bool> cancel_prebook(store_ops::self_ptr self, model::user_id user,
                                 model::prebook_id id);

caf::result<std::int64_t> restock(store_ops::self_ptr self, model::book_id book,
                                  std::int64_t delta);

} // namespace bookstore::store_lists
