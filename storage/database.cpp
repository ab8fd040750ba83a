// The database's lifecycle: open, configure, migrate. The tables are read and
// written by the free functions of the *_queries.cpp files.

#include "storage/database.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "model/cluster.hpp"
#include "storage/casefold.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

// Long enough to ride out another process's checkpoint or write; short
// enough that a stuck lock surfaces as `busy` instead of a hang.
constexpr int busy_timeout_ms = 5000;

void enable_wal(connection& conn) {
  // WAL lets readers run beside the single writer; the pragma answers the
  // mode actually in effect, which is not WAL if the switch was refused.
  auto stmt = conn.prepare("PRAGMA journal_mode = WAL");
  if (stmt.step() != step_result::row || stmt.column_text(0) != "wal")
    throw error(failure_kind::other, 0, "cannot switch to WAL journal mode");
}

} // namespace

database::database(const std::string& path, open_options options)
    : ids_(options.ids) {
  if (ids_.count < 1 || ids_.index < 0 || ids_.index >= ids_.count)
    throw error(failure_kind::other, 0, "invalid id space");
  const int access = options.read_only
                         ? SQLITE_OPEN_READONLY
                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  // NOMUTEX: a database has one owner at a time, so SQLite's own locking
  // would only cost time.
  conn_ = std::make_unique<connection>(path, access | SQLITE_OPEN_NOMUTEX);
  conn_->busy_timeout(busy_timeout_ms);
  // Both are per connection, not stored in the file: set on every open.
  conn_->exec("PRAGMA foreign_keys = ON");
  conn_->exec("PRAGMA synchronous = FULL"); // a commit survives power loss
  register_casefold(conn_->handle());
  if (options.read_only) {
    require_latest_schema(*conn_);
    return;
  }
  // An in-memory database has no file name and no use for a WAL.
  if (!conn_->filename().empty()) {
    enable_wal(*conn_);
    wal_path_ = conn_->filename() + "-wal";
    // When the WAL restarts, its file shrinks back to the size of one
    // automatic checkpoint's worth of pages (see bound_wal).
    conn_->exec("PRAGMA journal_size_limit = 4194304");
  }
  migrate(*conn_);
}

database::~database() = default;

std::int64_t database::next_id(id_table table) {
  // AUTOINCREMENT tables: their sequence, so that the id of a row gone (a
  // removed cart or wishlist item) is not handed out again.
  auto sequence_of = [&](std::string_view name) -> statement& {
    return conn_
        ->cached("SELECT COALESCE((SELECT seq FROM sqlite_sequence"
                 " WHERE name = ?), 0)")
        .bind(1, name);
  };
  auto& stmt = [&]() -> statement& {
    switch (table) {
    case id_table::users:
      return conn_->cached("SELECT COALESCE(MAX(id), 0) FROM users");
    case id_table::books:
      return conn_->cached("SELECT COALESCE(MAX(id), 0) FROM books");
    case id_table::orders:
      return conn_->cached("SELECT COALESCE(MAX(id), 0) FROM orders");
    case id_table::reviews:
      return conn_->cached("SELECT COALESCE(MAX(id), 0) FROM reviews");
    case id_table::cart_items:
      return sequence_of("cart_items");
    case id_table::wishlist_items:
      return sequence_of("wishlist_items");
    case id_table::prebooks:
      break;
    }
    return sequence_of("prebooks");
  }();
  reset_on_exit done(stmt);
  stmt.step();
  model::ownership owners{static_cast<std::size_t>(ids_.count)};
  // Not users': the account directory keeps them in an array by id
  // (actors/account_directory.hpp), and their listing is by created_at.
  // Not cart items': a cart lists its own only, in the order it drew them.
  auto now_ms = !ids_.follow_time || table == id_table::users
                        || table == id_table::cart_items
                    ? 0
                    : std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return owners.next_id(static_cast<std::size_t>(ids_.index),
                        stmt.column_int(0), now_ms);
}

int database::schema_version() {
  return storage::schema_version(*conn_);
}

std::int64_t database::wal_bytes() {
  // Asked after every commit: the name is kept from the open, not asked of
  // SQLite each time.
  if (wal_path_.empty())
    return 0;
  std::error_code ec;
  auto size = std::filesystem::file_size(wal_path_, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

std::int64_t database::data_version() {
  auto& stmt = conn_->cached("PRAGMA data_version");
  reset_on_exit done(stmt);
  stmt.step();
  return stmt.column_int(0);
}

bool database::bound_wal(std::int64_t limit_bytes,
                         std::chrono::milliseconds max_wait) {
  if (wal_bytes() <= limit_bytes)
    return false;
  conn_->busy_timeout(static_cast<int>(max_wait.count()));
  // One row: busy (1 if the readers did not finish in time), WAL frames,
  // frames checkpointed.
  bool restarted = false;
  try {
    auto stmt = conn_->prepare("PRAGMA wal_checkpoint(RESTART)");
    restarted = stmt.step() == step_result::row && stmt.column_int(0) == 0;
  } catch (const error&) {
    // Busy or failed: the WAL stays as it is until the next try.
  }
  conn_->busy_timeout(busy_timeout_ms);
  return restarted;
}

void database::set_query_only(bool on) {
  conn_->exec(on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");
}

} // namespace bookstore::storage
