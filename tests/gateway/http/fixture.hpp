#pragma once

// A real server in its own actor system on 127.0.0.1, port 0, with a test
// handler. The header stays free of CAF so the test files compile fast.
//
// Routes of the test handler:
//   /echo         200 at once, body "<METHOD> <path>?<query>|<body>"
//   /delay/<ms>   200 after <ms> via a helper actor, body "delayed <ms>"
//   /throw        the handler throws
//   /throw-later  the handler's `.then` continuation throws
//   /close        200 at once with "Connection: close"
//   /stream/<n>/<size>       200 with a body streamed in n pieces of <size>
//                            bytes, piece i all letter 'a' + i % 26; each
//                            piece after the first comes from an actor
//   /stream-fail/<n>/<size>  the same, but the last piece fails
//   /stream-pulled           how many pieces the server asked streams for
//   anything else 404

#include <chrono>
#include <cstdint>
#include <memory>

#include "gateway/http/server.hpp"

namespace bookstore::http::testing {

/// Short timeouts so the timeout tests run in well under a second.
server_config fast_config();

class test_server {
public:
  explicit test_server(server_config cfg = fast_config());
  ~test_server(); // stops (grace 2 s) and waits
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  std::uint16_t port() const { return port_; }

  /// Graceful stop; returns at once.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds{5});

  /// True once the server actor has terminated (every connection is done).
  bool wait_stopped(std::chrono::milliseconds within);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::uint16_t port_ = 0;
};

} // namespace bookstore::http::testing
