#pragma once

// The store actor's group commit: the writes queued since the last flush
// are run in one transaction and answered once it has committed.

#include "actors/store_ops.hpp"

namespace bookstore::store_batch {

/// A flush message arrived: commits the queue now, or under load waits up to
/// the group commit window for the writes the last batch suggests will come.
void on_flush(store_ops::self_ptr self);

/// Commits everything queued in one transaction and answers every write:
/// with its value, its rejection, or store_unavailable when the whole
/// transaction failed.
void commit_batch(store_ops::self_ptr self);

/// Test switch: makes every write fail as on a read-only file, or not.
caf::result<bool> set_fault(store_ops::self_ptr self, bool on);

} // namespace bookstore::store_batch
