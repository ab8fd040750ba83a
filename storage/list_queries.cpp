// Wishlists and pre-bookings; the restock that notifies pre-bookings.

#include "storage/list_queries.hpp"

#include "storage/catalog_queries.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

model::wishlist_item wishlist_row(const statement& stmt) {
  model::wishlist_item item;
  item.id = stmt.column_int(0);
  item.owner = stmt.column_int(1);
  item.book = stmt.column_int(2);
  item.added_at = stmt.column_text(3);
  item.summary = read_book_summary(stmt, 4, item.book);
  item.stock_quantity = stmt.column_int(8);
  return item;
}

model::prebook prebook_row(const statement& stmt) {
  model::prebook p;
  p.id = stmt.column_int(0);
  p.owner = stmt.column_int(1);
  p.book = stmt.column_int(2);
  p.book_title = stmt.column_text(3);
  p.book_author = stmt.column_text(4);
  p.status = model::parse_prebook_status(stmt.column_text(5))
                 .value_or(model::prebook_status::waiting);
  p.created_at = stmt.column_text(6);
  p.notified_at = stmt.column_optional_text(7);
  p.cancelled_at = stmt.column_optional_text(8);
  return p;
}

} // namespace

std::optional<model::wishlist_item>
add_wishlist_item(database& db, model::user_id user, model::book_id book) {
  const auto id = db.next_id(id_table::wishlist_items);
  auto& conn = db.conn();
  conn.cached("INSERT INTO wishlist_items (id, user_id, book_id)"
              " SELECT ?, ?, id FROM books WHERE id = ? AND deleted = 0")
      .bind(1, id)
      .bind(2, user)
      .bind(3, book)
      .run();
  if (conn.changes() == 0)
    return std::nullopt;
  auto& stmt =
      conn.cached("SELECT w.id, w.user_id, w.book_id, w.added_at, b.title,"
                  " b.author, b.cover_image_url, b.price_cents,"
                  " b.stock_quantity FROM wishlist_items w"
                  " JOIN books b ON b.id = w.book_id WHERE w.id = ?")
          .bind(1, id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return wishlist_row(stmt);
}

std::vector<model::wishlist_item> list_wishlist(database& db,
                                                model::user_id user) {
  auto& stmt =
      db.conn()
          .cached("SELECT w.id, w.user_id, w.book_id, w.added_at,"
                  " b.title, b.author, b.cover_image_url, b.price_cents,"
                  " b.stock_quantity FROM wishlist_items w"
                  " JOIN books b ON b.id = w.book_id"
                  " WHERE w.user_id = ? AND b.deleted = 0"
                  " ORDER BY w.added_at DESC, w.id DESC")
          .bind(1, user);
  reset_on_exit done(stmt);
  std::vector<model::wishlist_item> items;
  while (stmt.step() == step_result::row)
    items.push_back(wishlist_row(stmt));
  return items;
}

bool remove_wishlist_item(database& db, model::user_id user,
                          model::book_id book) {
  auto& conn = db.conn();
  conn.cached("DELETE FROM wishlist_items WHERE user_id = ? AND book_id = ?")
      .bind(1, user)
      .bind(2, book)
      .run();
  return conn.changes() > 0;
}

std::optional<model::prebook> insert_prebook(database& db, model::user_id user,
                                             model::book_id book) {
  const auto id = db.next_id(id_table::prebooks);
  auto& conn = db.conn();
  conn.cached("INSERT INTO prebooks (id, user_id, book_id)"
              " SELECT ?, ?, id FROM books WHERE id = ? AND deleted = 0")
      .bind(1, id)
      .bind(2, user)
      .bind(3, book)
      .run();
  if (conn.changes() == 0)
    return std::nullopt;
  return find_prebook(db, id);
}

std::optional<model::prebook> find_prebook(database& db, model::prebook_id id) {
  auto& stmt = db.conn()
                   .cached("SELECT p.id, p.user_id, p.book_id, b.title,"
                           " b.author, p.status, p.created_at, p.notified_at,"
                           " p.cancelled_at FROM prebooks p"
                           " JOIN books b ON b.id = p.book_id WHERE p.id = ?")
                   .bind(1, id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return prebook_row(stmt);
}

std::vector<model::prebook> list_prebooks(database& db, model::user_id user) {
  auto& stmt = db.conn()
                   .cached("SELECT p.id, p.user_id, p.book_id, b.title,"
                           " b.author, p.status, p.created_at, p.notified_at,"
                           " p.cancelled_at FROM prebooks p"
                           " JOIN books b ON b.id = p.book_id"
                           " WHERE p.user_id = ?"
                           " ORDER BY p.created_at DESC, p.id DESC")
                   .bind(1, user);
  reset_on_exit done(stmt);
  std::vector<model::prebook> items;
  while (stmt.step() == step_result::row)
    items.push_back(prebook_row(stmt));
  return items;
}

model::error_code cancel_prebook(database& db, model::user_id user,
                                 model::prebook_id id) {
  auto found = find_prebook(db, id);
  // Another user's is answered as nobody's: its existence is not revealed.
  if (!found || found->owner != user)
    return model::error_code::prebook_not_found;
  if (auto refusal = model::cancel_refusal(found->status);
      refusal != model::error_code::none)
    return refusal;
  db.conn()
      .cached("UPDATE prebooks SET status = 'cancelled', cancelled_at ="
              " strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?")
      .bind(1, id)
      .run();
  return model::error_code::none;
}

std::int64_t restock_book(database& db, model::book_id book,
                          std::int64_t delta) {
  auto& conn = db.conn();
  std::int64_t before = 0;
  {
    auto& stmt = conn.cached("SELECT stock_quantity FROM books WHERE id = ?")
                     .bind(1, book);
    reset_on_exit done(stmt);
    if (stmt.step() == step_result::row)
      before = stmt.column_int(0);
  }
  add_stock(db, book, delta); // throws failure_kind::check below zero
  if (!model::restock_notifies(before, before + delta))
    return 0;
  conn.cached("UPDATE prebooks SET status = 'notified', notified_at ="
              " strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
              " WHERE book_id = ? AND status = 'waiting'")
      .bind(1, book)
      .run();
  return conn.changes();
}

} // namespace bookstore::storage
