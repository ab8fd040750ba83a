// The catalog (catalog_queries.hpp): genres, books, and the search of
// GET /books with its filters, word-prefix search, sorts and pages. Every
// search statement is one of a fixed set of texts assembled from fixed
// fragments, so no value ever becomes SQL and the statement cache stays
// small (2 counts, 25 pages and the page's rows by id, for search_cache, at
// most).

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>

#include "storage/catalog_queries.hpp"
#include "storage/fts_query.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

/// A book from the first ten columns of a row, in the order of `columns`
/// below (id, title, author, price_cents, isbn, genre_id, description,
/// cover_image_url, publish_date, stock_quantity); the rating is left out.
model::book read_book(const statement& stmt) {
  model::book book;
  book.id = stmt.column_int(0);
  book.title = stmt.column_text(1);
  book.author = stmt.column_text(2);
  book.price = stmt.column_int(3);
  book.isbn = stmt.column_optional_text(4);
  book.genre = stmt.column_optional_int(5);
  book.description = stmt.column_optional_text(6);
  book.cover_image_url = stmt.column_optional_text(7);
  book.publish_date = stmt.column_optional_text(8);
  book.stock_quantity = stmt.column_int(9);
  return book;
}

// Parameters: ?1 the MATCH expression (search forms only), ?2 the author
// part, ?3 and ?4 the price bounds, ?5 the genre, ?6 LIMIT, ?7 OFFSET. An
// absent filter is bound as NULL and its clause is then always true.
constexpr const char* columns =
    "SELECT b.id, b.title, b.author, b.price_cents, b.isbn, b.genre_id,"
    " b.description, b.cover_image_url, b.publish_date, b.stock_quantity";
constexpr const char* from_books = " FROM books b WHERE ";
constexpr const char* from_search =
    " FROM books_fts JOIN books b ON b.id = books_fts.rowid"
    " WHERE books_fts MATCH ?1 AND ";
// instr() rather than LIKE: the author part is plain text, so % and _ in it
// need no escaping. casefold() (casefold.hpp) ignores case in all of
// Unicode, as the search index does.
constexpr const char* filters =
    "b.deleted = 0"
    " AND (?2 IS NULL OR instr(casefold(b.author), casefold(?2)) > 0)"
    " AND (?3 IS NULL OR b.price_cents >= ?3)"
    " AND (?4 IS NULL OR b.price_cents <= ?4)"
    " AND (?5 IS NULL OR b.genre_id = ?5)";

// Every order ends with the id, so equal keys page deterministically. The id
// tiebreak stays ascending in descending sorts, as in the original backend,
// except for created_at: ids grow with creation, so books created within the
// same second still come newest first.
enum order_index {
  by_id,
  by_id_desc,
  by_title,
  by_title_desc,
  by_price,
  by_price_desc,
  by_date,
  by_date_desc,
  by_created,
  by_created_desc,
  by_rating,
  by_rating_desc,
  by_relevance, // search forms only
  order_count
};
constexpr std::array<const char*, order_count> orders = {
    " ORDER BY b.id",
    " ORDER BY b.id DESC",
    " ORDER BY b.title COLLATE NOCASE, b.id",
    " ORDER BY b.title COLLATE NOCASE DESC, b.id",
    " ORDER BY b.price_cents, b.id",
    " ORDER BY b.price_cents DESC, b.id",
    // Books without a publish date come last in both directions.
    " ORDER BY b.publish_date IS NULL, b.publish_date, b.id",
    " ORDER BY b.publish_date IS NULL, b.publish_date DESC, b.id",
    " ORDER BY b.created_at, b.id",
    " ORDER BY b.created_at DESC, b.id DESC",
    // The unrounded mean the books row keeps (rating_mean, NULL without
    // reviews: those come last in both directions).
    " ORDER BY b.rating_mean IS NULL, b.rating_mean, b.id",
    " ORDER BY b.rating_mean IS NULL, b.rating_mean DESC, b.id",
    // bm25() is lower for better matches.
    " ORDER BY bm25(books_fts), b.id",
};
// The sort value each order selects after the book's columns (book_page::
// keys), and how it orders by it; in order_index order.
constexpr std::array<const char*, order_count> order_keys = {
    ", NULL",
    ", NULL",
    ", b.title",
    ", b.title",
    ", b.price_cents",
    ", b.price_cents",
    ", b.publish_date",
    ", b.publish_date",
    ", b.created_at",
    ", b.created_at",
    ", b.rating_mean",
    ", b.rating_mean",
    ", bm25(books_fts)",
};
constexpr std::array<page_order, order_count> order_rules = {{
    {false, false, false}, // id
    {false, true, false},  // id desc
    {false, false, true},  // title
    {true, false, true},   // title desc
    {false, false, false}, // price
    {true, false, false},  // price desc
    {false, false, false}, // date
    {true, false, false},  // date desc
    {false, false, false}, // created_at
    {true, true, false},   // created_at desc
    {false, false, false}, // rating
    {true, false, false},  // rating desc
    {false, false, false}, // relevance
}};
constexpr const char* page_tail = " LIMIT ?6 OFFSET ?7";

struct statement_texts {
  std::string count[2];                         // [searching]
  std::array<std::string, order_count> page[2]; // [searching][order]
};

const statement_texts& texts() {
  static const statement_texts all = [] {
    statement_texts t;
    for (int searching = 0; searching < 2; ++searching) {
      const std::string from = searching ? from_search : from_books;
      t.count[searching] = "SELECT count(*)" + from + filters;
      for (int order = 0; order < order_count; ++order)
        if (searching || order != by_relevance) // bm25() needs books_fts
          t.page[searching][order] = columns + std::string(order_keys[order])
                                     + from + filters + orders[order]
                                     + page_tail;
    }
    return t;
  }();
  return all;
}

order_index order_of(const book_query& query, bool searching) {
  if (!query.sort) // relevance first when there are words to rank by
    return searching ? by_relevance : query.descending ? by_id_desc : by_id;
  const bool desc = query.descending;
  switch (*query.sort) {
  case book_sort::title:
    return desc ? by_title_desc : by_title;
  case book_sort::price:
    return desc ? by_price_desc : by_price;
  case book_sort::date:
    return desc ? by_date_desc : by_date;
  case book_sort::created_at:
    return desc ? by_created_desc : by_created;
  case book_sort::avg_rating:
    return desc ? by_rating_desc : by_rating;
  }
  return by_id;
}

void bind_filters(statement& stmt, const std::optional<std::string>& match,
                  const book_query& query) {
  if (match)
    stmt.bind(1, *match);
  if (query.author.empty())
    stmt.bind(2, std::nullopt);
  else
    stmt.bind(2, query.author);
  stmt.bind(3, query.min_price);
  stmt.bind(4, query.max_price);
  stmt.bind(5, query.genre);
}

} // namespace

// -- genres -----------------------------------------------------------------

model::genre insert_genre(database& db, const std::string& name) {
  db.conn().cached("INSERT INTO genres (name) VALUES (?)").bind(1, name).run();
  return model::genre{db.conn().last_insert_rowid(), name};
}

void keep_genre(database& db, const model::genre& genre) {
  db.conn()
      .cached("INSERT OR IGNORE INTO genres (id, name) VALUES (?, ?)")
      .bind(1, genre.id)
      .bind(2, genre.name)
      .run();
}

std::vector<model::genre> list_genres(database& db) {
  auto& stmt =
      db.conn().cached("SELECT id, name FROM genres ORDER BY name, id");
  reset_on_exit done(stmt);
  std::vector<model::genre> result;
  while (stmt.step() == step_result::row)
    result.push_back(model::genre{stmt.column_int(0), stmt.column_text(1)});
  return result;
}

bool genre_exists(database& db, model::genre_id id) {
  auto& stmt =
      db.conn().cached("SELECT 1 FROM genres WHERE id = ?").bind(1, id);
  reset_on_exit done(stmt);
  return stmt.step() == step_result::row;
}

// -- books ------------------------------------------------------------------

namespace {

/// Binds a book's editable fields, in the column order INSERT and UPDATE
/// both name them, to ?1..?8.
statement& bind_book_fields(statement& stmt, const model::book& b) {
  return stmt.bind(1, b.title)
      .bind(2, b.author)
      .bind(3, b.price)
      .bind(4, b.isbn)
      .bind(5, b.genre)
      .bind(6, b.description)
      .bind(7, b.cover_image_url)
      .bind(8, b.publish_date);
}

} // namespace

model::book insert_book(database& db, const model::book& draft) {
  auto id = db.next_id(id_table::books);
  auto& stmt = db.conn().cached(
      "INSERT INTO books (title, author, price_cents, isbn, genre_id,"
      " description, cover_image_url, publish_date, stock_quantity, id)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_book_fields(stmt, draft)
      .bind(9, draft.stock_quantity)
      .bind(10, id)
      .run();
  model::book result = draft;
  result.id = id;
  return result;
}

std::optional<model::book> find_book(database& db, model::book_id id) {
  auto& stmt =
      db.conn()
          .cached("SELECT id, title, author, price_cents, isbn, genre_id,"
                  " description, cover_image_url, publish_date, stock_quantity,"
                  " rating_sum, rating_count, rating_version"
                  " FROM books WHERE id = ? AND deleted = 0")
          .bind(1, id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  auto book = read_book(stmt);
  book.rating.sum = stmt.column_int(10);
  book.rating.count = stmt.column_int(11);
  book.rating.version = stmt.column_int(12);
  return book;
}

void update_book(database& db, const model::book& book) {
  // The stock is left alone: it only ever moves by deltas (add_stock,
  // insert_order), so this write cannot undo a concurrent sale.
  auto& stmt = db.conn().cached(
      "UPDATE books SET title = ?, author = ?, price_cents = ?,"
      " isbn = ?, genre_id = ?, description = ?, cover_image_url = ?,"
      " publish_date = ? WHERE id = ? AND deleted = 0");
  bind_book_fields(stmt, book).bind(9, book.id).run();
}

bool delete_book(database& db, model::book_id id) {
  db.conn()
      .cached("UPDATE books SET deleted = 1 WHERE id = ? AND deleted = 0")
      .bind(1, id)
      .run();
  return db.conn().changes() > 0;
}

void add_stock(database& db, model::book_id id, std::int64_t delta) {
  // A delta, never an absolute value; the CHECK (stock_quantity >= 0)
  // rejects a result below zero with failure_kind::check.
  db.conn()
      .cached(
          "UPDATE books SET stock_quantity = stock_quantity + ? WHERE id = ?")
      .bind(1, delta)
      .bind(2, id)
      .run();
}

model::book_summary read_book_summary(const statement& stmt, int first,
                                      model::book_id id) {
  model::book_summary summary;
  summary.id = id;
  summary.title = stmt.column_text(first);
  summary.author = stmt.column_text(first + 1);
  summary.cover_image_url = stmt.column_optional_text(first + 2);
  summary.price = stmt.column_int(first + 3);
  return summary;
}

// -- search -----------------------------------------------------------------

book_page search_books(database& db, const book_query& query) {
  auto& conn = db.conn();
  const auto match = fts_match_expression(conn, query.q);
  const int searching = match ? 1 : 0;
  // The gateway validates page and size; out of range values are clamped
  // here rather than handed to SQLite (a negative LIMIT means no limit).
  // A window is a cluster's merge of every node's first matches: as many
  // as the page asked of the whole cluster needs.
  const std::int64_t page =
      query.window > 0 ? 1 : std::max<std::int64_t>(query.page, 1);
  const std::int64_t size = query.window > 0
                                ? query.window
                                : std::clamp<std::int64_t>(query.size, 1, 100);

  book_page result;
  const auto order = order_of(query, match.has_value());
  // Also for an empty page: a cluster merges parts by it (sort_order.hpp).
  result.order = order_rules[order];
  {
    auto& count = conn.cached(texts().count[searching].c_str());
    reset_on_exit done(count);
    bind_filters(count, match, query);
    count.step();
    result.total = count.column_int(0);
  }

  // (page - 1) * size must not overflow: a page that far out is empty.
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (page - 1 > max / size || (page - 1) * size >= result.total)
    return result;
  const std::int64_t offset = (page - 1) * size;

  auto& rows = conn.cached(texts().page[searching][order].c_str());
  reset_on_exit done(rows);
  bind_filters(rows, match, query);
  rows.bind(6, size);
  rows.bind(7, offset);
  while (rows.step() == step_result::row) {
    result.items.push_back(read_book(rows));
    if (query.window > 0)
      result.keys.push_back(rows.column_value(10));
  }
  return result;
}

std::int64_t catalog_version(database& db) {
  auto& stmt = db.conn().cached("SELECT n FROM catalog_version WHERE id = 1");
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    throw error(failure_kind::other, SQLITE_CORRUPT, "catalog_version: no row");
  return stmt.column_int(0);
}

std::vector<model::book> books_by_ids(database& db,
                                      const std::vector<model::book_id>& ids) {
  static const std::string text =
      std::string(columns) + " FROM books b WHERE b.id = ?1 AND b.deleted = 0";
  auto& stmt = db.conn().cached(text.c_str());
  std::vector<model::book> result;
  result.reserve(ids.size());
  for (auto id : ids) {
    reset_on_exit done(stmt);
    stmt.bind(1, id);
    if (stmt.step() == step_result::row)
      result.push_back(read_book(stmt));
  }
  return result;
}

} // namespace bookstore::storage
