#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "caf/all.hpp"

#include "cluster/links.hpp"
#include "cluster/peer_table.hpp"
#include "cluster/wire.hpp"
#include "gateway/http/message.hpp"

namespace bookstore::cluster {

/// Serves one forwarded request on `self` as if a client of this node had
/// sent it, and answers through the responder exactly once. `as_user` and
/// `as_admin` are the peer_request's (0: the token is checked here).
using serve_function = std::function<void(
    caf::event_based_actor* self, bookstore::http::request&& request,
    std::int64_t as_user, bool as_admin, bookstore::http::responder respond)>;

/// Spawns the front of this node: the actor it publishes on its peer
/// address, which serves its peers' forwarded requests with `serve`, each
/// on an actor of its own (a route that throws fails its request alone,
/// with 500),
/// answers their pings (and passes the pinging fronts to this node's
/// `links`: hello_atom) and hands out the node's `registry`.
front_actor spawn_front(caf::actor_system& sys,
                        std::shared_ptr<peer_table> table, serve_function serve,
                        caf::actor registry, links_actor links);

/// The HTTP request inside a peer_request, and a response as a
/// peer_response and back. A streamed body cannot cross: the server side
/// of a forward asks for whole bodies (see gateway::route).
bookstore::http::request to_http(peer_request&& request);
peer_request to_wire(const bookstore::http::request& request);
peer_response to_wire(bookstore::http::response&& response);
bookstore::http::response to_http(peer_response&& response);

} // namespace bookstore::cluster
