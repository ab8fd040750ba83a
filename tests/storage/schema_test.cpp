// Opening a database: pragmas, migrations and their version tracking.

#include <catch2/catch.hpp>

#include <cstdio>

#include <sqlite3.h>

#include "helpers.hpp"
#include "storage/list_queries.hpp"
#include "storage/queries.hpp"
#include "storage/review_queries.hpp"
#include "storage/schema.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

/// A second connection through the bare C API, independent of the layer
/// under test.
class raw_connection {
public:
  explicit raw_connection(const std::string& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
            == SQLITE_OK);
  }
  ~raw_connection() { sqlite3_close(db_); }

  std::string text(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string result(
        reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return result;
  }

  void exec(const char* sql) {
    REQUIRE(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  }

private:
  sqlite3* db_ = nullptr;
};

/// Turns a file back into what version 10 left (every older version's test
/// starts with it).
constexpr const char* undo_version_11 =
    "DROP TABLE isbn_claims; DROP TABLE void_isbn_claims;";

/// Turns a file back into what version 7 left: the transfer tables go;
/// cart and order items keep their foreign-key-free form, which version 8
/// rebuilds again just the same.
constexpr const char* undo_version_8 =
    "DROP TABLE prepared_transfers; DROP TABLE transfer_decisions;";

/// Turns a file back into what version 6 left (the older versions' tests
/// start from it).
constexpr const char* undo_version_7 =
    "DROP TABLE prepared_transfers; DROP TABLE transfer_decisions;"
    " DROP TRIGGER catalog_version_insert; DROP TRIGGER catalog_version_update;"
    " DROP TRIGGER catalog_version_delete; DROP TABLE catalog_version;";

} // namespace

TEST_CASE("a fresh file gets the schema and WAL and durable settings",
          "[schema]") {
  temp_file file;
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  CHECK(storage::latest_schema_version() >= 4);

  // journal_mode is stored in the file: another connection sees it.
  raw_connection raw(file.str());
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(raw.text("PRAGMA user_version")
        == std::to_string(storage::latest_schema_version()));

  // These are per connection: read them on the database's own.
  auto& conn = conn_of(db);
  CHECK(query_int(conn, "PRAGMA synchronous") == 2); // FULL
  CHECK(query_int(conn, "PRAGMA foreign_keys") == 1);
  CHECK(query_int(conn, "PRAGMA busy_timeout") == 5000);
  CHECK(query_int(conn, "PRAGMA query_only") == 0);

  for (const char* table :
       {"users", "refresh_tokens", "genres", "books", "carts", "cart_items",
        "orders", "order_items", "idempotency_records", "settings", "books_fts",
        "reviews", "wishlist_items", "prebooks"}) {
    auto& stmt = conn.cached("SELECT count(*) FROM sqlite_master"
                             " WHERE type = 'table' AND name = ?");
    stmt.bind(1, table);
    stmt.step();
    CHECK(stmt.column_int(0) == 1);
  }
  CHECK(query_int(conn, "SELECT count(*) FROM sqlite_master WHERE type ="
                        " 'index' AND name IN ('books_isbn_live',"
                        " 'orders_user')")
        == 2);
}

TEST_CASE("reopening keeps the data and does not migrate again", "[schema]") {
  temp_file file;
  {
    storage::database db(file.str());
    storage::insert_genre(db, "Poetry");
  }
  // Version 1 would fail on a second run (its tables exist): opening again
  // succeeds only because user_version says it already ran.
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  REQUIRE(storage::list_genres(db).size() == 1);
  CHECK(storage::list_genres(db).front().name == "Poetry");
}

TEST_CASE("migrations follow user_version", "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }

  SECTION("a file claiming version 0 gets version 1 again, which fails") {
    raw_connection(file.str()).exec("PRAGMA user_version = 0");
    CHECK(kind_of([&] { storage::database db(file.str()); })
          == failure_kind::other);
  }
  SECTION("a file from a newer program is refused") {
    raw_connection(file.str()).exec("PRAGMA user_version = 99");
    CHECK(kind_of([&] { storage::database db(file.str()); })
          == failure_kind::other);
  }
}

TEST_CASE("a failed migration leaves the file untouched", "[schema]") {
  temp_file file;
  // A stray table with a schema name makes version 1 fail half way.
  raw_connection(file.str()).exec("CREATE TABLE orders (x)");
  CHECK_THROWS_AS(storage::database(file.str()), storage::error);
  raw_connection raw(file.str());
  CHECK(raw.text("PRAGMA user_version") == "0");
  CHECK(raw.text("SELECT count(*) FROM sqlite_master WHERE name = 'users'")
        == "0");
}

TEST_CASE(":memory: gives a migrated throwaway store", "[schema]") {
  storage::database db(":memory:");
  CHECK(db.schema_version() == storage::latest_schema_version());
  CHECK(query_text(conn_of(db), "PRAGMA journal_mode") == "memory");
  storage::insert_genre(db, "Drama");
  CHECK(storage::list_genres(db).size() == 1);
}

TEST_CASE("a file that is not a database is unavailable", "[schema]") {
  temp_file file;
  {
    std::FILE* out = std::fopen(file.str().c_str(), "wb");
    REQUIRE(out != nullptr);
    for (int i = 0; i < 64; ++i)
      std::fputs("this is not an SQLite database file. ", out);
    std::fclose(out);
  }
  CHECK(kind_of([&] { storage::database db(file.str()); })
        == failure_kind::unavailable);
}

TEST_CASE("versions 2 and 3 index the books a version 1 file already has",
          "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }
  {
    // Turn the file back into what version 1 left, with a book in it.
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(undo_version_7);
    raw.exec("DROP TRIGGER reviews_rating_insert;"
             " DROP TRIGGER reviews_rating_update;"
             " DROP TRIGGER reviews_rating_delete; DROP TABLE reviews;"
             " DROP INDEX books_rating_asc; DROP INDEX books_rating_desc;"
             " ALTER TABLE books DROP COLUMN rating_mean;"
             " ALTER TABLE books DROP COLUMN rating_version;"
             " ALTER TABLE books DROP COLUMN rating_count;"
             " ALTER TABLE books DROP COLUMN rating_sum;");
    raw.exec("DROP TRIGGER books_fts_insert; DROP TRIGGER books_fts_update;"
             " DROP TRIGGER books_fts_delete; DROP TABLE books_fts;"
             " DROP TABLE settings; DROP INDEX books_price;"
             " DROP INDEX books_created; DROP INDEX books_title_nocase;"
             " DROP INDEX orders_created;"
             " DROP INDEX idempotency_records_created;"
             " ALTER TABLE idempotency_records DROP COLUMN order_id;"
             " DROP TRIGGER books_soft_delete_lists;"
             " DROP TABLE wishlist_items; DROP TABLE prebooks;"
             " DROP INDEX users_listing; DROP INDEX users_created;"
             " ALTER TABLE users DROP COLUMN is_active;"
             " INSERT INTO books (title, author, price_cents)"
             " VALUES ('Dune', 'Frank Herbert', 999);"
             " PRAGMA user_version = 1;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  storage::book_query query;
  query.q = "dun herb";
  const auto page = storage::search_books(db, query);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].title == "Dune");
  storage::put_setting(db, "k", "v");
  CHECK(storage::get_setting(db, "k") == "v");
}

TEST_CASE("version 5 adds wishlists and pre-bookings to a version 4 file",
          "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }
  {
    // Turn the file back into what version 4 left, with a book in it.
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(undo_version_7);
    raw.exec("DROP INDEX users_listing; DROP INDEX users_created;"
             " ALTER TABLE users DROP COLUMN is_active;"
             " DROP TRIGGER books_soft_delete_lists;"
             " DROP TABLE wishlist_items; DROP TABLE prebooks;"
             " INSERT INTO books (title, author, price_cents)"
             " VALUES ('Dune', 'Frank Herbert', 999);"
             " INSERT INTO users (email, password_hash) VALUES ('a@b.c', 'h');"
             " PRAGMA user_version = 4;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  auto& conn = conn_of(db);
  conn.exec("INSERT INTO wishlist_items (user_id, book_id) VALUES (1, 1);"
            " INSERT INTO prebooks (user_id, book_id) VALUES (1, 1);");
  // One waiting pre-booking per user and book.
  CHECK(kind_of([&] {
          conn.exec("INSERT INTO prebooks (user_id, book_id) VALUES (1, 1)");
        })
        == failure_kind::unique);
  // The soft delete of the book takes both along.
  REQUIRE(storage::delete_book(db, 1));
  CHECK(query_int(conn, "SELECT count(*) FROM wishlist_items") == 0);
  CHECK(query_int(conn, "SELECT count(*) FROM prebooks") == 0);
}

TEST_CASE(
    "version 6 keeps the accounts a file already has and makes them all active",
    "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }
  {
    // What version 5 left, with an account in it.
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(undo_version_7);
    raw.exec("DROP INDEX users_listing; DROP INDEX users_created;"
             " ALTER TABLE users DROP COLUMN is_active;"
             " INSERT INTO users (email, password_hash) VALUES ('a@b.c', 'h');"
             " PRAGMA user_version = 5;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  auto user = storage::find_user_by_email(db, "a@b.c");
  REQUIRE(user);
  CHECK(user->active);
}

TEST_CASE("version 7 counts catalog changes in a version 6 file, and sales "
          "leave the count alone",
          "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }
  {
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(undo_version_7);
    raw.exec("INSERT INTO books (title, author, price_cents, stock_quantity)"
             " VALUES ('Dune', 'Frank Herbert', 999, 5);"
             " PRAGMA user_version = 6;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  const auto start = storage::catalog_version(db);
  storage::add_stock(db, 1, -2);
  CHECK(storage::catalog_version(db) == start);
  auto dune = storage::find_book(db, 1);
  REQUIRE(dune);
  dune->price = 1099;
  storage::update_book(db, *dune);
  CHECK(storage::catalog_version(db) == start + 1);
  model::book draft;
  draft.title = "Emma";
  draft.author = "Jane Austen";
  draft.price = 799;
  storage::insert_book(db, draft);
  CHECK(storage::catalog_version(db) == start + 2);
  REQUIRE(storage::delete_book(db, 1));
  CHECK(storage::catalog_version(db) == start + 3);
}

TEST_CASE("version 8 keeps a version 7 file's cart and order items, ids "
          "included, and drops only their foreign key to books",
          "[schema]") {
  // With one item left, or with every item removed (the sequence is then
  // all that remembers the ids handed out).
  const bool every_item_removed = GENERATE(false, true);
  CAPTURE(every_item_removed);
  temp_file file;
  { storage::database db(file.str()); }
  {
    // Version 7's tables as they were, with rows, and a cart item removed
    // after the newest: its id must not come back.
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(undo_version_8);
    raw.exec(
        "DROP TABLE cart_items; DROP TABLE order_items;"
        " CREATE TABLE cart_items (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  cart_id INTEGER NOT NULL REFERENCES carts(id) ON DELETE CASCADE,"
        "  book_id INTEGER NOT NULL REFERENCES books(id),"
        "  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),"
        "  created_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z',"
        "  UNIQUE (cart_id, book_id));"
        " CREATE TABLE order_items (id INTEGER PRIMARY KEY,"
        "  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
        "  book_id INTEGER NOT NULL REFERENCES books(id),"
        "  quantity INTEGER NOT NULL CHECK (quantity > 0),"
        "  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),"
        "  title TEXT NOT NULL, author TEXT NOT NULL);"
        " INSERT INTO users (id, email, password_hash) VALUES (1, 'a@b.c', "
        "'h');"
        " INSERT INTO books (id, title, author, price_cents, stock_quantity)"
        "  VALUES (1, 'Dune', 'Frank Herbert', 999, 5),"
        "  (2, 'Emma', 'Jane Austen', 799, 5);"
        " INSERT INTO carts (id, user_id) VALUES (1, 1);"
        " INSERT INTO cart_items (id, cart_id, book_id, quantity)"
        "  VALUES (4, 1, 1, 2), (5, 1, 2, 3);"
        " DELETE FROM cart_items WHERE id = 5;"
        " INSERT INTO orders (id, user_id, total_cents, created_at)"
        "  VALUES (1, 1, 999, '2026-01-01T00:00:00Z');"
        " INSERT INTO order_items VALUES (1, 1, 1, 1, 999, 'Dune', 'F');"
        " PRAGMA user_version = 7;");
    if (every_item_removed)
      raw.exec("DELETE FROM cart_items WHERE id = 4;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  auto& conn = conn_of(db);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM cart_items WHERE id = 4")
        == (every_item_removed ? 0 : 1));
  CHECK(query_text(conn, "SELECT title FROM order_items WHERE id = 1")
        == "Dune");
  CHECK(query_int(conn, "SELECT COUNT(*) FROM pragma_foreign_key_list("
                        "'cart_items') WHERE \"table\" = 'books'")
        == 0);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM pragma_foreign_key_list("
                        "'order_items') WHERE \"table\" = 'books'")
        == 0);
  // Still a foreign key to the cart: a user's items go with the user.
  CHECK(query_int(conn, "SELECT COUNT(*) FROM pragma_foreign_key_list("
                        "'cart_items') WHERE \"table\" = 'carts'")
        == 1);
  auto next = storage::insert_cart_item(db, 1, 2, 1);
  CHECK(next.id == 6);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                        " ('order_items_order', 'order_items_book')")
        == 2);
}

TEST_CASE("version 9 keeps a version 8 file's wishlists and pre-bookings, ids "
          "included, and drops only their foreign key to users",
          "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }
  {
    // Version 8's tables as they were, with rows, and the newest wishlist
    // item and pre-booking removed: their ids must not come back.
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(
        "DROP TRIGGER books_soft_delete_lists;"
        " DROP TABLE wishlist_items; DROP TABLE prebooks;"
        " CREATE TABLE wishlist_items (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        "  book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,"
        "  added_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z',"
        "  UNIQUE (user_id, book_id));"
        " CREATE TABLE prebooks (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        "  book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,"
        "  status TEXT NOT NULL DEFAULT 'waiting',"
        "  created_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z',"
        "  notified_at TEXT, cancelled_at TEXT);"
        " CREATE TRIGGER books_soft_delete_lists AFTER UPDATE OF deleted ON"
        "  books WHEN new.deleted = 1 AND old.deleted = 0 BEGIN"
        "  DELETE FROM wishlist_items WHERE book_id = new.id;"
        "  DELETE FROM prebooks WHERE book_id = new.id; END;"
        " INSERT INTO users (id, email, password_hash) VALUES (1, 'a@b.c', "
        "'h');"
        " INSERT INTO books (id, title, author, price_cents, stock_quantity)"
        "  VALUES (1, 'Dune', 'Frank Herbert', 999, 0),"
        "  (2, 'Emma', 'Jane Austen', 799, 0);"
        " INSERT INTO wishlist_items (id, user_id, book_id)"
        "  VALUES (4, 1, 1), (5, 1, 2);"
        " DELETE FROM wishlist_items WHERE id = 5;"
        " INSERT INTO prebooks (id, user_id, book_id) VALUES (7, 1, 1),"
        "  (8, 1, 2);"
        " DELETE FROM prebooks WHERE id = 8;"
        " PRAGMA user_version = 8;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  auto& conn = conn_of(db);
  CHECK(query_int(conn, "SELECT book_id FROM wishlist_items WHERE id = 4")
        == 1);
  CHECK(query_text(conn, "SELECT status FROM prebooks WHERE id = 7")
        == "waiting");
  for (const char* table : {"wishlist_items", "prebooks"}) {
    INFO(table);
    auto fk_to = [&](const char* target) {
      auto& stmt = conn.cached("SELECT COUNT(*) FROM pragma_foreign_key_list(?)"
                               " WHERE \"table\" = ?");
      stmt.bind(1, table).bind(2, target);
      stmt.step();
      auto n = stmt.column_int(0);
      stmt.reset();
      return n;
    };
    CHECK(fk_to("users") == 0);
    CHECK(fk_to("books") == 1); // the book lives on this node
  }
  // The next ids follow the removed ones.
  auto item = storage::add_wishlist_item(db, 1, 2);
  REQUIRE(item);
  CHECK(item->id == 6);
  auto prebook = storage::insert_prebook(db, 1, 2);
  REQUIRE(prebook);
  CHECK(prebook->id == 9);
  // The book trigger still takes both along, and the restock index is back.
  REQUIRE(storage::delete_book(db, 1));
  CHECK(query_int(conn, "SELECT COUNT(*) FROM wishlist_items WHERE book_id = 1")
        == 0);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM prebooks WHERE book_id = 1")
        == 0);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                        " ('wishlist_items_user', 'prebooks_waiting',"
                        " 'prebooks_user', 'prebooks_book_waiting')")
        == 4);
}

TEST_CASE("version 10 keeps a version 9 file's reviews, with their author's "
          "email and purchase, and drops their foreign key to users",
          "[schema]") {
  temp_file file;
  { storage::database db(file.str()); }
  {
    // Version 9's reviews as they were (the rating triggers kept the books'
    // totals): a purchased review, one without a purchase, a deleted one.
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec(
        "DROP TABLE reviews;"
        " CREATE TABLE reviews (id INTEGER PRIMARY KEY,"
        "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        "  book_id INTEGER NOT NULL REFERENCES books(id),"
        "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5), text TEXT,"
        "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
        "  deleted_at INTEGER, UNIQUE (user_id, book_id));"
        " INSERT INTO users (id, email, password_hash) VALUES"
        "  (1, 'ann@example.com', 'h'), (2, 'bo@example.com', 'h');"
        " INSERT INTO books (id, title, author, price_cents, stock_quantity,"
        "  rating_sum, rating_count, rating_version)"
        "  VALUES (1, 'Dune', 'Frank Herbert', 999, 5, 7, 2, 4),"
        "  (2, 'Emma', 'Jane Austen', 799, 5, 0, 0, 2);"
        " INSERT INTO orders (id, user_id, total_cents, created_at)"
        "  VALUES (1, 1, 999, '2026-01-01T00:00:00Z');"
        " INSERT INTO order_items (id, order_id, book_id, quantity,"
        "  unit_price_cents, title, author)"
        "  VALUES (1, 1, 1, 1, 999, 'Dune', 'Frank Herbert');"
        " INSERT INTO reviews (id, user_id, book_id, rating, text, created_at,"
        "  updated_at, deleted_at) VALUES (3, 1, 1, 5, 'Great', 10, 11, NULL),"
        "  (6, 2, 1, 2, NULL, 20, 20, NULL), (9, 2, 2, 4, NULL, 30, 30, 31);"
        // Made after the rows, which came with their totals; version 10
        // drops them and makes them again, so their bodies do not matter.
        " CREATE TRIGGER reviews_rating_insert AFTER INSERT ON reviews"
        "  BEGIN SELECT 1; END;"
        " CREATE TRIGGER reviews_rating_update AFTER UPDATE ON reviews"
        "  BEGIN SELECT 1; END;"
        " CREATE TRIGGER reviews_rating_delete AFTER DELETE ON reviews"
        "  BEGIN SELECT 1; END;"
        " PRAGMA user_version = 9;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  auto& conn = conn_of(db);
  auto ann = storage::find_review(db, 3);
  REQUIRE(ann);
  CHECK(ann->author_email == "ann@example.com");
  CHECK(ann->verified_purchase);
  CHECK(ann->text == "Great");
  CHECK(ann->updated_at == 11);
  auto bo = storage::find_review(db, 6);
  REQUIRE(bo);
  CHECK(bo->author_email == "bo@example.com");
  CHECK_FALSE(bo->verified_purchase);
  CHECK_FALSE(storage::find_review(db, 9)); // still deleted
  CHECK(query_int(conn,
                  "SELECT COUNT(*) FROM pragma_foreign_key_list('reviews')"
                  " WHERE \"table\" = 'users'")
        == 0);
  // Totals untouched by the rebuild; the triggers and indexes are back.
  auto before = storage::book_rating(db, 1);
  CHECK(before.sum == 7);
  CHECK(before.count == 2);
  REQUIRE(storage::soft_delete_review(db, 6, 40));
  auto after = storage::book_rating(db, 1);
  CHECK(after.sum == 5);
  CHECK(after.count == 1);
  CHECK(after.version > before.version);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                        " ('reviews_book_live', 'reviews_live_created',"
                        " 'reviews_rating_insert', 'reviews_rating_update',"
                        " 'reviews_rating_delete')")
        == 5);
  // One review per user and book, for good.
  CHECK_THROWS(storage::insert_review(db, 2, {"bo@example.com", false}, 1, 3,
                                      std::nullopt, 50));
}

TEST_CASE("version 11 adds the ISBN claims to a version 10 file", "[schema]") {
  temp_file file;
  {
    storage::database db(file.str());
    auto book = make_book("Dune", 999);
    book.isbn = "9780441013593";
    storage::insert_book(db, book);
  }
  {
    raw_connection raw(file.str());
    raw.exec(undo_version_11);
    raw.exec("PRAGMA user_version = 10;");
  }
  storage::database db(file.str());
  CHECK(db.schema_version() == storage::latest_schema_version());
  auto& conn = conn_of(db);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM books") == 1);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM isbn_claims") == 0);
  CHECK(query_int(conn, "SELECT COUNT(*) FROM void_isbn_claims") == 0);
}
