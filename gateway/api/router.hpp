#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "caf/fwd.hpp"

#include "gateway/api/context.hpp"
#include "gateway/http/message.hpp"

namespace bookstore::gateway {

/// Serves one request of the API on `self`: matches the route (404, 405),
/// checks the access token where the route needs one (401, 403), runs the
/// route, and logs and counts the answer. `respond` runs exactly once, on
/// `self`, now or from an actor's response handler. `self` may be null for
/// the routes that never talk to an actor (health, metrics, openapi).
void route(caf::event_based_actor* self, const std::shared_ptr<context>& ctx,
           http::request&& req, http::responder respond);

/// Serves a request that a peer node passed on (cluster::front): as
/// route(), but a nonzero `as_user` (with `as_admin`) is the token's
/// account, checked by its owner, and the answer is always whole (one
/// message back to the peer).
void route_forwarded(caf::event_based_actor* self,
                     const std::shared_ptr<context>& ctx, http::request&& req,
                     model::user_id as_user, bool as_admin,
                     http::responder respond);

/// The body limit of a request by method and decoded path, for the HTTP
/// server (http::server_config::body_limit): 5 MiB plus multipart framing
/// for POST /uploads/images, `default_limit` for every other request.
std::size_t body_limit(std::string_view method, std::string_view path,
                       std::size_t default_limit = std::size_t{1} << 20);

} // namespace bookstore::gateway
