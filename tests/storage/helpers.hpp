#pragma once

// Shared test helpers: throwaway database files, a peek at the database's
// connection, and small builders.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>

#include <unistd.h>

#include "storage/database.hpp"
#include "storage/queries.hpp"
#include "storage/sqlite.hpp"
#include "storage/transaction.hpp"

namespace bookstore::storage {

/// Befriended by database: the tests read pragmas and the statement cache of
/// the very connection the database uses.
struct database_test_access {
  static connection& conn(database& db) { return *db.conn_; }
};

/// Readable kinds in Catch2's failure messages.
inline std::ostream& operator<<(std::ostream& out, failure_kind kind) {
  switch (kind) {
  case failure_kind::unique:
    return out << "unique";
  case failure_kind::check:
    return out << "check";
  case failure_kind::foreign_key:
    return out << "foreign_key";
  case failure_kind::unavailable:
    return out << "unavailable";
  case failure_kind::busy:
    return out << "busy";
  case failure_kind::interrupted:
    return out << "interrupted";
  case failure_kind::other:
    return out << "other";
  }
  return out << "?";
}

} // namespace bookstore::storage

namespace storage_test {

namespace fs = std::filesystem;
using namespace bookstore;

/// A unique file name in the temp directory; removes the database and its
/// WAL, shared-memory and journal files when done.
class temp_file {
public:
  temp_file() {
    static std::atomic<int> counter{0};
    const auto ticks =
        std::chrono::steady_clock::now().time_since_epoch().count();
    path_ =
        fs::temp_directory_path()
        / ("bookstore-storage-" + std::to_string(::getpid()) + "-"
           + std::to_string(ticks) + "-" + std::to_string(counter++) + ".db");
  }
  ~temp_file() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      fs::remove(path_.string() + suffix, ignored);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  std::string str() const { return path_.string(); }
  const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

inline storage::connection& conn_of(storage::database& db) {
  return storage::database_test_access::conn(db);
}

/// The first column of the first row of a fixed query, as an integer.
inline std::int64_t query_int(storage::connection& conn, const char* sql) {
  auto stmt = conn.prepare(sql);
  stmt.step();
  return stmt.column_int(0);
}

inline std::string query_text(storage::connection& conn, const char* sql) {
  auto stmt = conn.prepare(sql);
  stmt.step();
  return stmt.column_text(0);
}

inline model::book make_book(std::string title, model::cents price,
                             std::int64_t stock = 0) {
  model::book book;
  book.title = std::move(title);
  book.author = "Some Author";
  book.price = price;
  book.stock_quantity = stock;
  return book;
}

/// Runs `fn` and returns the failure_kind of the storage::error it throws;
/// fails the test if it throws nothing.
template <class F> storage::failure_kind kind_of(F&& fn) {
  try {
    fn();
  } catch (const storage::error& e) {
    return e.kind();
  }
  throw std::logic_error("expected a storage::error");
}

} // namespace storage_test
