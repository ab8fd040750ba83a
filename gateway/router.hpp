#pragma once

#include <memory>

#include "gateway/context.hpp"
#include "gateway/http/message.hpp"

namespace bookstore::gateway {

/// The HTTP handler of the whole API: matches the route (404, 405),
/// checks the access token where the route needs one (401, 403), runs the
/// route, and logs and counts every answer.
http::handler make_handler(std::shared_ptr<context> ctx);

} // namespace bookstore::gateway
