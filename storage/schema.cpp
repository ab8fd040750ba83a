#include "storage/schema.hpp"

#include <iterator>
#include <string>

#include "storage/sqlite.hpp"
#include "storage/transaction.hpp"

namespace bookstore::storage {

namespace {

struct migration {
  int version;
  // Ends by setting PRAGMA user_version to `version` itself, so the version
  // number is part of the fixed SQL and never spliced in at run time.
  const char* sql;
};

// Append only: a migration that has shipped is never edited, since files in
// the field already ran it. Timestamps default to ISO 8601 UTC with a Z.
constexpr migration migrations[] = {
    {1, R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE refresh_tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  family     TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- Revoking a whole family on token reuse looks the family up.
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);

CREATE TABLE genres (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

-- Books are never removed, only marked deleted: orders and carts keep
-- referring to them.
CREATE TABLE books (
  id              INTEGER PRIMARY KEY,
  title           TEXT NOT NULL,
  author          TEXT NOT NULL,
  price_cents     INTEGER NOT NULL CHECK (price_cents > 0),
  isbn            TEXT,
  genre_id        INTEGER REFERENCES genres(id) ON DELETE SET NULL,
  description     TEXT,
  cover_image_url TEXT,
  publish_date    TEXT,
  stock_quantity  INTEGER NOT NULL DEFAULT 0 CHECK (stock_quantity >= 0),
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- An ISBN is unique among live books only, so a deleted book's ISBN can be
-- used again.
CREATE UNIQUE INDEX books_isbn_live ON books(isbn)
  WHERE deleted = 0 AND isbn IS NOT NULL;
CREATE INDEX books_genre ON books(genre_id);

CREATE TABLE carts (
  id      INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE
);

-- AUTOINCREMENT: a removed item's id is never handed out again, so a stale
-- client request can never hit a newer item.
CREATE TABLE cart_items (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  cart_id    INTEGER NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
  book_id    INTEGER NOT NULL REFERENCES books(id),
  quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (cart_id, book_id)
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  status      TEXT NOT NULL DEFAULT 'confirmed',
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  created_at  TEXT NOT NULL
);
-- A user's orders, newest first.
CREATE INDEX orders_user ON orders(user_id, id);

-- Title and author as sold; the unit price is the price when reserved.
CREATE TABLE order_items (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  book_id          INTEGER NOT NULL REFERENCES books(id),
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  title            TEXT NOT NULL,
  author           TEXT NOT NULL
);
CREATE INDEX order_items_order ON order_items(order_id);
CREATE INDEX order_items_book ON order_items(book_id);

CREATE TABLE idempotency_records (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  status     INTEGER NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);

PRAGMA user_version = 1;
)sql"},
    {2, R"sql(
-- Small named values the program keeps across restarts (the generated JWT
-- secret).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Word-prefix search over title and author (GET /books?q=). An external
-- content table: the words are indexed, the text stays in books. Soft-deleted
-- books stay indexed; searches join books and keep deleted = 0 only.
-- unicode61 folds case for all of Unicode; diacritics are kept, so a word
-- matches only what it spells ("cafe" does not find "Café").
CREATE VIRTUAL TABLE books_fts USING fts5(
  title, author,
  content = 'books', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO books_fts (books_fts) VALUES ('rebuild');

-- Keep the index in step with books. An external content index forgets a
-- row only when told the exact text it indexed, hence old.title, old.author.
CREATE TRIGGER books_fts_insert AFTER INSERT ON books BEGIN
  INSERT INTO books_fts (rowid, title, author)
    VALUES (new.id, new.title, new.author);
END;
CREATE TRIGGER books_fts_update AFTER UPDATE OF title, author ON books BEGIN
  INSERT INTO books_fts (books_fts, rowid, title, author)
    VALUES ('delete', old.id, old.title, old.author);
  INSERT INTO books_fts (rowid, title, author)
    VALUES (new.id, new.title, new.author);
END;
-- Books are only ever soft-deleted; this covers a hard delete all the same.
CREATE TRIGGER books_fts_delete AFTER DELETE ON books BEGIN
  INSERT INTO books_fts (books_fts, rowid, title, author)
    VALUES ('delete', old.id, old.title, old.author);
END;

-- Catalog sorts with a small LIMIT can walk these instead of sorting every
-- match (the rowid, i.e. the id tiebreak, ends every index).
CREATE INDEX books_price ON books(price_cents);
CREATE INDEX books_created ON books(created_at);
CREATE INDEX books_title_nocase ON books(title COLLATE NOCASE);

-- Sales reports select orders by time window.
CREATE INDEX orders_created ON orders(created_at);

-- Purging expired records deletes by age.
CREATE INDEX idempotency_records_created ON idempotency_records(created_at);

PRAGMA user_version = 2;
)sql"},
    {3, R"sql(
-- A 201's record names its order and is written in the order's own
-- transaction, with an empty body that the gateway fills in next. If a crash
-- came between, the order as read on replay is the answer.
-- (Orders are never deleted, so no foreign key is needed.)
ALTER TABLE idempotency_records ADD COLUMN order_id INTEGER;

PRAGMA user_version = 3;
)sql"},
    {4, R"sql(
-- Reviews (API.md "Reviews"). One per user and book for good: a deleted
-- review keeps its row (deleted_at set) and still holds the unique key.
-- Times are integer microseconds since the epoch (UTC); updated_at grows
-- strictly with every change of one review.
CREATE TABLE reviews (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  book_id    INTEGER NOT NULL REFERENCES books(id),
  rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text       TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  UNIQUE (user_id, book_id)
);
-- A book's live reviews, newest first; the moderation list, newest first.
CREATE INDEX reviews_book_live ON reviews(book_id, created_at, id)
  WHERE deleted_at IS NULL;
CREATE INDEX reviews_live_created ON reviews(created_at, id)
  WHERE deleted_at IS NULL;

-- Each book carries the sum and count of its live ratings, kept by the
-- triggers below in the transaction of every review write, so neither a
-- book page nor a sort by rating ever aggregates reviews. rating_version
-- grows with every change: a book actor keeps the newest it has seen.
ALTER TABLE books ADD COLUMN rating_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE books ADD COLUMN rating_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE books ADD COLUMN rating_version INTEGER NOT NULL DEFAULT 0;
-- The unrounded mean, NULL without reviews (GET /books?sort=avg_rating).
ALTER TABLE books ADD COLUMN rating_mean REAL GENERATED ALWAYS AS
  (CASE WHEN rating_count > 0 THEN CAST(rating_sum AS REAL) / rating_count END)
  VIRTUAL;
-- sort=avg_rating walks one of these (live books only; those without
-- reviews at the end, the rowid as the id tiebreak), so the storefront's
-- "top rated" page reads a handful of rows, not the catalog.
CREATE INDEX books_rating_asc ON books((rating_mean IS NULL), rating_mean)
  WHERE deleted = 0;
CREATE INDEX books_rating_desc
  ON books((rating_mean IS NULL), rating_mean DESC) WHERE deleted = 0;

CREATE TRIGGER reviews_rating_insert AFTER INSERT ON reviews
  WHEN new.deleted_at IS NULL BEGIN
  UPDATE books SET rating_sum = rating_sum + new.rating,
                   rating_count = rating_count + 1,
                   rating_version = rating_version + 1
    WHERE id = new.book_id;
END;
CREATE TRIGGER reviews_rating_update AFTER UPDATE OF rating, deleted_at
  ON reviews BEGIN
  UPDATE books SET
    rating_sum = rating_sum
      - (CASE WHEN old.deleted_at IS NULL THEN old.rating ELSE 0 END)
      + (CASE WHEN new.deleted_at IS NULL THEN new.rating ELSE 0 END),
    rating_count = rating_count
      - (old.deleted_at IS NULL) + (new.deleted_at IS NULL),
    rating_version = rating_version + 1
    WHERE id = new.book_id;
END;
CREATE TRIGGER reviews_rating_delete AFTER DELETE ON reviews
  WHEN old.deleted_at IS NULL BEGIN
  UPDATE books SET rating_sum = rating_sum - old.rating,
                   rating_count = rating_count - 1,
                   rating_version = rating_version + 1
    WHERE id = old.book_id;
END;

PRAGMA user_version = 4;
)sql"},
    {5, R"sql(
-- Wishlists: one item per user and book, whatever the book's stock.
CREATE TABLE wishlist_items (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  book_id  INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (user_id, book_id)
);
-- A user's list, newest first (the id breaks ties of one second).
CREATE INDEX wishlist_items_user ON wishlist_items(user_id, added_at, id);

-- Pre-bookings of out-of-stock books. A user has at most one waiting per
-- book; notified and cancelled ones are history and block nothing.
CREATE TABLE prebooks (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  book_id      INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
  status       TEXT NOT NULL DEFAULT 'waiting'
                 CHECK (status IN ('waiting', 'notified', 'cancelled')),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  notified_at  TEXT,
  cancelled_at TEXT
);
CREATE UNIQUE INDEX prebooks_waiting ON prebooks(user_id, book_id)
  WHERE status = 'waiting';
CREATE INDEX prebooks_user ON prebooks(user_id, created_at, id);
-- A restock finds the waiting ones of its book.
CREATE INDEX prebooks_book_waiting ON prebooks(book_id) WHERE status = 'waiting';

-- Books are soft-deleted: deleting one unlists it from every wishlist and
-- drops its pre-bookings, as the original's ON DELETE CASCADE did.
CREATE TRIGGER books_soft_delete_lists AFTER UPDATE OF deleted ON books
  WHEN new.deleted = 1 AND old.deleted = 0
BEGIN
  DELETE FROM wishlist_items WHERE book_id = new.id;
  DELETE FROM prebooks WHERE book_id = new.id;
END;

PRAGMA user_version = 5;
)sql"},
    {6, R"sql(
-- Admin users: an account can be deactivated (and reactivated). Existing
-- accounts stay active. The admin listing filters by role and activity and
-- sorts newest first.
ALTER TABLE users ADD COLUMN is_active INTEGER NOT NULL DEFAULT 1
  CHECK (is_active IN (0, 1));
CREATE INDEX users_listing ON users(role, is_active, created_at, id);
CREATE INDEX users_created ON users(created_at, id);

PRAGMA user_version = 6;
)sql"},
    {7, R"sql(
-- A number that grows with every change a catalog search's answer can
-- depend on, other than stock: a book added or deleted, a searchable,
-- filterable or sortable field, a rating. Readers keep the ids and total a
-- search found under it (search_cache.hpp) and read only those rows again
-- while it holds, so sales, which move stock alone, leave it be.
CREATE TABLE catalog_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO catalog_version (id, n) VALUES (1, 0);
CREATE TRIGGER catalog_version_insert AFTER INSERT ON books BEGIN
  UPDATE catalog_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_version_update AFTER UPDATE OF
  title, author, price_cents, isbn, genre_id, description, cover_image_url,
  publish_date, created_at, deleted, rating_sum, rating_count ON books BEGIN
  UPDATE catalog_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_version_delete AFTER DELETE ON books BEGIN
  UPDATE catalog_version SET n = n + 1 WHERE id = 1;
END;

PRAGMA user_version = 7;
)sql"},
    {8, R"sql(
-- A cluster (API.md, "Cluster"): a user's rows live on the user's node and
-- may name books that live on another node's file, so cart and order items
-- keep their book_id without a foreign key to this file's books. The book's
-- own actor, on its owner, checks that it exists before a line is written.
-- SQLite cannot drop a constraint: both tables are rebuilt.
CREATE TABLE cart_items_v8 (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  cart_id    INTEGER NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
  book_id    INTEGER NOT NULL,
  quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (cart_id, book_id)
);
INSERT INTO cart_items_v8 (id, cart_id, book_id, quantity, created_at)
  SELECT id, cart_id, book_id, quantity, created_at FROM cart_items;
-- A removed item's id is never handed out again, also after the rebuild.
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE(
    (SELECT seq FROM sqlite_sequence WHERE name = 'cart_items'), 0))
  WHERE name = 'cart_items_v8';
DROP TABLE cart_items;
ALTER TABLE cart_items_v8 RENAME TO cart_items;

CREATE TABLE order_items_v8 (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  book_id          INTEGER NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  title            TEXT NOT NULL,
  author           TEXT NOT NULL
);
INSERT INTO order_items_v8 SELECT id, order_id, book_id, quantity,
  unit_price_cents, title, author FROM order_items;
DROP TABLE order_items;
ALTER TABLE order_items_v8 RENAME TO order_items;
CREATE INDEX order_items_order ON order_items(order_id);
CREATE INDEX order_items_book ON order_items(book_id);

-- A checkout across nodes, on the book's owner: copies of a book taken off
-- its stock for a checkout whose cart lives on node `coordinator`, until
-- that node's decision is known. Committed: the row goes and the stock
-- stays taken; aborted: the row goes and the copies come back, in one
-- transaction, so each happens exactly once per (transfer, book).
CREATE TABLE prepared_transfers (
  transfer_id INTEGER NOT NULL,
  book_id     INTEGER NOT NULL REFERENCES books(id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  coordinator INTEGER NOT NULL CHECK (coordinator >= 0),
  prepared_at INTEGER NOT NULL,
  PRIMARY KEY (transfer_id, book_id)
);

-- The decision of a checkout across nodes, on the cart's owner, written in
-- the order's transaction: a transfer with a row here committed; one
-- without, once its checkout has ended, did not.
CREATE TABLE transfer_decisions (
  transfer_id INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders(id)
);

PRAGMA user_version = 8;
)sql"},
    {9, R"sql(
-- A cluster (API.md, "Cluster"): wishlist items and pre-bookings live on
-- their book's node, beside the book they list and the stock whose restock
-- notifies them (in that change's own transaction), and may name a user of
-- another node's file: no foreign key to this file's users. The user's
-- node checks the account before a row is written; a user's lists are
-- gathered from every node. Both tables are rebuilt (SQLite cannot drop a
-- constraint), ids and the sequence kept; the book trigger, which names
-- them, is made again after.
DROP TRIGGER books_soft_delete_lists;

CREATE TABLE wishlist_items_v9 (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id  INTEGER NOT NULL,
  book_id  INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (user_id, book_id)
);
INSERT INTO wishlist_items_v9 (id, user_id, book_id, added_at)
  SELECT id, user_id, book_id, added_at FROM wishlist_items;
-- An id once handed out is never handed out again, also after the rebuild
-- (the rows of the highest ids may be gone).
DELETE FROM sqlite_sequence WHERE name = 'wishlist_items_v9';
INSERT INTO sqlite_sequence (name, seq) SELECT 'wishlist_items_v9', MAX(
    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'wishlist_items'), 0),
    COALESCE((SELECT MAX(id) FROM wishlist_items_v9), 0));
DROP TABLE wishlist_items;
ALTER TABLE wishlist_items_v9 RENAME TO wishlist_items;
CREATE INDEX wishlist_items_user ON wishlist_items(user_id, added_at, id);

CREATE TABLE prebooks_v9 (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      INTEGER NOT NULL,
  book_id      INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
  status       TEXT NOT NULL DEFAULT 'waiting'
                 CHECK (status IN ('waiting', 'notified', 'cancelled')),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  notified_at  TEXT,
  cancelled_at TEXT
);
INSERT INTO prebooks_v9 (id, user_id, book_id, status, created_at,
                         notified_at, cancelled_at)
  SELECT id, user_id, book_id, status, created_at, notified_at, cancelled_at
  FROM prebooks;
DELETE FROM sqlite_sequence WHERE name = 'prebooks_v9';
INSERT INTO sqlite_sequence (name, seq) SELECT 'prebooks_v9', MAX(
    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'prebooks'), 0),
    COALESCE((SELECT MAX(id) FROM prebooks_v9), 0));
DROP TABLE prebooks;
ALTER TABLE prebooks_v9 RENAME TO prebooks;
CREATE UNIQUE INDEX prebooks_waiting ON prebooks(user_id, book_id)
  WHERE status = 'waiting';
CREATE INDEX prebooks_user ON prebooks(user_id, created_at, id);
CREATE INDEX prebooks_book_waiting ON prebooks(book_id) WHERE status = 'waiting';

CREATE TRIGGER books_soft_delete_lists AFTER UPDATE OF deleted ON books
  WHEN new.deleted = 1 AND old.deleted = 0
BEGIN
  DELETE FROM wishlist_items WHERE book_id = new.id;
  DELETE FROM prebooks WHERE book_id = new.id;
END;

PRAGMA user_version = 9;
)sql"},
    {10, R"sql(
-- A cluster (API.md, "Cluster"): a review lives on its book's node, beside
-- the book whose rating totals its triggers keep in the review's own
-- transaction, and may be by a user of another node's file: no foreign key
-- to users. What it shows of its author is kept in its row, as the
-- author's file told it when the review was written: the email (the
-- display name) and whether a confirmed order of theirs held the book
-- (orders never leave 'confirmed', so that stays true). The table is
-- rebuilt (SQLite cannot drop a constraint); its indexes and triggers,
-- which go with the old table, are made again.
DROP TRIGGER reviews_rating_insert;
DROP TRIGGER reviews_rating_update;
DROP TRIGGER reviews_rating_delete;

CREATE TABLE reviews_v10 (
  id                INTEGER PRIMARY KEY,
  user_id           INTEGER NOT NULL,
  book_id           INTEGER NOT NULL REFERENCES books(id),
  rating            INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text              TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  deleted_at        INTEGER,
  author_email      TEXT NOT NULL,
  verified_purchase INTEGER NOT NULL,
  UNIQUE (user_id, book_id)
);
INSERT INTO reviews_v10 (id, user_id, book_id, rating, text, created_at,
                         updated_at, deleted_at, author_email,
                         verified_purchase)
  SELECT r.id, r.user_id, r.book_id, r.rating, r.text, r.created_at,
         r.updated_at, r.deleted_at, coalesce(u.email, ''),
         EXISTS (SELECT 1 FROM orders o JOIN order_items i
                 ON i.order_id = o.id WHERE o.user_id = r.user_id
                 AND i.book_id = r.book_id AND o.status = 'confirmed')
  FROM reviews r LEFT JOIN users u ON u.id = r.user_id;
DROP TABLE reviews;
ALTER TABLE reviews_v10 RENAME TO reviews;
CREATE INDEX reviews_book_live ON reviews(book_id, created_at, id)
  WHERE deleted_at IS NULL;
CREATE INDEX reviews_live_created ON reviews(created_at, id)
  WHERE deleted_at IS NULL;

CREATE TRIGGER reviews_rating_insert AFTER INSERT ON reviews
  WHEN new.deleted_at IS NULL BEGIN
  UPDATE books SET rating_sum = rating_sum + new.rating,
                   rating_count = rating_count + 1,
                   rating_version = rating_version + 1
    WHERE id = new.book_id;
END;
CREATE TRIGGER reviews_rating_update AFTER UPDATE OF rating, deleted_at
  ON reviews BEGIN
  UPDATE books SET
    rating_sum = rating_sum
      - (CASE WHEN old.deleted_at IS NULL THEN old.rating ELSE 0 END)
      + (CASE WHEN new.deleted_at IS NULL THEN new.rating ELSE 0 END),
    rating_count = rating_count
      - (old.deleted_at IS NULL) + (new.deleted_at IS NULL),
    rating_version = rating_version + 1
    WHERE id = new.book_id;
END;
CREATE TRIGGER reviews_rating_delete AFTER DELETE ON reviews
  WHEN old.deleted_at IS NULL BEGIN
  UPDATE books SET rating_sum = rating_sum - old.rating,
                   rating_count = rating_count - 1,
                   rating_version = rating_version + 1
    WHERE id = old.book_id;
END;

PRAGMA user_version = 10;
)sql"},
    {11, R"sql(
-- A cluster (API.md, "Cluster"): one live book per ISBN. A new book is made
-- on the node its ISBN hashes to, so that node's unique index decides; a
-- book of another node that takes an ISBN (PUT) first claims it there.
-- isbn_claims, on the ISBN's node: which other node's book may hold it,
-- under which token. void_isbn_claims, on the book's node: the tokens of
-- claims found stale (the book did not hold the ISBN when asked), which a
-- late update under that token must then refuse (gateway/api/isbn_claims).
CREATE TABLE isbn_claims (
  isbn    TEXT PRIMARY KEY,
  book_id INTEGER NOT NULL,
  token   TEXT NOT NULL
);
CREATE TABLE void_isbn_claims (
  token TEXT PRIMARY KEY
);

PRAGMA user_version = 11;
)sql"},
};

constexpr int latest = static_cast<int>(std::size(migrations));

} // namespace

int latest_schema_version() {
  return latest;
}

int schema_version(connection& conn) {
  auto& stmt = conn.cached("PRAGMA user_version");
  reset_on_exit done(stmt);
  stmt.step();
  return static_cast<int>(stmt.column_int(0));
}

namespace {

void reject_newer(int version) {
  if (version > latest)
    throw error(failure_kind::other, 0,
                "schema version " + std::to_string(version)
                    + " is newer than this program's "
                    + std::to_string(latest));
}

} // namespace

int migrate(connection& conn) {
  // Checked outside a transaction first: an up to date file, the usual case,
  // then never waits for the write lock.
  int version = schema_version(conn);
  reject_newer(version);
  if (version == latest)
    return version;

  transaction tx(conn);
  // Read again under the write lock: another process may have migrated.
  version = schema_version(conn);
  reject_newer(version);
  for (const auto& step : migrations) {
    if (step.version <= version)
      continue;
    conn.exec(step.sql);
    version = schema_version(conn);
    if (version != step.version)
      throw error(failure_kind::other, 0,
                  "migration " + std::to_string(step.version)
                      + " did not set user_version");
  }
  tx.commit();
  return version;
}

void require_latest_schema(connection& conn) {
  const int version = schema_version(conn);
  if (version != latest)
    throw error(failure_kind::other, 0,
                "schema version " + std::to_string(version) + ", expected "
                    + std::to_string(latest)
                    + " (a read-only file cannot be migrated)");
}

} // namespace bookstore::storage
