#pragma once

// A checkout across the nodes of a cluster (API.md, "Cluster"): the book
// owner's prepared parts and the cart owner's decisions. The protocol and
// its states are described at actors/checkout_actor.hpp.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/book.hpp"
#include "model/order.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

/// One book's part of a checkout across nodes, as the book's owner keeps it
/// until the decision is known.
struct prepared_transfer {
  std::int64_t transfer_id = 0;
  model::book_id book = 0;
  std::int64_t quantity = 0;
  std::int64_t coordinator = 0; // the node of the cart (and of the decision)
  std::int64_t prepared_at = 0; // Unix seconds
};

/// Takes the part's copies off the book's stock (a delta) and records the
/// part, in the caller's transaction; once per (transfer, book): preparing
/// again changes nothing and returns false. Throws failure_kind::check if
/// the stock is short, failure_kind::foreign_key if the book is unknown or
/// deleted.
bool prepare_transfer(database& db, const prepared_transfer& part);

/// Ends a book's part: committed, the record goes and the copies stay sold;
/// aborted, the record goes and the copies return to the stock, in the same
/// transaction. Returns the copies returned: 0 for a commit, and for a part
/// that was never prepared or has ended already (a repeated message).
std::int64_t finish_transfer(database& db, std::int64_t transfer_id,
                             model::book_id book, bool commit);

/// Prepared parts recorded at or before `prepared_by` (Unix seconds), oldest
/// first, at most `limit`.
std::vector<prepared_transfer>
prepared_transfers(database& db, std::int64_t prepared_by, std::int64_t limit);

/// Records that the transfer committed with this order (the cart owner's
/// decision), in the order's transaction.
void record_transfer_decision(database& db, std::int64_t transfer_id,
                              model::order_id order);

/// The order of a committed transfer; nothing if it has no decision.
std::optional<model::order_id> transfer_decision(database& db,
                                                 std::int64_t transfer_id);

} // namespace bookstore::storage
