#pragma once

#include <memory>
#include <optional>
#include <utility>

#include "caf/all.hpp"

#include "actors/errors.hpp"
#include "gateway/auth/hash_pool.hpp"

namespace bookstore::gateway {

using offload_atom = caf::atom_constant<caf::atom("offload")>;
using offloaded_atom = caf::atom_constant<caf::atom("offloaded")>;

/// Runs the blocking `work` (password hashing) on `pool`, then calls
/// `then(T)` on `self`, the connection's route worker, which stays free for
/// the connection's other requests meanwhile. When the pool's queue is full,
/// or `work` throws (out of memory), `failed(error)` runs on `self` instead
/// with model::error_code::auth_busy: the client may retry later.
///
/// A small actor per job receives the pool's answer: pool threads are not
/// actors, and anon_send is how a foreign thread safely reaches one.
template <class T, class Work, class Then, class Failed>
void offload(caf::event_based_actor* self,
             std::shared_ptr<auth::hash_pool> pool, Work work, Then then,
             Failed failed) {
  auto job = self->spawn([pool, work](caf::event_based_actor* job) {
    return caf::behavior{[=](offload_atom) -> caf::result<T> {
      auto promise = job->make_response_promise<T>();
      auto me = caf::actor_cast<caf::actor>(job);
      bool queued =
          pool->template try_submit<T>(work, [me](std::optional<T> result) {
            if (result)
              caf::anon_send(me, offloaded_atom::value, std::move(*result));
            else
              caf::anon_send(me, offloaded_atom::value,
                             make_error(model::error_code::auth_busy));
          });
      if (!queued) {
        // Answer before quitting: a reply returned after quit() can be
        // lost to the requester as a vanished receiver.
        promise.deliver(make_error(model::error_code::auth_busy));
        job->quit();
        return promise;
      }
      job->become(
          [=](offloaded_atom, T& result) mutable {
            promise.deliver(std::move(result));
            job->quit();
          },
          [=](offloaded_atom, caf::error& err) mutable {
            promise.deliver(std::move(err));
            job->quit();
          });
      return promise;
    }};
  });
  self->request(job, caf::infinite, offload_atom::value)
      .then([=](T& result) mutable { then(std::move(result)); },
            [=](caf::error& err) mutable { failed(err); });
}

} // namespace bookstore::gateway
