#pragma once

#include <memory>

#include "gateway/api/context.hpp"
#include "gateway/http/message.hpp"

namespace bookstore::gateway {

/// The HTTP handler of the whole API (router.hpp). CAF 0.17 runs every
/// connection broker on the one I/O thread, which made that thread the
/// bottleneck under load: it ran the routing, the JSON, the token checks and
/// every actor reply of every request. So the handler only hands each request
/// to its connection's route worker, a scheduled actor that serves it on the
/// scheduler's threads, and gets back one message with the answer.
http::handler make_handler(std::shared_ptr<context> ctx);

} // namespace bookstore::gateway
