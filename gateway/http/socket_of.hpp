#pragma once

// The operating system's socket behind a CAF connection handle, so that a
// connection can write to it directly (connection.cpp's send_bytes) and
// duplicate it on a half-close (adopt_copy).
//
// CAF 0.17.6's default multiplexer numbers a connection handle by its socket
// descriptor. That is not a promise of CAF's API, so socket_of checks the
// descriptor's peer port against what CAF reports for the handle, and
// tests/gateway/http/socket_of_test.cpp fails if the numbering ever changes
// (see README.md in this folder).

#include "caf/io/connection_handle.hpp"
#include "caf/io/fwd.hpp"

namespace bookstore::http::detail {

/// The socket of `hdl`, one of `self`'s connections, or -1 when the handle's
/// number does not name a socket whose peer port is the one CAF knows for
/// `hdl`. Runs on the broker's thread (it asks `self` for the port).
int socket_of(caf::io::broker* self, caf::io::connection_handle hdl);

} // namespace bookstore::http::detail
