#pragma once

#include <unordered_map>
#include <unordered_set>

#include "actors/config.hpp"
#include "actors/handles.hpp"
#include "actors/metrics.hpp"
#include "model/book.hpp"
#include "model/reservations.hpp"

namespace bookstore {

struct book_state {
  static inline const char* name = "book";
  model::book book;
  model::reservations reservations; // on_hand and the copies held
  /// Holds of checkouts on other nodes (a cluster), by their saga: a saga
  /// whose node dies (the link drops) releases its hold at once, not at
  /// its expiry.
  std::unordered_map<caf::actor_addr, ticket> remote_holders;
  /// Holds whose prepared part the store is writing: the store's answer,
  /// not the saga's end, decides them (sold or released).
  std::unordered_multiset<ticket> preparing;
  /// Prepared parts and their ends being written: the book stays until
  /// they are answered.
  std::int64_t writes_in_flight = 0;
  bool deleted = false;
  bool expiry_armed = false;
  caf::actor_clock::time_point last_active;
  store_actor store;
  registry_actor registry;
  caf::timespan reservation_timeout;
  caf::timespan idle_timeout;
  std::shared_ptr<core_metrics> metrics;

  ~book_state();
};

/// The single writer of one book's stock. Reservations are served from
/// memory, so buyers of one book never wait on the database or on each
/// other's payment; admin writes are persisted (as deltas) before they apply.
book_actor::behavior_type book(book_actor::stateful_pointer<book_state> self,
                               model::book loaded, store_actor store,
                               registry_actor registry, core_config config,
                               std::shared_ptr<core_metrics> metrics);

} // namespace bookstore
