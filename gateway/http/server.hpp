#pragma once

// The HTTP/1.1 server: an acceptor broker bound to one address that forks one
// broker per connection. Include caf/expected.hpp and caf/actor.hpp to use
// the results; this header stays light on purpose.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "caf/fwd.hpp"

#include "gateway/http/message.hpp"

namespace bookstore::http {

struct server_config {
  std::string host = "127.0.0.1";     // the only address listened on
  std::uint16_t port = 8080;          // 0 picks a free port
  std::size_t max_body = 1 << 20;     // larger bodies get 413
  std::size_t max_header = 64 * 1024; // larger header sections get 431
  // The body limit of one request by method and decoded path, instead of
  // `max_body` (parser_limits::body_limit); unset: `max_body` everywhere.
  std::function<std::size_t(std::string_view method, std::string_view path)>
      body_limit = nullptr;
  // A keep-alive connection with nothing in flight is closed after this.
  std::chrono::milliseconds idle_timeout{60000};
  // A request's header section must be complete this long after its first
  // byte (and a new connection must start its first request within it).
  std::chrono::milliseconds header_timeout{10000};
  // Connections beyond this are answered 503 and closed at once. The soft
  // open-file limit is raised to fit (see open_files.hpp); if the hard limit
  // is lower, the server takes fewer connections.
  std::size_t max_connections = 1024;
};

/// Opens a listening socket on `cfg.host:cfg.port` and serves every request
/// with `h`, which runs on the connection's broker (the middleman's I/O
/// thread) and must never block. Blocks the caller until the socket is
/// bound, then returns the actual port and stores the server actor in
/// `server_out`. The actor system must have loaded `caf::io::middleman`.
caf::expected<std::uint16_t> start_server(caf::actor_system& sys,
                                          const server_config& cfg, handler h,
                                          caf::actor& server_out);

/// Graceful stop, returns at once: closes the listening socket, lets every
/// connection answer the requests it already handed to the handler (the last
/// answer says "Connection: close"), closes idle connections, and terminates
/// the server actor when the last connection is gone; monitor `server` to
/// learn when. Connections still busy after `grace` are killed.
void stop_server(const caf::actor& server,
                 std::chrono::milliseconds grace = std::chrono::seconds{30});

/// `stop_server`, then blocks until the server actor has terminated (at most
/// `grace` plus a second). For main() on SIGTERM; never call it from an actor.
void stop_server_and_wait(
    caf::actor_system& sys, const caf::actor& server,
    std::chrono::milliseconds grace = std::chrono::seconds{30});

} // namespace bookstore::http
