#pragma once

// The embedding API: start the bookstore's actors inside a program's own
// caf::actor_system and talk to them through typed handles, without HTTP.
//
//   caf::actor_system sys{cfg};
//   auto shop = bookstore::start(sys, {/* database path, payment, ... */});
//   // request(shop.registry, infinite, book_atom, id) -> book_actor
//   // request(shop.registry, infinite, cart_atom, user) -> cart_actor
//   // request(cart, infinite, checkout_atom, checkout_request{}) -> outcome
//   bookstore::stop(shop);

#include <memory>

#include "caf/all.hpp"

#include "actors/account_directory.hpp"
#include "actors/config.hpp"
#include "actors/errors.hpp"
#include "actors/handles.hpp"
#include "actors/message_types.hpp"
#include "actors/metrics.hpp"
#include "actors/reader_pool.hpp"

namespace bookstore {

/// The running bookstore: its long-lived actors and their counters.
struct core {
  registry_actor registry; // books and carts by id
  store_actor store;       // users, genres, orders; the only SQLite writer
  /// Who answers the catalog search, order and admin reads (reads.hpp):
  /// the readers, or the store where there are none.
  std::shared_ptr<const reader_pool> readers;
  payment_actor payment; // the mock provider
  std::shared_ptr<core_metrics> metrics;
  /// Which accounts are active, read by the gateway on every request with a
  /// token; kept by the store (see account_directory.hpp).
  std::shared_ptr<account_directory> accounts;
  /// A node of a cluster: ends the prepared parts of checkouts across nodes
  /// whose decision did not arrive (transfer_recovery.hpp); none otherwise.
  caf::actor recovery;
};

/// Opens (or creates and migrates) the database and spawns the actors in
/// `sys`. Throws storage::error if the database cannot be opened.
core start(caf::actor_system& sys, const core_config& config);

/// Stops the actors; the store commits and answers what it has queued first.
void stop(const core& shop);

} // namespace bookstore
