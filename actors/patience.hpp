#pragma once

#include <chrono>

#include "caf/duration.hpp"

namespace bookstore {

/// How long an answer of another node's actor (a cluster) is awaited. An
/// actor of this node always answers, or its request bounces; an answer on
/// its way from another node dies with the link, and CAF 0.17 tells the
/// requester nothing then, nor when that node merely stopped answering.
/// API.md wants a request that needs a dead node answered within 2 s.
constexpr std::chrono::milliseconds remote_answer_timeout{1500};

/// The timeout of a request from `self` to `to`: none (caf::infinite, the
/// cheapest: no timer) for this node's actors, remote_answer_timeout for
/// another node's. A request that runs out fails with request_timeout,
/// which domain_code reads as NODE_UNAVAILABLE.
template <class Self, class Handle>
caf::duration patience(const Self* self, const Handle& to) {
  if (to && to->node() != self->node())
    return caf::duration{remote_answer_timeout};
  return caf::infinite;
}

} // namespace bookstore
