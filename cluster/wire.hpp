#pragma once

// What the nodes of a cluster send each other (API.md, "Cluster"). These are
// the only messages that leave a process, so unlike the others they are
// serialized in full and announced to CAF (announce_peer_types).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/all.hpp"

namespace bookstore::cluster {

using forward_atom = caf::atom_constant<caf::atom("forward")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using registry_atom = caf::atom_constant<caf::atom("registry")>;
using hello_atom = caf::atom_constant<caf::atom("hello")>;

/// An HTTP request one node passes to the node that holds its data, as the
/// client sent it.
struct peer_request {
  std::uint32_t from = 0; // the sender's index (the peer link is trusted)
  std::string method;
  std::string path;
  std::string raw_path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool http11 = true;
  /// Nonzero when the sender is the owner of the token's account and has
  /// checked the token and the account (active, admin): the user it found.
  /// The receiver then trusts it instead of checking again, which it could
  /// not do: accounts live on their owner only.
  std::int64_t as_user = 0;
  bool as_admin = false;
};

/// The answer to a peer_request, as the client will get it.
struct peer_response {
  std::int32_t status = 500;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, peer_request& x) {
  return f(caf::meta::type_name("peer_request"), x.from, x.method, x.path,
           x.raw_path, x.query, x.headers, x.body, x.http11, x.as_user,
           x.as_admin);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, peer_response& x) {
  return f(caf::meta::type_name("peer_response"), x.status, x.content_type,
           x.headers, x.body);
}

/// A node's front: the one actor it publishes on its peer address.
using front_actor = caf::typed_actor<
    // Serves a request of another node's client here.
    caf::replies_to<forward_atom, peer_request>::with<peer_response>,
    // Are you there? From node `from`, whose front is the handle (so that
    // a node that does not dial its peer learns its front from the ping).
    // Answers with the node's name.
    caf::replies_to<ping_atom, std::uint32_t, caf::actor>::with<std::string>,
    // The node's registry (actors/registry_actor.hpp), through which the
    // others reach its books' actors and ask about its transfers.
    caf::replies_to<registry_atom>::with<caf::actor>>;

/// Tells CAF how to serialize the types above and those of the actors'
/// messages that cross between nodes (a book actor's, a registry's); before
/// the actor system starts, on every node.
void announce_peer_types(caf::actor_system_config& cfg);

} // namespace bookstore::cluster
