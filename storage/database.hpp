#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace bookstore::storage {

/// Why a statement failed, as far as callers need to tell apart.
enum class failure_kind {
  unique,      // a UNIQUE constraint (duplicate ISBN, email, genre name)
  check,       // a CHECK constraint (stock below zero, bad quantity)
  foreign_key, // a FOREIGN KEY constraint (unknown user, book, genre)
  unavailable, // cannot write: read-only, I/O error, disk full, cannot open
  busy,        // locked by another connection for longer than the timeout
  interrupted, // ran past the deadline of a read_deadline
  other,
};

/// Every SQLite failure surfaces as this exception; `what()` never reaches a
/// client.
class error : public std::runtime_error {
public:
  error(failure_kind kind, int sqlite_code, const std::string& what)
      : std::runtime_error(what), kind_(kind), sqlite_code_(sqlite_code) {}
  failure_kind kind() const { return kind_; }
  int sqlite_code() const { return sqlite_code_; }

private:
  failure_kind kind_;
  int sqlite_code_;
};

/// Which ids this file hands out to the rows other nodes may name (users,
/// books, orders, reviews, cart items, wishlist items, pre-bookings): node
/// `index` of `count` (model::ownership) takes only ids with
/// (id - 1) % count == index, so that the ids of a cluster's files never
/// collide and an id tells which node holds its row. One node of one (the
/// default) takes every id.
struct id_space {
  std::int64_t count = 1;
  std::int64_t index = 0;
  /// The other ids also grow with time over all nodes
  /// (model::ownership::time_floor), so that newest first by id holds
  /// cluster-wide; a cluster's nodes set it (core.cpp). User ids stay
  /// dense: the account directory holds them in an array; cart item ids
  /// too: nothing lists them across carts.
  bool follow_time = false;
};

struct open_options {
  bool read_only = false; // open without write access (the file must exist)
  id_space ids;
};

/// The tables whose ids are drawn from the id space.
enum class id_table {
  users,
  books,
  orders,
  reviews,
  cart_items,
  wishlist_items,
  prebooks
};

class connection;

/// The SQLite file the bookstore's tables live in, over one connection:
/// opening, configuring and migrating it. The tables are read and written by
/// free functions taking a `database&`, one module per domain
/// (catalog_queries.hpp, cart_queries.hpp, order_queries.hpp, accounts.hpp,
/// queries.hpp, ...), and grouped into transactions by the RAII classes of
/// transaction.hpp. Not thread-safe: one owner at a time (the store actor).
class database {
public:
  /// Opens or creates the file, sets WAL, synchronous=FULL, foreign_keys=ON
  /// and a busy timeout, and migrates the schema to the newest version
  /// (PRAGMA user_version). ":memory:" gives a throwaway store.
  explicit database(const std::string& path, open_options options = {});
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  /// Schema version after migration.
  int schema_version();

  /// Makes every following write fail as on a read-only file (PRAGMA
  /// query_only), or allows writes again: the fault switch for tests.
  void set_query_only(bool on);

  /// Keeps the WAL file from growing without bound under readers that never
  /// all stop at once; the store calls it after each commit. SQLite's own
  /// checkpoint after a commit (PASSIVE, every 1000 pages) copies only the
  /// pages no reader still needs, so overlapping readers can keep any of the
  /// WAL from being reused. Past `limit_bytes` this runs a RESTART
  /// checkpoint instead: it waits (up to `max_wait`, the store's thread
  /// blocked meanwhile) for the readers of older snapshots to finish, which
  /// a read's budget bounds, so that the next commit writes the WAL from its
  /// start; journal_size_limit then truncates the file. Returns true if it
  /// checkpointed and the WAL restarts; false if it was not needed or the
  /// readers did not finish in time (tried again after the next commit).
  bool bound_wal(std::int64_t limit_bytes, std::chrono::milliseconds max_wait);

  /// The WAL file's size now; 0 for an in-memory database.
  std::int64_t wal_bytes();

  /// PRAGMA data_version: a number that changes whenever another connection
  /// (or process) commits to the file, and only then; this connection's own
  /// commits leave it alone. Inside a read snapshot it is the snapshot's.
  std::int64_t data_version();

  /// The id the next row of `table` gets: the smallest of this file's id
  /// space above the largest id in the table. Inside the writing
  /// transaction, so that nothing else takes it meanwhile.
  std::int64_t next_id(id_table table);

  /// The underlying connection, for the query modules (storage/*_queries.hpp)
  /// and transactions over it. Same single-owner rule.
  connection& conn() { return *conn_; }

private:
  // Lets the storage tests inspect the connection (pragmas, statement cache)
  // without widening the public interface.
  friend struct database_test_access;

  std::unique_ptr<connection> conn_;
  id_space ids_;
  std::string wal_path_; // the WAL file's name; empty in memory
};

} // namespace bookstore::storage
