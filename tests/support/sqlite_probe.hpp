#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

namespace bookstore::testing {

/// An independent read-only look at a database file with the raw SQLite API,
/// so that tests check what is durable, not what the actors believe.
class sqlite_probe {
public:
  explicit sqlite_probe(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr)
        != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
  }
  ~sqlite_probe() { sqlite3_close(db_); }
  sqlite_probe(const sqlite_probe&) = delete;
  sqlite_probe& operator=(const sqlite_probe&) = delete;

  /// The single integer `sql` selects, with `arg` bound to `?1` if given.
  std::int64_t scalar(const char* sql, std::int64_t arg = 0) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
    if (sqlite3_bind_parameter_count(stmt) > 0)
      sqlite3_bind_int64(stmt, 1, arg);
    std::int64_t result = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
      result = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return result;
  }

  std::int64_t stock(std::int64_t book) {
    return scalar("SELECT stock_quantity FROM books WHERE id = ?1", book);
  }
  std::int64_t units_sold(std::int64_t book) {
    return scalar("SELECT COALESCE(SUM(quantity), 0) FROM order_items "
                  "WHERE book_id = ?1",
                  book);
  }
  std::int64_t orders() { return scalar("SELECT COUNT(*) FROM orders"); }
  std::int64_t cart_items() {
    return scalar("SELECT COUNT(*) FROM cart_items");
  }

private:
  sqlite3* db_ = nullptr;
};

} // namespace bookstore::testing
