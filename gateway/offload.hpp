#pragma once

#include <utility>

#include "caf/all.hpp"

namespace bookstore::gateway {

using offload_atom = caf::atom_constant<caf::atom("offload")>;

/// Runs the blocking `work` (password hashing) in a short-lived actor of its
/// own, then calls `then` with its result on `self`, the connection's route
/// worker, which stays free for the connection's other requests meanwhile.
/// One actor per job, so jobs run in parallel on all cores.
template <class T, class Work, class Then>
void offload(caf::event_based_actor* self, Work work, Then then) {
  auto worker = self->spawn([work](caf::event_based_actor* job) {
    return caf::behavior{[=](offload_atom) {
      job->quit();
      return work();
    }};
  });
  self->request(worker, caf::infinite, offload_atom::value)
      .then([=](T& result) mutable { then(std::move(result)); });
}

} // namespace bookstore::gateway
