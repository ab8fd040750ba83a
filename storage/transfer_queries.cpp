#include "storage/transfer_queries.hpp"

#include "storage/list_queries.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

bool prepare_transfer(database& db, const prepared_transfer& part) {
  auto& conn = db.conn();
  conn.cached("INSERT OR IGNORE INTO prepared_transfers (transfer_id,"
              " book_id, quantity, coordinator, prepared_at)"
              " SELECT ?1, ?2, ?3, ?4, ?5 FROM books"
              " WHERE id = ?2 AND deleted = 0")
      .bind(1, part.transfer_id)
      .bind(2, part.book)
      .bind(3, part.quantity)
      .bind(4, part.coordinator)
      .bind(5, part.prepared_at)
      .run();
  if (conn.changes() == 0) {
    // Either prepared already (the same message again) or no such book.
    auto& seen = conn.cached("SELECT 1 FROM prepared_transfers"
                             " WHERE transfer_id = ? AND book_id = ?")
                     .bind(1, part.transfer_id)
                     .bind(2, part.book);
    reset_on_exit done(seen);
    if (seen.step() == step_result::row)
      return false;
    throw error(failure_kind::foreign_key, 0,
                "transfer of an unknown or deleted book");
  }
  // CHECK (stock_quantity >= 0) throws failure_kind::check.
  conn.cached("UPDATE books SET stock_quantity = stock_quantity - ?"
              " WHERE id = ?")
      .bind(1, part.quantity)
      .bind(2, part.book)
      .run();
  return true;
}

std::int64_t finish_transfer(database& db, std::int64_t transfer_id,
                             model::book_id book, bool commit) {
  auto& conn = db.conn();
  std::int64_t quantity = 0;
  {
    auto& stmt = conn.cached("DELETE FROM prepared_transfers"
                             " WHERE transfer_id = ? AND book_id = ?"
                             " RETURNING quantity")
                     .bind(1, transfer_id)
                     .bind(2, book);
    reset_on_exit done(stmt);
    if (stmt.step() != step_result::row)
      return 0; // never prepared, or ended already
    quantity = stmt.column_int(0);
  }
  if (commit)
    return 0;
  // A restock like any other: copies coming back to a book at 0 notify its
  // waiting pre-bookings (one may have been made while the part held them).
  restock_book(db, book, quantity);
  return quantity;
}

std::vector<prepared_transfer>
prepared_transfers(database& db, std::int64_t prepared_by, std::int64_t limit) {
  auto& stmt =
      db.conn()
          .cached("SELECT transfer_id, book_id, quantity, coordinator,"
                  " prepared_at FROM prepared_transfers"
                  " WHERE prepared_at <= ? ORDER BY prepared_at LIMIT ?")
          .bind(1, prepared_by)
          .bind(2, limit);
  reset_on_exit done(stmt);
  std::vector<prepared_transfer> parts;
  while (stmt.step() == step_result::row)
    parts.push_back({stmt.column_int(0), stmt.column_int(1), stmt.column_int(2),
                     stmt.column_int(3), stmt.column_int(4)});
  return parts;
}

void record_transfer_decision(database& db, std::int64_t transfer_id,
                              model::order_id order) {
  db.conn()
      .cached("INSERT INTO transfer_decisions (transfer_id, order_id)"
              " VALUES (?, ?)")
      .bind(1, transfer_id)
      .bind(2, order)
      .run();
}

std::optional<model::order_id> transfer_decision(database& db,
                                                 std::int64_t transfer_id) {
  auto& stmt = db.conn()
                   .cached("SELECT order_id FROM transfer_decisions"
                           " WHERE transfer_id = ?")
                   .bind(1, transfer_id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return stmt.column_int(0);
}

} // namespace bookstore::storage
