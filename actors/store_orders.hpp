#pragma once

// The store actor's order handlers: the checkout's order write and the
// idempotency records of checkouts. Order reads run on the readers
// (reads.hpp); the idempotency lookup stays here, on the write path of a
// keyed checkout.

#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_orders {

using store_ops::self_ptr;

/// Writes the order, its stock deltas, its cart clear and its key's outcome
/// in one write. Rejects a stock shortfall with ORDER_INSUFFICIENT_STOCK and
/// an unknown or deleted book with ORDER_ITEMS_UNAVAILABLE.
caf::result<model::order> create(self_ptr self, order_draft draft);

/// Rejects a missing or expired record with NOT_FOUND.
caf::result<storage::idempotency_record>
find_idempotency(self_ptr self, idempotency_lookup lookup);
/// Stores the record and purges those older than a day.
caf::result<bool> put_idempotency(self_ptr self, idempotency_entry entry);

} // namespace bookstore::store_orders
