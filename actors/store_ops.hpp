#pragma once

// The store actor's building blocks, shared by its handlers in every domain
// file (the store_*.cpp beside store_actor.cpp): queue a write for the
// next group commit, run a read at once, turn a storage failure into a
// domain error. (How a read runs: read_ops.hpp.)

#include <utility>

#include "actors/errors.hpp"
#include "actors/read_ops.hpp"
#include "actors/store_actor.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::store_ops {

using self_ptr = store_actor::stateful_pointer<store_state>;

/// Queues `w` for the next transaction (see store_batch.cpp).
void submit_write(self_ptr self, pending_write w);

/// Runs `fn` and turns a storage failure of `kind` into the domain `code`.
template <class F>
auto translating(storage::failure_kind kind, model::error_code code, F fn) {
  return [=](storage::database& db) {
    try {
      return fn(db);
    } catch (const storage::error& e) {
      if (e.kind() == kind)
        throw rejection{code};
      throw;
    }
  };
}

/// Queues a write whose result of type T is delivered after its commit.
template <class T, class F>
caf::typed_response_promise<T> enqueue(self_ptr self, F fn,
                                       bool is_order = false) {
  auto rp = self->make_response_promise<T>();
  pending_write w;
  w.run = [rp, fn](storage::database& db) mutable -> std::function<void()> {
    T value = fn(db);
    return [rp, value = std::move(value)]() mutable {
      rp.deliver(std::move(value));
    };
  };
  w.fail = [rp](const caf::error& err) mutable { rp.deliver(err); };
  w.is_order = is_order;
  submit_write(self, std::move(w));
  return rp;
}

/// Like enqueue, and `after` sees the value once the transaction has
/// committed, just before the answer goes out (e.g. to update the account
/// directory, so nobody hears of a change before it is visible).
template <class T, class F, class After>
caf::typed_response_promise<T> enqueue_then(self_ptr self, F fn, After after) {
  auto rp = self->make_response_promise<T>();
  pending_write w;
  w.run = [rp, fn,
           after](storage::database& db) mutable -> std::function<void()> {
    T value = fn(db);
    return [rp, after, value = std::move(value)]() mutable {
      after(value);
      rp.deliver(std::move(value));
    };
  };
  w.fail = [rp](const caf::error& err) mutable { rp.deliver(err); };
  submit_write(self, std::move(w));
  return rp;
}

/// Runs a read at once on the write connection, between two batches: it
/// sees everything committed and nothing queued. No snapshot is needed: the
/// store's thread makes every commit on this connection, so none can land
/// between the statements of its read.
template <class F>
auto read(self_ptr self, F fn) -> caf::result<decltype(fn(*self->state.db))> {
  return read_ops::answer([&] { return fn(*self->state.db); });
}

} // namespace bookstore::store_ops
