#pragma once

// Messages between the server's own brokers. Local atoms, not in the
// project's type-id block: nothing outside gateway/http sends them. The
// "http_" prefix keeps them apart from the actors' atoms.

#include "caf/atom.hpp"

namespace bookstore::http::detail {

/// To the acceptor: the bound port, or the error that prevented binding.
using port_atom = caf::atom_constant<caf::atom("http_port")>;

/// To the acceptor (with the grace period in ms) and from it to each
/// connection: stop gracefully.
using stop_atom = caf::atom_constant<caf::atom("http_stop")>;

/// To the acceptor: the grace period is over, kill what is left.
using kill_atom = caf::atom_constant<caf::atom("http_kill")>;

/// From the acceptor to an idle connection at the connection limit: close
/// if still idle, a newcomer takes the slot.
using evict_atom = caf::atom_constant<caf::atom("http_evict")>;

/// From a connection to itself: start reading again (see request_read()).
using resume_atom = caf::atom_constant<caf::atom("http_resum")>;

/// A connection's timer, tagged with its generation.
using timeout_atom = caf::atom_constant<caf::atom("http_tmo")>;

} // namespace bookstore::http::detail
