// The RAII layer: error mapping, binding, the statement cache, transactions.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "helpers.hpp"

using namespace storage_test;
using storage::connection;
using storage::failure_kind;
using storage::step_result;

namespace {

constexpr int open_rw = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

} // namespace

TEST_CASE("extended result codes map to failure kinds", "[sqlite]") {
  using storage::classify;
  CHECK(classify(SQLITE_CONSTRAINT_UNIQUE) == failure_kind::unique);
  CHECK(classify(SQLITE_CONSTRAINT_PRIMARYKEY) == failure_kind::unique);
  CHECK(classify(SQLITE_CONSTRAINT_CHECK) == failure_kind::check);
  CHECK(classify(SQLITE_CONSTRAINT_FOREIGNKEY) == failure_kind::foreign_key);
  CHECK(classify(SQLITE_CONSTRAINT_NOTNULL) == failure_kind::other);
  CHECK(classify(SQLITE_CONSTRAINT) == failure_kind::other);
  CHECK(classify(SQLITE_READONLY) == failure_kind::unavailable);
  CHECK(classify(SQLITE_READONLY_DBMOVED) == failure_kind::unavailable);
  CHECK(classify(SQLITE_IOERR) == failure_kind::unavailable);
  CHECK(classify(SQLITE_IOERR_FSYNC) == failure_kind::unavailable);
  CHECK(classify(SQLITE_FULL) == failure_kind::unavailable);
  CHECK(classify(SQLITE_CANTOPEN) == failure_kind::unavailable);
  CHECK(classify(SQLITE_CORRUPT) == failure_kind::unavailable);
  CHECK(classify(SQLITE_NOTADB) == failure_kind::unavailable);
  CHECK(classify(SQLITE_BUSY) == failure_kind::busy);
  CHECK(classify(SQLITE_BUSY_SNAPSHOT) == failure_kind::busy);
  CHECK(classify(SQLITE_LOCKED) == failure_kind::busy);
  CHECK(classify(SQLITE_ERROR) == failure_kind::other);
  CHECK(classify(SQLITE_MISMATCH) == failure_kind::other);
}

TEST_CASE("constraint violations throw with their kind and code", "[sqlite]") {
  connection conn(":memory:", open_rw);
  conn.exec("PRAGMA foreign_keys = ON;"
            "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE);"
            "CREATE TABLE c (p_id INTEGER REFERENCES p(id),"
            " n INTEGER CHECK (n > 0));"
            "INSERT INTO p VALUES (1, 'a');");
  auto insert_p = [&](std::int64_t id, const char* name) {
    conn.cached("INSERT INTO p VALUES (?, ?)").bind(1, id).bind(2, name).run();
  };
  auto insert_c = [&](std::int64_t p_id, std::int64_t n) {
    conn.cached("INSERT INTO c VALUES (?, ?)").bind(1, p_id).bind(2, n).run();
  };
  CHECK(kind_of([&] { insert_p(2, "a"); }) == failure_kind::unique);
  CHECK(kind_of([&] { insert_p(1, "b"); }) == failure_kind::unique);
  CHECK(kind_of([&] { insert_c(1, 0); }) == failure_kind::check);
  CHECK(kind_of([&] { insert_c(9, 1); }) == failure_kind::foreign_key);
  try {
    insert_c(1, -1);
    FAIL("no exception");
  } catch (const storage::error& e) {
    CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_CHECK);
  }
  // The connection stays usable after each failure.
  insert_c(1, 1);
  CHECK(query_int(conn, "SELECT count(*) FROM c") == 1);
}

TEST_CASE("bad SQL and several statements are refused", "[sqlite]") {
  connection conn(":memory:", open_rw);
  CHECK(kind_of([&] { conn.prepare("SELEC 1"); }) == failure_kind::other);
  CHECK(kind_of([&] { conn.exec("SELEC 1"); }) == failure_kind::other);
  CHECK(kind_of([&] { conn.prepare("SELECT 1; SELECT 2"); })
        == failure_kind::other);
  CHECK(kind_of([&] { conn.cached("SELECT 1; DROP TABLE x"); })
        == failure_kind::other);
  CHECK(conn.cached_count() == 0);
  CHECK_NOTHROW(conn.prepare("SELECT 1;  \n"));
}

TEST_CASE("values round-trip through bind and the column getters", "[sqlite]") {
  connection conn(":memory:", open_rw);
  conn.exec("CREATE TABLE t (i INTEGER, s TEXT)");
  auto insert = conn.prepare("INSERT INTO t VALUES (?, ?)");
  auto select = conn.prepare("SELECT i, s FROM t WHERE rowid = ?");
  auto round_trip = [&](auto i, auto s) {
    insert.reset();
    insert.bind(1, i).bind(2, s).run();
    select.reset();
    select.bind(1, conn.last_insert_rowid());
    REQUIRE(select.step() == step_result::row);
  };

  SECTION("extreme integers and text with an embedded NUL") {
    const std::string nul("a\0b", 3);
    round_trip(std::int64_t{INT64_MIN}, std::string_view(nul));
    CHECK(select.column_int(0) == INT64_MIN);
    CHECK(select.column_text(1) == nul);
    round_trip(std::int64_t{INT64_MAX}, "x");
    CHECK(select.column_int(0) == INT64_MAX);
  }
  SECTION("an empty string stays a string, not NULL") {
    round_trip(std::int64_t{0}, std::string_view());
    CHECK_FALSE(select.is_null(1));
    CHECK(select.column_optional_text(1) == std::string());
  }
  SECTION("optionals bind NULL or their value") {
    round_trip(std::optional<std::int64_t>(), std::optional<std::string>());
    CHECK(select.is_null(0));
    CHECK(select.column_optional_int(0) == std::nullopt);
    CHECK(select.column_optional_text(1) == std::nullopt);
    CHECK(select.column_text(1).empty());
    round_trip(std::optional<std::int64_t>(7),
               std::optional<std::string>("seven"));
    CHECK(select.column_optional_int(0) == 7);
    CHECK(select.column_optional_text(1) == "seven");
  }
  SECTION("a parameter index out of range throws") {
    insert.reset();
    CHECK(kind_of([&] { insert.bind(3, std::int64_t{1}); })
          == failure_kind::other);
  }
}

TEST_CASE("cached statements are prepared once and come back reset",
          "[sqlite]") {
  connection conn(":memory:", open_rw);
  const char* sql = "SELECT ?";
  auto& first = conn.cached(sql);
  first.bind(1, std::int64_t{42});
  REQUIRE(first.step() == step_result::row);
  CHECK(first.column_int(0) == 42);

  // Same text from another buffer: the cache keys by content.
  const std::string copy = sql;
  auto& again = conn.cached(copy.c_str());
  CHECK(&again == &first);
  CHECK(conn.cached_count() == 1);
  // Reset, with the old binding cleared.
  REQUIRE(again.step() == step_result::row);
  CHECK(again.is_null(0));

  conn.cached("SELECT 2");
  CHECK(conn.cached_count() == 2);
}

TEST_CASE("a cached statement survives a schema change", "[sqlite]") {
  connection conn(":memory:", open_rw);
  conn.exec("CREATE TABLE t (x)");
  conn.cached("INSERT INTO t VALUES (?)").bind(1, std::int64_t{1}).run();
  conn.exec("CREATE TABLE u (y)");
  conn.cached("INSERT INTO t VALUES (?)").bind(1, std::int64_t{2}).run();
  CHECK(query_int(conn, "SELECT sum(x) FROM t") == 3);
}

TEST_CASE("a transaction rolls back unless committed", "[sqlite]") {
  temp_file file;
  connection conn(file.str(), open_rw);
  conn.exec("CREATE TABLE t (x)");
  {
    storage::transaction tx(conn);
    CHECK(conn.in_transaction());
    conn.exec("INSERT INTO t VALUES (1)");
  }
  CHECK_FALSE(conn.in_transaction());
  CHECK(query_int(conn, "SELECT count(*) FROM t") == 0);

  {
    storage::transaction tx(conn);
    conn.exec("INSERT INTO t VALUES (2)");
    tx.commit();
  }
  CHECK(query_int(conn, "SELECT count(*) FROM t") == 1);

  // An exception unwinding through the scope rolls back too.
  try {
    storage::transaction tx(conn);
    conn.exec("INSERT INTO t VALUES (3)");
    conn.exec("INSERT INTO nowhere VALUES (4)");
    tx.commit();
  } catch (const storage::error&) {
  }
  CHECK(query_int(conn, "SELECT count(*) FROM t") == 1);

  // And the committed row is on disk for another connection.
  connection other(file.str(), SQLITE_OPEN_READONLY);
  CHECK(query_int(other, "SELECT x FROM t") == 2);
}

TEST_CASE("a write lock held elsewhere surfaces as busy", "[sqlite]") {
  temp_file file;
  connection holder(file.str(), open_rw);
  holder.exec("CREATE TABLE t (x)");
  connection waiter(file.str(), open_rw);
  waiter.busy_timeout(0);
  storage::transaction held(holder);
  holder.exec("INSERT INTO t VALUES (1)");
  CHECK(kind_of([&] { storage::transaction tx(waiter); })
        == failure_kind::busy);
  CHECK_FALSE(waiter.in_transaction());
}

TEST_CASE("opening what is not there or not a database is unavailable",
          "[sqlite]") {
  temp_file file;
  CHECK(kind_of([&] { connection c(file.str(), SQLITE_OPEN_READONLY); })
        == failure_kind::unavailable);
  CHECK(kind_of([&] { connection c("/nonexistent-dir/x.db", open_rw); })
        == failure_kind::unavailable);
}
