#pragma once

// The store actor's part in a checkout across nodes (checkout_actor.hpp):
// a book owner's prepared parts, and the cart owner's decisions.

#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_transfers {

using store_ops::self_ptr;

/// Records the part and takes its copies off the stock in one write; false
/// if it was prepared already. A short stock is ORDER_INSUFFICIENT_STOCK, an
/// unknown or deleted book BOOK_NOT_FOUND.
caf::result<bool> prepare(self_ptr self, storage::prepared_transfer part);

/// Ends the part (committed or not) in one write; answers the copies that
/// returned to the stock.
caf::result<std::int64_t> finish(self_ptr self, std::int64_t transfer,
                                 model::book_id book, bool commit);

/// The parts prepared at or before `prepared_by` (Unix seconds), oldest
/// first, a bounded number at a time.
caf::result<std::vector<storage::prepared_transfer>>
list_prepared(self_ptr self, std::int64_t prepared_by);

/// Whether the transfer committed. Queued as a write, so that it runs after
/// every write queued before it: an order that is being written is seen.
caf::result<bool> decided(self_ptr self, std::int64_t transfer);

} // namespace bookstore::store_transfers
