// The database's transaction verbs, as the store actor's group commit uses
// them: one transaction, one savepoint per operation.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;

namespace {

bool has_genre(storage::database& db, const std::string& name) {
  for (const auto& genre : db.list_genres())
    if (genre.name == name)
      return true;
  return false;
}

} // namespace

TEST_CASE("a rolled back transaction leaves nothing behind", "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    db.begin();
    db.insert_genre("Gone");
    CHECK(has_genre(db, "Gone")); // visible inside the transaction
    db.rollback();
    CHECK_FALSE(has_genre(db, "Gone"));
  }
  storage::database reopened(file.str());
  CHECK_FALSE(has_genre(reopened, "Gone"));
}

TEST_CASE("a transaction left open at close is not committed",
          "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    db.begin();
    db.insert_genre("Never");
  }
  storage::database reopened(file.str());
  CHECK_FALSE(has_genre(reopened, "Never"));
}

TEST_CASE("a committed transaction is durable", "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    db.begin();
    db.insert_genre("Kept");
    db.commit();
  }
  storage::database reopened(file.str());
  CHECK(has_genre(reopened, "Kept"));
}

TEST_CASE("rolling back to a savepoint keeps the earlier work",
          "[transaction]") {
  temp_file file;
  {
    storage::database db(file.str());
    db.begin();
    db.insert_genre("Before");

    db.savepoint();
    db.insert_genre("Undone");
    db.rollback_to_savepoint();

    db.savepoint();
    db.insert_genre("Released");
    db.release_savepoint();

    // A failing operation inside its savepoint, as the store runs them.
    db.savepoint();
    db.insert_genre("Half");
    CHECK_THROWS_AS(db.insert_genre("before"), storage::error); // unique
    db.rollback_to_savepoint();

    db.insert_genre("After");
    db.commit();
  }
  storage::database reopened(file.str());
  CHECK(has_genre(reopened, "Before"));
  CHECK(has_genre(reopened, "Released"));
  CHECK(has_genre(reopened, "After"));
  CHECK_FALSE(has_genre(reopened, "Undone"));
  CHECK_FALSE(has_genre(reopened, "Half"));
  CHECK(reopened.list_genres().size() == 3);
}

TEST_CASE("a savepoint outside a transaction is closed by either end",
          "[transaction]") {
  storage::database db(":memory:");
  auto& conn = conn_of(db);
  // Outside BEGIN, SAVEPOINT opens a transaction of its own: rolling back to
  // it must also pop it, or the next begin() would fail.
  db.savepoint();
  db.insert_genre("Undone");
  db.rollback_to_savepoint();
  CHECK_FALSE(conn.in_transaction());
  CHECK_FALSE(has_genre(db, "Undone"));

  db.savepoint();
  db.insert_genre("Released");
  db.release_savepoint();
  CHECK_FALSE(conn.in_transaction());
  CHECK(has_genre(db, "Released"));
  CHECK_NOTHROW(db.begin());
  db.rollback();
}

TEST_CASE("the rollbacks never throw even with nothing to undo",
          "[transaction]") {
  storage::database db(":memory:");
  CHECK_NOTHROW(db.rollback());
  CHECK_NOTHROW(db.rollback_to_savepoint());
  // And the database still works afterwards.
  db.begin();
  db.insert_genre("Fine");
  db.commit();
  CHECK(has_genre(db, "Fine"));
}

TEST_CASE("begin inside a transaction and commit outside one throw",
          "[transaction]") {
  storage::database db(":memory:");
  CHECK_THROWS_AS(db.commit(), storage::error);
  db.begin();
  CHECK_THROWS_AS(db.begin(), storage::error);
  db.rollback();
}
