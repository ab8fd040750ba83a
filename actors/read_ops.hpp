#pragma once

// How a read runs, on a reader's connection (reader_actor.hpp) or on the
// store's: inside one snapshot, with storage failures turned into domain
// errors, and for the costly ones within a CPU-time budget.

#include <memory>
#include <utility>

#include "caf/all.hpp"

#include "actors/errors.hpp"
#include "storage/database.hpp"
#include "storage/sqlite.hpp"
#include "storage/transaction.hpp"

namespace bookstore {

/// Thrown by a store operation to reject it with a domain code; a write
/// batch rolls back that operation only.
struct rejection {
  model::error_code code;
};

/// What a read needs: a connection nobody else uses at the same time, and
/// how much CPU time a search or report may take on it.
struct read_state {
  std::shared_ptr<storage::database> db;
  caf::timespan read_budget{0};
};

namespace read_ops {

/// Runs `fn` and answers its value, its rejection, or STORE_UNAVAILABLE
/// for a storage failure.
template <class F> auto answer(F fn) -> caf::result<decltype(fn())> {
  try {
    return fn();
  } catch (const rejection& r) {
    return make_error(r.code);
  } catch (const storage::error&) {
    return make_error(model::error_code::store_unavailable);
  }
}

/// Runs `fn` in one snapshot: it sees everything committed before its first
/// statement and nothing after, nor anything a write batch has not committed.
template <class F>
auto read(read_state& st, F fn) -> caf::result<decltype(fn(*st.db))> {
  return answer([&] {
    storage::read_snapshot snapshot(st.db->conn());
    return fn(*st.db);
  });
}

/// A read that may cost much (a search, a report): stopped with
/// QUERY_TOO_EXPENSIVE once it has used the read budget.
template <class F>
auto bounded_read(read_state& st, F fn) -> caf::result<decltype(fn(*st.db))> {
  auto budget = st.read_budget;
  return read(st, [budget, fn](storage::database& db) {
    storage::read_deadline deadline(db.conn(), budget);
    try {
      return fn(db);
    } catch (const storage::error& e) {
      if (e.kind() == storage::failure_kind::interrupted)
        throw rejection{model::error_code::query_too_expensive};
      throw;
    }
  });
}

/// The handler of the message (Atoms..., Args...) for an actor whose state
/// is a read_state (or derives from one): calls fn(self->state, args...).
/// The argument types come from fn's signature, so a dispatch table names
/// only the atoms.
template <class... Atoms, class Self, class R, class State, class... Args>
auto on_read(Self self, R (*fn)(State&, Args...)) {
  return [self, fn](Atoms..., Args... args) -> R {
    return fn(self->state, std::move(args)...);
  };
}

} // namespace read_ops

} // namespace bookstore
