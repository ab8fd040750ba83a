// The catalog: genres and books. Books are soft-deleted: a deleted book stays
// in the table for the orders and carts that refer to it, but is no longer
// found, updated or counted against ISBN uniqueness.

#include "storage/database.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

// -- genres -----------------------------------------------------------------

model::genre database::insert_genre(const std::string& name) {
  conn_->cached("INSERT INTO genres (name) VALUES (?)").bind(1, name).run();
  return model::genre{conn_->last_insert_rowid(), name};
}

std::vector<model::genre> database::list_genres() {
  auto& stmt = conn_->cached("SELECT id, name FROM genres ORDER BY name, id");
  reset_on_exit done(stmt);
  std::vector<model::genre> result;
  while (stmt.step() == step_result::row)
    result.push_back(model::genre{stmt.column_int(0), stmt.column_text(1)});
  return result;
}

bool database::genre_exists(model::genre_id id) {
  auto& stmt = conn_->cached("SELECT 1 FROM genres WHERE id = ?").bind(1, id);
  reset_on_exit done(stmt);
  return stmt.step() == step_result::row;
}

// -- books ------------------------------------------------------------------

model::book database::insert_book(const model::book& draft) {
  conn_
      ->cached("INSERT INTO books (title, author, price_cents, isbn, genre_id,"
               " description, cover_image_url, publish_date, stock_quantity)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, draft.title)
      .bind(2, draft.author)
      .bind(3, draft.price)
      .bind(4, draft.isbn)
      .bind(5, draft.genre)
      .bind(6, draft.description)
      .bind(7, draft.cover_image_url)
      .bind(8, draft.publish_date)
      .bind(9, draft.stock_quantity)
      .run();
  model::book result = draft;
  result.id = conn_->last_insert_rowid();
  return result;
}

std::optional<model::book> database::find_book(model::book_id id) {
  auto& stmt =
      conn_
          ->cached(
              "SELECT id, title, author, price_cents, isbn, genre_id,"
              " description, cover_image_url, publish_date, stock_quantity,"
              " rating_sum, rating_count, rating_version"
              " FROM books WHERE id = ? AND deleted = 0")
          .bind(1, id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
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
  book.rating.sum = stmt.column_int(10);
  book.rating.count = stmt.column_int(11);
  book.rating.version = stmt.column_int(12);
  return book;
}

void database::update_book(const model::book& book) {
  // The stock is left alone: it only ever moves by deltas (add_stock,
  // insert_order), so this write cannot undo a concurrent sale.
  conn_
      ->cached("UPDATE books SET title = ?, author = ?, price_cents = ?,"
               " isbn = ?, genre_id = ?, description = ?, cover_image_url = ?,"
               " publish_date = ? WHERE id = ? AND deleted = 0")
      .bind(1, book.title)
      .bind(2, book.author)
      .bind(3, book.price)
      .bind(4, book.isbn)
      .bind(5, book.genre)
      .bind(6, book.description)
      .bind(7, book.cover_image_url)
      .bind(8, book.publish_date)
      .bind(9, book.id)
      .run();
}

bool database::delete_book(model::book_id id) {
  conn_->cached("UPDATE books SET deleted = 1 WHERE id = ? AND deleted = 0")
      .bind(1, id)
      .run();
  return conn_->changes() > 0;
}

void database::add_stock(model::book_id id, std::int64_t delta) {
  // A delta, never an absolute value; the CHECK (stock_quantity >= 0)
  // rejects a result below zero with failure_kind::check.
  conn_
      ->cached(
          "UPDATE books SET stock_quantity = stock_quantity + ? WHERE id = ?")
      .bind(1, delta)
      .bind(2, id)
      .run();
}

} // namespace bookstore::storage
