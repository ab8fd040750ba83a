#include "actors/store_batch.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

#include "storage/transaction.hpp"

namespace bookstore::store_batch {

using model::error_code;
using store_ops::self_ptr;

namespace {

void schedule_flush(self_ptr self) {
  if (!self->state.flush_scheduled) {
    self->state.flush_scheduled = true;
    // Lands behind everything already in the mailbox: whatever arrives while
    // this transaction is being written joins the next one.
    self->send(self, flush_atom::value);
  }
}

/// A storage failure that breaks the whole transaction rather than one
/// operation of it.
bool breaks_transaction(const storage::error& e) {
  return e.kind() == storage::failure_kind::unavailable
         || e.kind() == storage::failure_kind::busy;
}

/// What running a batch inside one transaction gave, write by write.
struct batch_result {
  std::vector<std::function<void()>> deliveries;
  std::vector<error_code> rejected;
  std::uint64_t orders = 0;
  bool any_rejected = false;
};

/// Runs one write; with `isolate`, inside a savepoint of its own, so that a
/// rejection undoes it alone. Returns its rejection, or none.
error_code run_write(storage::database& db, pending_write& w, bool isolate,
                     std::function<void()>& delivery) {
  std::optional<storage::savepoint> sp;
  if (isolate)
    sp.emplace(db.conn());
  try {
    delivery = w.run(db);
    if (sp)
      sp->release();
    return error_code::none;
  } catch (const rejection& rej) {
    return rej.code;
  } catch (const storage::error& e) {
    if (breaks_transaction(e))
      throw;
    return error_code::internal_error;
  }
}

/// Runs every write of `batch` in the open transaction. With `isolate`, each
/// write has its own savepoint; without, the first rejection stops the run
/// (the caller rolls back and isolates). Storage failures that break the
/// transaction propagate.
batch_result run_batch(storage::database& db, std::vector<pending_write>& batch,
                       bool isolate) {
  batch_result r;
  r.deliveries.resize(batch.size());
  r.rejected.assign(batch.size(), error_code::none);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    r.rejected[i] = run_write(db, batch[i], isolate, r.deliveries[i]);
    if (r.rejected[i] == error_code::none) {
      r.orders += batch[i].is_order ? 1 : 0;
      continue;
    }
    r.any_rejected = true;
    if (!isolate)
      return r;
  }
  return r;
}

/// Most batches have no rejected write and run without savepoints; a batch
/// with one is rolled back and run again with a savepoint per write, so a
/// rejected write does not undo the others. Throws storage::error when the
/// transaction fails as a whole; then nothing of it is written.
batch_result write_batch(storage::database& db,
                         std::vector<pending_write>& batch) {
  {
    storage::transaction tx(db.conn());
    auto r = run_batch(db, batch, false);
    if (!r.any_rejected) {
      tx.commit();
      return r;
    }
  } // rolled back: run again, isolated
  storage::transaction tx(db.conn());
  auto r = run_batch(db, batch, true);
  tx.commit();
  return r;
}

/// Past this size the WAL is restarted (database::bound_wal): sixteen times
/// what SQLite's automatic checkpoint lets it grow to with no reader about.
constexpr std::int64_t wal_limit_bytes = 64 << 20;
/// How long a restart may wait for older reads; a read's budget is 100 ms of
/// CPU, so a longer wait means a loaded machine, and the next commit tries
/// again.
constexpr std::chrono::milliseconds wal_restart_wait{250};

void count_commit(core_metrics& metrics, std::size_t writes,
                  std::uint64_t orders) {
  metrics.commits.fetch_add(1, std::memory_order_relaxed);
  metrics.writes_committed.fetch_add(writes, std::memory_order_relaxed);
  metrics.orders_committed.fetch_add(orders, std::memory_order_relaxed);
}

} // namespace

void commit_batch(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  st.holding = false;
  auto batch = std::move(st.queue);
  st.queue.clear();
  if (batch.empty())
    return;
  st.last_batch = batch.size();
  batch_result r;
  try {
    r = write_batch(*st.db, batch);
  } catch (const storage::error&) {
    // Nothing of this batch is written, and nothing of it is acknowledged.
    st.metrics->failed_batches.fetch_add(1, std::memory_order_relaxed);
    for (auto& w : batch)
      w.fail(make_error(error_code::store_unavailable));
    return;
  }
  count_commit(*st.metrics, batch.size(), r.orders);
  // Readers beside the store: the WAL must not grow without bound.
  st.db->bound_wal(wal_limit_bytes, wal_restart_wait);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (r.rejected[i] != error_code::none)
      batch[i].fail(make_error(r.rejected[i]));
    else
      r.deliveries[i]();
  }
}

void on_flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (st.queue.empty())
    return;
  // Under load (the last batch was larger than what is queued now) wait up
  // to the window for the others: one fsync for all of them.
  auto waited = self->clock().now() - st.first_queued;
  if (st.queue.size() < st.last_batch && waited < st.window) {
    st.holding = true;
    st.flush_scheduled = true;
    self->delayed_send(self, st.window - waited, flush_atom::value);
    return;
  }
  commit_batch(self);
}

caf::result<bool> set_fault(self_ptr self, bool on) {
  return store_ops::read(self, [=](storage::database& db) {
    db.set_query_only(on);
    return on;
  });
}

} // namespace bookstore::store_batch

namespace bookstore {

void store_ops::submit_write(self_ptr self, pending_write w) {
  auto& st = self->state;
  st.queue.push_back(std::move(w));
  if (st.queue.size() == 1)
    st.first_queued = self->clock().now();
  if (st.holding && st.queue.size() >= st.last_batch)
    store_batch::commit_batch(self); // everybody expected is here
  else
    store_batch::schedule_flush(self);
}

} // namespace bookstore
