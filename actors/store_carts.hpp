#pragma once

// The store actor's cart handlers: the cart lines the cart actors load and
// persist, and the cart view of GET /cart.

#include <cstdint>
#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_carts {

using store_ops::self_ptr;

caf::result<std::vector<model::cart_line>> load(self_ptr self,
                                                model::user_id owner);
/// Rejects the same book twice with CART_ITEM_DUPLICATE and an unknown book
/// with BOOK_NOT_FOUND.
caf::result<model::cart_line> add_item(self_ptr self, model::user_id owner,
                                       model::book_id book,
                                       std::int64_t quantity);
caf::result<bool> change_item(self_ptr self, model::cart_item_id item,
                              std::int64_t quantity);
caf::result<bool> remove_item(self_ptr self, model::cart_item_id item);
caf::result<std::vector<storage::cart_view_line>> view(self_ptr self,
                                                       model::user_id owner);
/// Whose cart holds the item; 0 for nobody's.
caf::result<model::user_id> item_owner(self_ptr self, model::cart_item_id item);

} // namespace bookstore::store_carts
