// The RAII transaction and savepoint (transaction.hpp), as the store actor's
// group commit uses them: one transaction, one savepoint per operation.

#include <catch2/catch.hpp>

#include <optional>

#include "helpers.hpp"

using namespace storage_test;

namespace {

bool has_genre(storage::database& db, const std::string& name) {
  for (const auto& genre : storage::list_genres(db))
    if (genre.name == name)
      return true;
  return false;
}

} // namespace

TEST_CASE("a rolled back transaction leaves nothing behind", "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    {
      storage::transaction tx(db.conn());
      storage::insert_genre(db, "Gone");
      CHECK(has_genre(db, "Gone")); // visible inside the transaction
    }                               // destroyed without commit(): rolled back
    CHECK_FALSE(conn_of(db).in_transaction());
    CHECK_FALSE(has_genre(db, "Gone"));
  }
  storage::database reopened(file.str());
  CHECK_FALSE(has_genre(reopened, "Gone"));
}

TEST_CASE("an exception inside a transaction rolls it back", "[transaction]") {
  storage::database db(":memory:");
  storage::insert_genre(db, "Drama");
  try {
    storage::transaction tx(db.conn());
    storage::insert_genre(db, "Thrown away");
    storage::insert_genre(db, "drama"); // unique: throws
    tx.commit();
    FAIL("the duplicate was accepted");
  } catch (const storage::error& e) {
    CHECK(e.kind() == storage::failure_kind::unique);
  }
  CHECK_FALSE(conn_of(db).in_transaction());
  CHECK_FALSE(has_genre(db, "Thrown away"));
}

TEST_CASE("a transaction left open at close is not committed",
          "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    conn_of(db).exec("BEGIN IMMEDIATE"); // no object to roll it back
    storage::insert_genre(db, "Never");
  }
  storage::database reopened(file.str());
  CHECK_FALSE(has_genre(reopened, "Never"));
}

TEST_CASE("a committed transaction is durable", "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    storage::transaction tx(db.conn());
    storage::insert_genre(db, "Kept");
    tx.commit();
    CHECK_FALSE(conn_of(db).in_transaction());
  } // the destructor after commit() leaves the work alone
  storage::database reopened(file.str());
  CHECK(has_genre(reopened, "Kept"));
}

TEST_CASE("rolling back to a savepoint keeps the earlier work",
          "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    storage::transaction tx(db.conn());
    storage::insert_genre(db, "Before");
    {
      storage::savepoint sp(db.conn());
      storage::insert_genre(db, "Undone");
    } // not released: undone
    {
      storage::savepoint sp(db.conn());
      storage::insert_genre(db, "Released");
      sp.release();
    }
    // A failing operation inside its savepoint, as the store runs them.
    {
      storage::savepoint sp(db.conn());
      storage::insert_genre(db, "Half");
      CHECK_THROWS_AS(storage::insert_genre(db, "before"),
                      storage::error); // unique
    }
    CHECK(conn_of(db).in_transaction()); // the transaction goes on
    storage::insert_genre(db, "After");
    tx.commit();
  }
  storage::database reopened(file.str());
  CHECK(has_genre(reopened, "Before"));
  CHECK(has_genre(reopened, "Released"));
  CHECK(has_genre(reopened, "After"));
  CHECK_FALSE(has_genre(reopened, "Undone"));
  CHECK_FALSE(has_genre(reopened, "Half"));
  CHECK(storage::list_genres(reopened).size() == 3);
}

TEST_CASE("a nested savepoint rolls back alone", "[transaction]") {
  storage::database db(":memory:");
  {
    storage::transaction tx(db.conn());
    storage::savepoint outer(db.conn());
    storage::insert_genre(db, "Outer");
    {
      storage::savepoint inner(db.conn());
      storage::insert_genre(db, "Inner");
    } // the inner one is undone, the outer one's work stays
    CHECK(has_genre(db, "Outer"));
    CHECK_FALSE(has_genre(db, "Inner"));
    {
      storage::savepoint inner(db.conn());
      storage::insert_genre(db, "Inner kept");
      inner.release();
    }
    outer.release();
    tx.commit();
  }
  CHECK(has_genre(db, "Outer"));
  CHECK(has_genre(db, "Inner kept"));
  CHECK_FALSE(has_genre(db, "Inner"));

  // And an outer savepoint that is not released undoes a released inner one.
  {
    storage::transaction tx(db.conn());
    {
      storage::savepoint outer(db.conn());
      storage::savepoint inner(db.conn());
      storage::insert_genre(db, "Inside");
      inner.release();
    }
    tx.commit();
  }
  CHECK_FALSE(has_genre(db, "Inside"));
}

TEST_CASE("a savepoint outside a transaction is closed by either end",
          "[transaction]") {
  storage::database db(":memory:");
  auto& conn = conn_of(db);
  // Outside BEGIN, SAVEPOINT opens a transaction of its own: rolling back to
  // it must also pop it, or the next transaction would fail to begin.
  {
    storage::savepoint sp(db.conn());
    storage::insert_genre(db, "Undone");
  }
  CHECK_FALSE(conn.in_transaction());
  CHECK_FALSE(has_genre(db, "Undone"));
  {
    storage::savepoint sp(db.conn());
    storage::insert_genre(db, "Released");
    sp.release();
  }
  CHECK_FALSE(conn.in_transaction());
  CHECK(has_genre(db, "Released"));
  CHECK_NOTHROW(storage::transaction(db.conn()));
}

TEST_CASE("the rollbacks never throw even with nothing to undo",
          "[transaction]") {
  storage::database db(":memory:");
  // Something else (as SQLite does on disk full) ended the transaction
  // under the objects: their destructors must not throw.
  CHECK_NOTHROW([&] {
    storage::transaction tx(db.conn());
    storage::savepoint sp(db.conn());
    conn_of(db).exec("ROLLBACK");
  }());
  // And the database still works afterwards.
  storage::transaction tx(db.conn());
  storage::insert_genre(db, "Fine");
  tx.commit();
  CHECK(has_genre(db, "Fine"));
}

TEST_CASE("begin inside a transaction and commit outside one throw",
          "[transaction]") {
  storage::database db(":memory:");
  storage::transaction tx(db.conn());
  CHECK_THROWS_AS(storage::transaction(db.conn()), storage::error);
  tx.commit();
  CHECK_THROWS_AS(tx.commit(), storage::error); // nothing left to commit
}

TEST_CASE("a read snapshot does not see a commit that lands between its "
          "statements, and the next one does",
          "[transaction]") {
  temp_file file;
  storage::database writer(file.str());
  storage::insert_genre(writer, "First");
  storage::open_options read_only;
  read_only.read_only = true;
  storage::database reader(file.str(), read_only);
  {
    storage::read_snapshot snapshot(reader.conn());
    CHECK(storage::list_genres(reader).size() == 1); // fixes the snapshot
    storage::insert_genre(writer, "Second");         // commits meanwhile
    CHECK(storage::list_genres(reader).size() == 1); // as a page's total
    CHECK(conn_of(reader).in_transaction());
  }
  CHECK_FALSE(conn_of(reader).in_transaction());
  CHECK(has_genre(reader, "Second"));
}
