#pragma once

#include <chrono>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/config.hpp"
#include "actors/handles.hpp"
#include "actors/metrics.hpp"
#include "actors/patience.hpp"

namespace bookstore {

/// Live actors of one kind by id (and by address, to forget one that went
/// down in constant time), and who waits for one being loaded.
template <class Handle> struct directory {
  std::unordered_map<std::int64_t, Handle> live;
  std::unordered_map<caf::actor_addr, std::int64_t> ids;
  std::unordered_map<std::int64_t,
                     std::vector<caf::typed_response_promise<Handle>>>
      loading;
};

struct registry_state {
  static inline const char* name = "registry";
  directory<book_actor> books; // this node's, and proxies of other nodes'
  directory<cart_actor> carts;
  // A cluster: the other nodes' registries by node index, and the
  // checkouts across nodes running here (by transfer, and by saga so that
  // one that dies is forgotten).
  std::unordered_map<std::uint32_t, caf::actor> peers;
  std::unordered_set<std::int64_t> live_transfers;
  std::unordered_map<caf::actor_addr, std::int64_t> transfer_of_saga;
  store_actor store;
  payment_actor payment;
  core_config config;
  std::shared_ptr<core_metrics> metrics;
};

/// How often the cart and checkout actors look a book up again because its
/// actor passivated between the lookup and the message they sent it.
constexpr int max_book_lookups = 3;

/// How long a lookup of another node's book waits for that node's
/// registry: a node that does not answer by then counts as unavailable
/// (patience.hpp: the 2 s API.md allows a request that needs it).
constexpr auto remote_lookup_timeout = remote_answer_timeout;

/// Finds the one actor of a book or a user's cart, spawning it from the
/// database on first use; concurrent lookups of one id share one load, so
/// there is never a second actor for the same book. In a cluster, a book of
/// another node is that node's actor, asked of its registry (through CAF's
/// middleman) and kept while it lives: the checkout talks to it as to a
/// local one.
registry_actor::behavior_type
registry(registry_actor::stateful_pointer<registry_state> self,
         store_actor store, payment_actor payment, core_config config,
         std::shared_ptr<core_metrics> metrics);

} // namespace bookstore
