#pragma once

#include <utility>

#include "caf/all.hpp"
#include "caf/io/broker.hpp"

namespace bookstore::gateway {

using offload_atom = caf::atom_constant<caf::atom("offload")>;

/// Runs the blocking `work` (password hashing) on a scheduler worker
/// instead of the I/O thread all connections share, then calls `then` with
/// its result on the broker. One short-lived actor per job, so jobs run in
/// parallel on all cores.
template <class T, class Work, class Then>
void offload(caf::io::broker* self, Work work, Then then) {
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
