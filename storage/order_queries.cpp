// Orders (order_queries.hpp): written once by a checkout, then only read.

#include "storage/order_queries.hpp"

#include <algorithm>

#include "storage/catalog_queries.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

// Orders joined with their lines and the lines' books (deleted ones too), an
// order's lines in id order. A book of another node (cluster) has no row
// here: its line shows the title, author and price it was sold with. LEFT JOINs
// keep an order even without lines. The three differ only in their WHERE and
// ORDER BY; read_orders reads them all. The listings read a page of orders
// below an id: orders are never changed once written and new ones get higher
// ids, so paging on from the last id read lists each order once, as it stood
// when the first page was read.
constexpr const char* select_order =
    "SELECT o.id, o.user_id, o.status, o.created_at,"
    " i.id, i.book_id, i.quantity, i.unit_price_cents,"
    " COALESCE(b.title, i.title), COALESCE(b.author, i.author),"
    " b.cover_image_url, COALESCE(b.price_cents, i.unit_price_cents)"
    " FROM orders o"
    " LEFT JOIN order_items i ON i.order_id = o.id"
    " LEFT JOIN books b ON b.id = i.book_id"
    " WHERE o.id = ? ORDER BY i.id";
constexpr const char* select_orders_of_owner =
    "SELECT o.id, o.user_id, o.status, o.created_at,"
    " i.id, i.book_id, i.quantity, i.unit_price_cents,"
    " COALESCE(b.title, i.title), COALESCE(b.author, i.author),"
    " b.cover_image_url, COALESCE(b.price_cents, i.unit_price_cents)"
    " FROM orders o"
    " LEFT JOIN order_items i ON i.order_id = o.id"
    " LEFT JOIN books b ON b.id = i.book_id"
    " WHERE o.id IN (SELECT id FROM orders WHERE user_id = ? AND id < ?"
    "                ORDER BY id DESC LIMIT ?)"
    " ORDER BY o.id DESC, i.id";
constexpr const char* select_all_orders =
    "SELECT o.id, o.user_id, o.status, o.created_at,"
    " i.id, i.book_id, i.quantity, i.unit_price_cents,"
    " COALESCE(b.title, i.title), COALESCE(b.author, i.author),"
    " b.cover_image_url, COALESCE(b.price_cents, i.unit_price_cents)"
    " FROM orders o"
    " LEFT JOIN order_items i ON i.order_id = o.id"
    " LEFT JOIN books b ON b.id = i.book_id"
    " WHERE o.id IN (SELECT id FROM orders WHERE id < ?"
    "                ORDER BY id DESC LIMIT ?)"
    " ORDER BY o.id DESC, i.id";

/// Folds the joined rows into orders, one per run of equal order ids.
std::vector<model::order> read_orders(statement& stmt) {
  reset_on_exit done(stmt);
  std::vector<model::order> orders;
  while (stmt.step() == step_result::row) {
    const model::order_id id = stmt.column_int(0);
    if (orders.empty() || orders.back().id != id) {
      model::order order;
      order.id = id;
      order.owner = stmt.column_int(1);
      order.status = stmt.column_text(2);
      order.created_at = stmt.column_text(3);
      orders.push_back(std::move(order));
    }
    if (stmt.is_null(4))
      continue; // an order without lines
    model::order_line line;
    line.id = stmt.column_int(4);
    line.book = stmt.column_int(5);
    line.quantity = stmt.column_int(6);
    line.unit_price = stmt.column_int(7);
    line.summary = read_book_summary(stmt, 8, line.book);
    orders.back().lines.push_back(std::move(line));
  }
  return orders;
}

/// Inserts one line of a book of another node (cluster): its title and
/// author as the book's owner answered them; the owner took the copies off
/// its own stock (storage::prepare_transfer).
model::order_line insert_remote_order_line(connection& conn,
                                           model::order_id order,
                                           const model::order_line& line) {
  conn.cached("INSERT INTO order_items (order_id, book_id, quantity,"
              " unit_price_cents, title, author) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, order)
      .bind(2, line.book)
      .bind(3, line.quantity)
      .bind(4, line.unit_price)
      .bind(5, line.summary.title)
      .bind(6, line.summary.author)
      .run();
  model::order_line stored = line;
  stored.id = conn.last_insert_rowid();
  return stored;
}

/// Inserts one line of the order (title and author as sold) and takes its
/// quantity off the book's stock; returns the line with its id.
model::order_line insert_order_line(connection& conn, model::order_id order,
                                    const model::order_line& line) {
  // A caller that left the summary empty gets the book's current title and
  // author.
  auto as_sold = [](const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
  };
  conn.cached("INSERT INTO order_items (order_id, book_id, quantity,"
              " unit_price_cents, title, author)"
              " SELECT ?1, ?2, ?3, ?4, COALESCE(?5, b.title),"
              " COALESCE(?6, b.author) FROM books b"
              " WHERE b.id = ?2 AND b.deleted = 0")
      .bind(1, order)
      .bind(2, line.book)
      .bind(3, line.quantity)
      .bind(4, line.unit_price)
      .bind(5, as_sold(line.summary.title))
      .bind(6, as_sold(line.summary.author))
      .run();
  if (conn.changes() != 1)
    throw error(failure_kind::foreign_key, 0,
                "order line of an unknown or deleted book");
  model::order_line stored = line;
  stored.id = conn.last_insert_rowid();
  // A delta, so concurrent writers for one book never overwrite each other;
  // CHECK (stock_quantity >= 0) throws failure_kind::check.
  conn.cached("UPDATE books SET stock_quantity = stock_quantity - ?"
              " WHERE id = ?")
      .bind(1, line.quantity)
      .bind(2, line.book)
      .run();
  return stored;
}

} // namespace

model::order insert_order(database& db, model::user_id owner,
                          const std::vector<model::order_line>& lines,
                          const std::vector<model::cart_item_id>& sold_items,
                          const std::string& created_at,
                          const std::vector<model::book_id>& remote_books) {
  auto& conn = db.conn();
  model::order order;
  order.owner = owner;
  order.created_at = created_at;
  order.id = db.next_id(id_table::orders);
  conn.cached("INSERT INTO orders (id, user_id, status, total_cents,"
              " created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(1, order.id)
      .bind(2, owner)
      .bind(3, order.status)
      .bind(4, model::order_total(lines))
      .bind(5, created_at)
      .run();
  for (const auto& line : lines) {
    bool remote = std::find(remote_books.begin(), remote_books.end(), line.book)
                  != remote_books.end();
    order.lines.push_back(remote
                              ? insert_remote_order_line(conn, order.id, line)
                              : insert_order_line(conn, order.id, line));
  }
  // Only the owner's items: a wrong id can never clear someone else's cart.
  for (const auto item : sold_items)
    conn.cached("DELETE FROM cart_items WHERE id = ? AND cart_id ="
                " (SELECT id FROM carts WHERE user_id = ?)")
        .bind(1, item)
        .bind(2, owner)
        .run();
  return order;
}

std::optional<model::order> find_order(database& db, model::order_id id) {
  auto orders = read_orders(db.conn().cached(select_order).bind(1, id));
  if (orders.empty())
    return std::nullopt;
  return std::move(orders.front());
}

std::vector<model::order> list_orders(database& db,
                                      std::optional<model::user_id> owner,
                                      model::order_id before,
                                      std::int64_t limit) {
  // Two statements rather than `? IS NULL OR user_id = ?`, which would keep
  // SQLite from using the (user_id, id) index.
  if (owner)
    return read_orders(db.conn()
                           .cached(select_orders_of_owner)
                           .bind(1, *owner)
                           .bind(2, before)
                           .bind(3, limit));
  return read_orders(
      db.conn().cached(select_all_orders).bind(1, before).bind(2, limit));
}

} // namespace bookstore::storage
