#pragma once

#include <memory>

#include "caf/fwd.hpp"

#include "gateway/context.hpp"
#include "gateway/http/message.hpp"

namespace bookstore::gateway {

/// Serves one request of the API on `self`: matches the route (404, 405),
/// checks the access token where the route needs one (401, 403), runs the
/// route, and logs and counts the answer. `respond` runs exactly once, on
/// `self`, now or from an actor's response handler. `self` may be null for
/// the routes that never talk to an actor (health, metrics, openapi).
void route(caf::event_based_actor* self, const std::shared_ptr<context>& ctx,
           http::request&& req, http::responder respond);

} // namespace bookstore::gateway
