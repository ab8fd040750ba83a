#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/middleman_actor.hpp"

#include "cluster/peer_table.hpp"
#include "cluster/wire.hpp"
#include "model/cluster.hpp"

namespace bookstore::cluster {

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using front_atom = caf::atom_constant<caf::atom("front")>;
using probe_atom = caf::atom_constant<caf::atom("probe")>;

/// A node's links to its peers: it connects to each peer's front through
/// CAF's middleman, pings it, marks it up or down in the peer table, and
/// carries the requests this node forwards to it.
using links_actor = caf::typed_actor<
    // Serves `request` on node `node`. An error if the node is down
    // (node_unavailable: not sent), or goes down before it answers
    // (node_lost: sent, with an outcome nobody here can know).
    caf::replies_to<forward_atom, std::uint32_t,
                    peer_request>::with<peer_response>,
    // This node's front, once published: the links start connecting to
    // and pinging the peers, and show it to them in their pings.
    caf::reacts_to<front_atom, front_actor>,
    // Node `node`'s front pinged this node's (see front.hpp): the link to
    // a node that dials this one (ownership order) is that front.
    caf::reacts_to<hello_atom, std::uint32_t, caf::actor>,
    // Internal: time to connect and ping.
    caf::reacts_to<tick_atom>>;

struct link_timing {
  /// How often each peer is pinged (and a down one connected to).
  std::chrono::milliseconds tick{250};
  /// A peer that has not answered a ping or a connection by then is down:
  /// tick + this bounds how long a request may wait for a dead node (API.md
  /// asks for its 503 within 2 s).
  std::chrono::milliseconds timeout{1000};
};

/// Spawns the links of node `table->self()` to the peers at `addresses`
/// (their `peer` endpoints, in ownership order; this node's own is not
/// used), connecting through `connector`: the middleman's actor, or the
/// OpenSSL module's for a cluster with TLS. A node dials the peers after it
/// in ownership order, and learns the fronts of those before it from their
/// pings. Idle until it gets this node's front (front_atom). Tells this node's
/// `registry` each peer's registry once connected (peer_atom), and forgets it
/// when the peer goes down. Runs until the actor system stops or it is killed.
links_actor spawn_links(caf::actor_system& sys,
                        std::shared_ptr<peer_table> table,
                        std::vector<model::endpoint> addresses,
                        caf::actor registry, caf::io::middleman_actor connector,
                        link_timing timing = {});

} // namespace bookstore::cluster
