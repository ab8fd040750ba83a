#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "actors/account_directory.hpp"
#include "actors/handles.hpp"
#include "actors/metrics.hpp"
#include "actors/read_ops.hpp"
#include "storage/database.hpp"

namespace bookstore {

/// A write waiting for the next transaction. `run` executes it against the
/// database and returns what to deliver once the transaction has committed;
/// `fail` answers with an error instead.
struct pending_write {
  std::function<std::function<void()>(storage::database&)> run;
  std::function<void(const caf::error&)> fail;
  bool is_order = false;
};

/// The write connection and the read budget are the read_state's: the store
/// also answers the readers' messages when it has no readers (reads.hpp).
struct store_state : read_state {
  static inline const char* name = "store";
  std::shared_ptr<core_metrics> metrics;
  std::vector<pending_write> queue; // arrived since the last flush
  bool flush_scheduled = false;     // a flush message is on its way
  bool holding = false;             // waiting for more writes to arrive
  std::size_t last_batch = 0;       // writes in the last transaction
  caf::actor_clock::time_point first_queued; // of the oldest queued write
  caf::timespan window{0};           // how long a flush may wait under load
  std::int64_t next_token_purge = 0; // unix time; see purge_expired_tokens
  /// Updated after the commit of each account write (account_directory.hpp).
  std::shared_ptr<account_directory> accounts;
};

/// The only owner of the SQLite write connection. Writes that arrive while a
/// transaction runs are queued and committed together in the next one (group
/// commit; under load a commit waits up to a short window for the writes the
/// last one suggests are coming); nothing is answered before its transaction
/// has committed. The reads it still answers (those on a write's path:
/// accounts, carts, idempotency keys, the book that loads a book actor; and
/// the readers' messages when there are no readers) run at once on the same
/// connection, between batches, and see only committed data.
store_actor::behavior_type
store(store_actor::stateful_pointer<store_state> self,
      std::shared_ptr<storage::database> db,
      std::shared_ptr<core_metrics> metrics, caf::timespan group_commit_window,
      caf::timespan read_budget,
      std::shared_ptr<account_directory> accounts = nullptr);

} // namespace bookstore
