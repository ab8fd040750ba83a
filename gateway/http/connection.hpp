#pragma once

// One broker per TCP connection: parses requests, hands them to the handler
// and writes the answers back in request order. Internal to the server. Its
// lifecycle (reading, answering, failing, lingering, closed) is drawn in
// connection_phase.hpp; the CAF 0.17 behaviour it works around is listed in
// README.md beside this file.

#include <memory>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/io/fwd.hpp"

#include "gateway/http/idle_list.hpp"
#include "gateway/http/message.hpp"
#include "gateway/http/server.hpp"

namespace bookstore::http::detail {

/// What every connection of one server shares.
struct connection_params {
  server_config config;
  handler handle;
  // The connections waiting for a request (see idle_list.hpp).
  std::shared_ptr<idle_list<caf::actor>> idle =
      std::make_shared<idle_list<caf::actor>>();
};

/// The behavior of a connection broker; spawned by the acceptor with
/// `self->fork(connection_behavior, hdl, params)`.
caf::behavior connection_behavior(caf::io::broker* self,
                                  caf::io::connection_handle hdl,
                                  std::shared_ptr<const connection_params> p);

} // namespace bookstore::http::detail
