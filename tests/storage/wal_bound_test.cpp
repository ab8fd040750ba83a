// The WAL under a reader that keeps an old snapshot: SQLite's automatic
// checkpoint cannot reuse the log while the reader needs it, so the file
// grows; database::bound_wal restarts it once that reader is done.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>
#include <string>

#include "storage/database.hpp"
#include "storage/sqlite.hpp"
#include "tests/support/temp_db.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using namespace std::chrono_literals;

namespace {

/// Writes `count` settings rows of 4 KiB each, one transaction each.
void write_pages(storage::database& db, int from, int count) {
  const std::string blob(4096, 'x');
  for (int i = from; i < from + count; ++i) {
    auto stmt =
        db.conn().prepare("INSERT INTO settings(key, value) VALUES (?1, ?2)");
    stmt.bind(1, "k" + std::to_string(i));
    stmt.bind(2, blob);
    stmt.step();
  }
}

/// A raw reader connection that holds a read transaction open.
struct old_snapshot {
  explicit old_snapshot(const std::string& path) {
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_exec(db, "BEGIN; SELECT COUNT(*) FROM settings;", nullptr, nullptr,
                 nullptr);
  }
  void end() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
  ~old_snapshot() { sqlite3_close(db); }
  sqlite3* db = nullptr;
};

} // namespace

TEST_CASE("the WAL is restarted and truncated past its limit once the "
          "readers of older snapshots are done",
          "[storage][wal]") {
  temp_db file;
  storage::database db{file.path()};
  write_pages(db, 0, 10);
  old_snapshot reader{file.path()};
  // 3000 pages of 4 KiB: past the automatic checkpoint (1000 pages), which
  // cannot restart the log under the open snapshot.
  write_pages(db, 10, 3000);
  auto grown = db.wal_bytes();
  CHECK(grown > 12 * 1024 * 1024);
  // Under the limit: nothing to do.
  CHECK_FALSE(db.bound_wal(grown + 1, 10ms));
  // Past it, but the old snapshot is still read: the restart gives up after
  // its wait, and the WAL stays whole.
  CHECK_FALSE(db.bound_wal(1 << 20, 10ms));
  reader.end();
  REQUIRE(db.bound_wal(1 << 20, 10ms));
  // The next commit writes from the WAL's start and truncates the file to
  // journal_size_limit (4 MiB).
  write_pages(db, 5000, 1);
  CHECK(db.wal_bytes() <= 4 * 1024 * 1024);
  CHECK(db.wal_bytes() < grown);
}
