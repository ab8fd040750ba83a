#pragma once

// Fits the connection limit to the process's open-file limit.

#include <cstddef>

namespace bookstore::http {

/// Descriptors kept free for everything but connections: the database and
/// its journal, CAF's pipes and epoll, stdio.
constexpr std::size_t reserved_files = 64;

/// When accept() fails with EMFILE, CAF 0.17 neither reports it nor backs
/// off: the I/O thread would spin on the listening socket. So this raises
/// the soft RLIMIT_NOFILE to fit `max_connections` plus `reserved_files`
/// (as far as the hard limit allows) and returns the connection limit that
/// fits: `max_connections`, or less when the hard limit is lower.
std::size_t fit_open_files(std::size_t max_connections);

} // namespace bookstore::http
