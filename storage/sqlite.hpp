#pragma once

// A thin RAII layer over the sqlite3 C API: one class per resource, every
// failure thrown as storage::error. Values only ever reach SQL as bound
// parameters; the SQL text itself is always a fixed string.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "storage/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace bookstore::storage {

/// Maps an extended SQLite result code to what callers need to tell apart.
failure_kind classify(int extended_code);

/// Throws the error the connection reports for `code`, prefixed by `context`.
[[noreturn]] void throw_error(sqlite3* db, int code, std::string_view context);

enum class step_result { row, done };

/// One prepared statement. Columns and parameters are indexed as SQLite does:
/// parameters from 1, columns from 0.
class statement {
public:
  statement(sqlite3* db, std::string_view sql, bool persistent = false);
  ~statement();
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::string_view value);
  statement& bind(int index, std::nullopt_t);
  template <class T> statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }

  /// Runs to the next row, or to the end. Throws on failure.
  step_result step();

  /// Steps until done, for statements whose rows nobody reads.
  void run();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const; // NULL reads as ""
  std::optional<std::int64_t> column_optional_int(int column) const;
  std::optional<std::string> column_optional_text(int column) const;
  /// The value as SQLite typed it: NULL, INTEGER, REAL, or TEXT (a BLOB
  /// reads as text).
  std::variant<std::monostate, std::int64_t, double, std::string>
  column_value(int column) const;

  /// Rewinds and clears every binding, so no value leaks into the next use.
  void reset();

  /// The SQL text as SQLite stores it; lives as long as the statement.
  std::string_view sql() const;

private:
  sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a statement when the scope ends, so a statement stopped on a row
/// does not keep a read transaction (and the WAL) pinned.
class reset_on_exit {
public:
  explicit reset_on_exit(statement& stmt) : stmt_(stmt) {}
  ~reset_on_exit() { stmt_.reset(); }
  reset_on_exit(const reset_on_exit&) = delete;
  reset_on_exit& operator=(const reset_on_exit&) = delete;

private:
  statement& stmt_;
};

/// One open database handle. Not thread-safe (opened with NOMUTEX): a single
/// owner uses it at a time.
class connection {
public:
  /// Opens `path` with sqlite3_open_v2 `flags` (URI names are accepted).
  connection(const std::string& path, int flags);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Runs fixed SQL (possibly several statements). Never pass values here.
  void exec(const char* sql);

  /// A new statement the caller owns.
  statement prepare(std::string_view sql);

  /// A statement prepared once per connection and reused: returned reset and
  /// with its bindings cleared. Valid until the connection closes.
  statement& cached(const char* sql);
  std::size_t cached_count() const { return cache_.size(); }

  void busy_timeout(int milliseconds);
  std::int64_t last_insert_rowid() const;
  int changes() const;          // rows the last write changed
  bool in_transaction() const;  // false in autocommit mode
  std::string filename() const; // "" for an in-memory database
  sqlite3* handle() const { return db_; }

private:
  sqlite3* db_ = nullptr;
  struct cache_entry {
    std::string sql;
    statement stmt;
  };
  // Keyed by a view of the entry's own copy of the SQL, so the key lives
  // exactly as long as the statement it names and lookups never allocate.
  std::unordered_map<std::string_view, std::unique_ptr<cache_entry>> cache_;
};

/// While it lives, every statement of `conn` stops once the calling thread
/// has spent `cpu_budget` of CPU time since the construction, and its
/// step() throws failure_kind::interrupted. Bounds what one read may cost
/// the connection's single owner.
class read_deadline {
public:
  read_deadline(connection& conn, std::chrono::nanoseconds cpu_budget);
  ~read_deadline();
  read_deadline(const read_deadline&) = delete;
  read_deadline& operator=(const read_deadline&) = delete;

private:
  connection& conn_;
  std::chrono::nanoseconds deadline_; // of the thread's CPU time
};

} // namespace bookstore::storage
