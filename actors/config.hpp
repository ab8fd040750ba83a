#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace bookstore {

/// How a node of a cluster ends the prepared parts of checkouts across
/// nodes whose decision did not arrive (transfer_recovery.hpp).
struct recovery_timing {
  /// How often the prepared parts are looked at.
  std::chrono::milliseconds every{1000};
  /// Only parts at least this old are asked about: a live checkout ends
  /// its parts itself within milliseconds of its decision.
  std::chrono::seconds min_age{2};
  /// How long one question may wait for the coordinator's answer.
  std::chrono::seconds ask_timeout{2};
};

/// Everything a program chooses when it starts the bookstore's actors.
struct core_config {
  /// SQLite file, created with its schema if missing; ":memory:" throws away.
  std::string database_path = "bookstore.db";
  /// Open the file without write access: every write answers
  /// STORE_UNAVAILABLE, reads keep working.
  bool read_only = false;
  /// Node `index` of a cluster of `count` (API.md, "Cluster"): the ids of
  /// users, books, orders and reviews written here are the node's own
  /// (storage::id_space). A single server is node 0 of 1.
  std::int64_t id_space_count = 1;
  std::int64_t id_space_index = 0;
  recovery_timing recovery;

  /// Chance that the mock provider declines a charge.
  double payment_failure_rate = 0.10;
  /// Simulated provider delay per charge, answered by a timer.
  std::chrono::milliseconds payment_latency{0};
  /// Seed of the provider's randomness, for repeatable runs.
  std::uint64_t payment_seed = 0x5eed;

  /// A checkout that has not reached the store by then gives up and
  /// releases everything (PAYMENT_TIMEOUT while it waits for the provider).
  std::chrono::milliseconds checkout_timeout{10'000};
  /// A reservation nobody commits or releases by then is released by its
  /// book actor. Must exceed checkout_timeout.
  std::chrono::milliseconds reservation_timeout{30'000};
  /// Book and cart actors idle this long are passivated (stopped and
  /// reloaded from the database when needed again).
  std::chrono::milliseconds idle_timeout{60'000};

  /// Under load (fewer writes queued than the last transaction held), a
  /// commit may wait up to this long for the others, so that one fsync
  /// serves them all: bigger batches for some latency, like PostgreSQL's
  /// commit_delay. 0 (the default) commits whatever is queued at once; see
  /// bench/README.md for the trade-off measured.
  std::chrono::microseconds group_commit_window{0};

  /// A search or report that has used this much CPU time stops and answers
  /// QUERY_TOO_EXPENSIVE: reads share the store's thread with commits, so
  /// one expensive read must not hold every checkout behind it. (CPU time,
  /// not wall time: a loaded machine must not make ordinary reads fail.)
  std::chrono::microseconds read_budget{100'000};

  /// Readers: read-only connections that answer the catalog search, order
  /// and admin reads beside the store's writes (reader_actor.hpp), each on
  /// its own thread. 0, or an in-memory database (which no second
  /// connection can open), leaves those reads to the store. One by default:
  /// on 2 cores (bench/README.md, reads_compare.sh) a second reader makes
  /// the reads compete with the I/O thread for CPU and the mix slower.
  std::size_t readers = 1;
  /// The readers' threads run at this nice value (0 to 19, Linux), the
  /// store's and the actors' at the process's. Above 0, when reads and
  /// checkouts compete for the cores, the kernel gives the checkouts the
  /// larger share: in bench/reads_compare.sh's isolation scenario (2
  /// cores, three runs each), 10 let checkouts keep 53 to 79 % of their
  /// rate under a search storm instead of 41 to 44 %, but cost the
  /// read-heavy mix 11 % of its throughput (two runs, at 5 and at 10), so 0
  /// (the same priority as the rest) is the default. With
  /// nothing else to run, a reader still gets a whole core. Only for
  /// detached readers (a reader on CAF's shared workers would lower a
  /// worker that other actors need).
  int reader_nice = 0;

  /// Run the store and the readers on threads of their own (the store
  /// blocks on fsync, a reader on a long search). Turn off to drive
  /// everything from CAF's deterministic test coordinator.
  bool detached_store = true;
};

} // namespace bookstore
