#pragma once

#include <chrono>

#include "model/cluster.hpp"

namespace bookstore::cluster {

/// True if a TCP connection to `address` opens within `timeout` (it is
/// closed at once). Blocks the calling thread, so the links run it on a
/// thread of its own before they ask CAF's middleman to connect: the
/// middleman connects with a blocking connect() on its one thread, where a
/// peer machine that drops packets would hold every other peer's
/// connection back for minutes (the kernel's SYN retries).
bool tcp_answers(const model::endpoint& address,
                 std::chrono::milliseconds timeout);

} // namespace bookstore::cluster
