#pragma once

// The store actor's order handlers: the checkout's order write, order reads,
// and the idempotency records of checkouts.

#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_orders {

using store_ops::self_ptr;

/// Writes the order, its stock deltas, its cart clear and its key's outcome
/// in one write. Rejects a stock shortfall with ORDER_INSUFFICIENT_STOCK and
/// an unknown or deleted book with ORDER_ITEMS_UNAVAILABLE.
caf::result<model::order> create(self_ptr self, order_draft draft);
/// Rejects an unknown order with ORDER_NOT_FOUND.
caf::result<model::order> get(self_ptr self, model::order_id id);
caf::result<std::vector<model::order>> list(self_ptr self,
                                            order_page_request page);

/// Rejects a missing or expired record with NOT_FOUND.
caf::result<storage::idempotency_record>
find_idempotency(self_ptr self, idempotency_lookup lookup);
/// Stores the record and purges those older than a day.
caf::result<bool> put_idempotency(self_ptr self, idempotency_entry entry);

} // namespace bookstore::store_orders
