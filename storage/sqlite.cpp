#include "storage/sqlite.hpp"

#include <string>
#include <utility>

#include <sqlite3.h>
#include <time.h>

namespace bookstore::storage {

failure_kind classify(int extended_code) {
  switch (extended_code) {
  case SQLITE_CONSTRAINT_UNIQUE:
  case SQLITE_CONSTRAINT_PRIMARYKEY:
    return failure_kind::unique;
  case SQLITE_CONSTRAINT_CHECK:
    return failure_kind::check;
  case SQLITE_CONSTRAINT_FOREIGNKEY:
    return failure_kind::foreign_key;
  default:
    break;
  }
  // The low byte is the primary code; the extended ones below (READONLY_*,
  // IOERR_*, BUSY_*, ...) all mean the same to a caller as their primary.
  switch (extended_code & 0xff) {
  case SQLITE_READONLY:
  case SQLITE_IOERR:
  case SQLITE_FULL:
  case SQLITE_CANTOPEN:
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return failure_kind::unavailable;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return failure_kind::busy;
  case SQLITE_INTERRUPT:
    return failure_kind::interrupted;
  default:
    return failure_kind::other;
  }
}

void throw_error(sqlite3* db, int code, std::string_view context) {
  std::string what(context);
  what += ": ";
  what += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  what += " (";
  what += std::to_string(code);
  what += ")";
  throw error(classify(code), code, what);
}

// -- statement --------------------------------------------------------------

statement::statement(sqlite3* db, std::string_view sql, bool persistent) {
  // PERSISTENT tells SQLite the statement is long-lived (the cache), so it
  // allocates it outside the lookaside pool.
  const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(
      db, sql.data(), static_cast<int>(sql.size()), flags, &stmt_, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw_error(db, rc, "prepare " + std::string(sql));
  }
  if (stmt_ == nullptr) // only blanks or comments: nothing to run
    throw error(failure_kind::other, SQLITE_MISUSE, "prepare: empty SQL");
  // SQLite compiles only the first statement; silently dropping the rest
  // would hide a bug, so a second statement is refused.
  const std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw error(failure_kind::other, SQLITE_MISUSE,
                "prepare: more than one statement in " + std::string(sql));
  }
}

statement::~statement() {
  sqlite3_finalize(stmt_);
}

statement::statement(statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

namespace {

void check_bind(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK)
    throw_error(sqlite3_db_handle(stmt), rc, "bind");
}

} // namespace

statement& statement::bind(int index, std::int64_t value) {
  check_bind(stmt_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

statement& statement::bind(int index, std::string_view value) {
  // An empty string_view may carry a null pointer, which SQLite would store
  // as NULL instead of "". TRANSIENT copies, so the caller's buffer may die.
  const char* data = value.data() ? value.data() : "";
  check_bind(stmt_, sqlite3_bind_text64(stmt_, index, data, value.size(),
                                        SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

statement& statement::bind(int index, std::nullopt_t) {
  check_bind(stmt_, sqlite3_bind_null(stmt_, index));
  return *this;
}

step_result statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return step_result::row;
  if (rc == SQLITE_DONE)
    return step_result::done;
  throw_error(sqlite3_db_handle(stmt_), rc, sqlite3_sql(stmt_));
}

void statement::run() {
  while (step() == step_result::row) {
  }
}

bool statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string statement::column_text(int column) const {
  // Text first, then bytes: the order the SQLite docs prescribe, so the
  // length is that of the converted text.
  const auto* text =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const auto size =
      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return text ? std::string(text, size) : std::string();
}

std::optional<std::int64_t> statement::column_optional_int(int column) const {
  if (is_null(column))
    return std::nullopt;
  return column_int(column);
}

std::optional<std::string> statement::column_optional_text(int column) const {
  if (is_null(column))
    return std::nullopt;
  return column_text(column);
}

std::variant<std::monostate, std::int64_t, double, std::string>
statement::column_value(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
  case SQLITE_NULL:
    return std::monostate{};
  case SQLITE_INTEGER:
    return column_int(column);
  case SQLITE_FLOAT:
    return sqlite3_column_double(stmt_, column);
  default:
    return column_text(column);
  }
}

void statement::reset() {
  // sqlite3_reset repeats the last step's error, which was already thrown.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view statement::sql() const {
  return sqlite3_sql(stmt_);
}

// -- connection -------------------------------------------------------------

connection::connection(const std::string& path, int flags) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    // The handle exists even on failure (unless out of memory) and holds
    // the message; it must be closed all the same.
    const int code = db_ ? sqlite3_extended_errcode(db_) : rc;
    std::string what = "open: ";
    what += db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw error(classify(code), code, what);
  }
  // Without this, step() reports SQLITE_CONSTRAINT and not which one.
  sqlite3_extended_result_codes(db_, 1);
}

connection::~connection() {
  cache_.clear(); // finalize before closing
  // close_v2 defers the close if a caller still holds a statement.
  sqlite3_close_v2(db_);
}

void connection::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string what = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw error(classify(rc), rc, std::string("exec: ") + what);
  }
}

statement connection::prepare(std::string_view sql) {
  return statement(db_, sql);
}

statement& connection::cached(const char* sql) {
  const auto found = cache_.find(std::string_view(sql));
  if (found != cache_.end()) {
    found->second->stmt.reset();
    return found->second->stmt;
  }
  auto entry = std::unique_ptr<cache_entry>(
      new cache_entry{sql, statement(db_, sql, true)});
  statement& result = entry->stmt;
  cache_.emplace(entry->sql, std::move(entry));
  return result;
}

void connection::busy_timeout(int milliseconds) {
  sqlite3_busy_timeout(db_, milliseconds);
}

std::int64_t connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int connection::changes() const {
  return sqlite3_changes(db_);
}

bool connection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

std::string connection::filename() const {
  const char* name = sqlite3_db_filename(db_, "main");
  return name ? name : "";
}

// -- read_deadline ----------------------------------------------------------

namespace {

// SQLite calls the handler every this many virtual machine instructions,
// some microseconds of work, against which one clock read is small.
constexpr int instructions_per_check = 1000;

/// CPU time this thread has used. A read's cost is what it computes, not
/// how long a busy machine kept it waiting for a core: a wall-clock budget
/// refused ordinary searches whenever the machine was loaded.
std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds{now.tv_sec}
         + std::chrono::nanoseconds{now.tv_nsec};
}

int past_deadline(void* deadline) {
  return thread_cpu_time() > *static_cast<std::chrono::nanoseconds*>(deadline)
             ? 1
             : 0;
}

} // namespace

read_deadline::read_deadline(connection& conn,
                             std::chrono::nanoseconds cpu_budget)
    : conn_(conn), deadline_(thread_cpu_time() + cpu_budget) {
  sqlite3_progress_handler(conn_.handle(), instructions_per_check,
                           past_deadline, &deadline_);
}

read_deadline::~read_deadline() {
  sqlite3_progress_handler(conn_.handle(), 0, nullptr, nullptr);
}

} // namespace bookstore::storage
