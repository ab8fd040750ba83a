#pragma once

#include <memory>

#include "actors/handles.hpp"
#include "actors/read_ops.hpp"
#include "storage/search_cache.hpp"

namespace bookstore {

struct reader_state : read_state {
  /// The catalog searches this reader answered. Only a reader keeps such a
  /// cache: the store's own commits leave its connection's data_version
  /// unchanged, so it could not tell when a kept page went stale.
  storage::search_cache pages;
  static inline const char* name = "reader";
};

/// Answers the reads of reads.hpp on `db`, a read-only connection that is
/// this actor's alone (PRAGMA query_only as well as the read-only open). In
/// WAL mode each read sees the last commit before it began and never waits
/// for the store's writes, nor makes them wait: several readers run beside
/// the one writer. Spawned detached, so each connection has its own thread;
/// a `thread_nice` above 0 lowers that thread's CPU priority to it
/// (core_config::reader_nice), 0 leaves the thread as it is.
reader_actor::behavior_type
reader(reader_actor::stateful_pointer<reader_state> self,
       std::shared_ptr<storage::database> db, caf::timespan read_budget,
       int thread_nice);

} // namespace bookstore
