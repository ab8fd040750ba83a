#pragma once

// RAII transactions and savepoints, as SQLiteCpp's Transaction and Savepoint:
// the work sticks only through an explicit commit() (release() for a
// savepoint); otherwise the destructor undoes it, and never throws, so an
// exception anywhere in between leaves nothing half written.

namespace bookstore::storage {

class connection;

/// BEGIN IMMEDIATE on construction; rolls back on destruction unless
/// committed. IMMEDIATE takes the write lock up front, so a transaction never
/// fails half way because another writer got there first.
class transaction {
public:
  explicit transaction(connection& conn);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  /// COMMIT. If it throws, the destructor still rolls back.
  void commit();

private:
  connection& conn_;
  bool committed_ = false;
};

/// SAVEPOINT on construction; on destruction unless released, rolls back to
/// it and pops it, leaving the enclosing transaction as it was before.
/// Savepoints nest (the innermost is undone first). Outside a transaction a
/// savepoint opens one of its own, which release() commits.
class savepoint {
public:
  explicit savepoint(connection& conn);
  ~savepoint();
  savepoint(const savepoint&) = delete;
  savepoint& operator=(const savepoint&) = delete;

  /// RELEASE: the work joins the enclosing transaction.
  void release();

private:
  connection& conn_;
  bool released_ = false;
};

/// A read transaction: BEGIN (deferred) on construction, so the first
/// SELECT fixes one snapshot of the WAL for every statement until the
/// destructor ends it. A read of several statements (a page and its total)
/// then cannot see half of a commit that lands between them.
class read_snapshot {
public:
  explicit read_snapshot(connection& conn);
  ~read_snapshot();
  read_snapshot(const read_snapshot&) = delete;
  read_snapshot& operator=(const read_snapshot&) = delete;

private:
  connection& conn_;
};

} // namespace bookstore::storage
