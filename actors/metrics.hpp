#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "model/errors.hpp"

namespace bookstore {

/// Counters the actors keep for benchmarks and /metrics. Plain relaxed
/// atomics: each is written by one kind of actor and only read for reports.
struct core_metrics {
  std::atomic<std::uint64_t> commits{0};          // SQLite write transactions
  std::atomic<std::uint64_t> writes_committed{0}; // operations in them
  std::atomic<std::uint64_t> orders_committed{0}; // orders in them
  std::atomic<std::uint64_t> failed_batches{0};   // transactions rolled back
  std::atomic<std::int64_t> live_books{0};        // book actors running
  std::atomic<std::int64_t> live_carts{0};        // cart actors running
  /// The mock provider's ledger: charges approved minus charges refunded
  /// equals orders confirmed.
  std::atomic<std::uint64_t> payment_charges{0};
  std::atomic<std::uint64_t> payment_charged_cents{0};
  std::atomic<std::uint64_t> payment_refunds{0};
  std::atomic<std::uint64_t> payment_refunded_cents{0};
  /// Messages this node's actors sent to, or got answered by, actors of
  /// other nodes of a cluster (books of another node: a cart's check, a
  /// checkout's reservations, prepared parts and their ends, the lookups of
  /// their handles). A request counts two: it and its answer.
  std::atomic<std::uint64_t> peer_actor_messages{0};
  /// Checkouts by outcome, indexed by model::error_code (none = confirmed).
  std::array<std::atomic<std::uint64_t>, 32> checkouts{};

  void count_peer_messages(std::uint64_t n) {
    peer_actor_messages.fetch_add(n, std::memory_order_relaxed);
  }

  void count_checkout(model::error_code outcome) {
    checkouts[static_cast<std::size_t>(outcome) % checkouts.size()].fetch_add(
        1, std::memory_order_relaxed);
  }
};

} // namespace bookstore
