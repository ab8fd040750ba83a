// Carts (cart_queries.hpp): their lines, and the reads of GET /cart and of
// the ownership check of item requests.

#include "storage/cart_queries.hpp"

#include "storage/catalog_queries.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

std::vector<model::cart_line> load_cart(database& db, model::user_id owner) {
  auto& stmt = db.conn()
                   .cached("SELECT i.id, i.book_id, i.quantity"
                           " FROM cart_items i JOIN carts c ON c.id = i.cart_id"
                           " WHERE c.user_id = ? ORDER BY i.id")
                   .bind(1, owner);
  reset_on_exit done(stmt);
  std::vector<model::cart_line> lines;
  while (stmt.step() == step_result::row)
    lines.push_back(model::cart_line{stmt.column_int(0), stmt.column_int(1),
                                     stmt.column_int(2)});
  return lines;
}

model::cart_line insert_cart_item(database& db, model::user_id owner,
                                  model::book_id book, std::int64_t quantity) {
  // The cart row is made on first use; an unknown user fails here with
  // failure_kind::foreign_key.
  db.conn()
      .cached("INSERT INTO carts (user_id) VALUES (?)"
              " ON CONFLICT (user_id) DO NOTHING")
      .bind(1, owner)
      .run();
  // The id is of this file's id space: in a cluster it names the node of
  // the user whose cart holds it (routes_cart.cpp asks that node).
  const auto id = db.next_id(id_table::cart_items);
  db.conn()
      .cached("INSERT INTO cart_items (id, cart_id, book_id, quantity)"
              " SELECT ?, id, ?, ? FROM carts WHERE user_id = ?")
      .bind(1, id)
      .bind(2, book)
      .bind(3, quantity)
      .bind(4, owner)
      .run();
  if (db.conn().changes() != 1) // cannot happen: the cart was made just above
    throw error(failure_kind::other, 0, "cart row missing");
  return model::cart_line{id, book, quantity};
}

void update_cart_item(database& db, model::cart_item_id item,
                      std::int64_t quantity) {
  db.conn()
      .cached("UPDATE cart_items SET quantity = ? WHERE id = ?")
      .bind(1, quantity)
      .bind(2, item)
      .run();
}

void delete_cart_item(database& db, model::cart_item_id item) {
  db.conn().cached("DELETE FROM cart_items WHERE id = ?").bind(1, item).run();
}

std::vector<cart_view_line> cart_view(database& db, model::user_id owner) {
  // Books are never removed, only marked deleted, and a deleted book's line
  // still shows (checkout refuses it). A line without a book row here is of
  // another node's book (a cluster).
  auto& stmt =
      db.conn()
          .cached("SELECT i.id, i.book_id, i.quantity, b.title, b.author,"
                  " b.cover_image_url, b.price_cents, b.id IS NOT NULL"
                  " FROM cart_items i JOIN carts c ON c.id = i.cart_id"
                  " LEFT JOIN books b ON b.id = i.book_id"
                  " WHERE c.user_id = ? ORDER BY i.id")
          .bind(1, owner);
  reset_on_exit done(stmt);
  std::vector<cart_view_line> lines;
  while (stmt.step() == step_result::row) {
    cart_view_line line;
    line.line.id = stmt.column_int(0);
    line.line.book = stmt.column_int(1);
    line.line.quantity = stmt.column_int(2);
    line.here = stmt.column_int(7) != 0;
    if (line.here)
      line.book = read_book_summary(stmt, 3, line.line.book);
    else
      line.book.id = line.line.book;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::optional<model::user_id> cart_item_owner(database& db,
                                              model::cart_item_id item) {
  auto& stmt = db.conn()
                   .cached("SELECT c.user_id FROM cart_items i"
                           " JOIN carts c ON c.id = i.cart_id WHERE i.id = ?")
                   .bind(1, item);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return stmt.column_int(0);
}

} // namespace bookstore::storage
