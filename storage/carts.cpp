// Carts: one per user, created with its first item; items in insertion order.

#include "storage/database.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

std::vector<model::cart_line> database::load_cart(model::user_id owner) {
  auto& stmt =
      conn_
          ->cached("SELECT i.id, i.book_id, i.quantity"
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

model::cart_line database::insert_cart_item(model::user_id owner,
                                            model::book_id book,
                                            std::int64_t quantity) {
  // The cart row is made on first use; an unknown user fails here with
  // failure_kind::foreign_key.
  conn_
      ->cached("INSERT INTO carts (user_id) VALUES (?)"
               " ON CONFLICT (user_id) DO NOTHING")
      .bind(1, owner)
      .run();
  conn_
      ->cached("INSERT INTO cart_items (cart_id, book_id, quantity)"
               " SELECT id, ?, ? FROM carts WHERE user_id = ?")
      .bind(1, book)
      .bind(2, quantity)
      .bind(3, owner)
      .run();
  if (conn_->changes() != 1) // cannot happen: the cart was made just above
    throw error(failure_kind::other, 0, "cart row missing");
  return model::cart_line{conn_->last_insert_rowid(), book, quantity};
}

void database::update_cart_item(model::cart_item_id item,
                                std::int64_t quantity) {
  conn_->cached("UPDATE cart_items SET quantity = ? WHERE id = ?")
      .bind(1, quantity)
      .bind(2, item)
      .run();
}

void database::delete_cart_item(model::cart_item_id item) {
  conn_->cached("DELETE FROM cart_items WHERE id = ?").bind(1, item).run();
}

} // namespace bookstore::storage
