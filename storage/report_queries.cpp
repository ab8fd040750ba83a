// Admin reports: sales summary, best sellers, low stock. Only confirmed
// orders count as sales.

#include "storage/queries.hpp"
#include "storage/sales_periods.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

struct sales_totals {
  model::cents revenue = 0;
  std::int64_t orders = 0;
};

sales_totals read_totals(statement& stmt) {
  reset_on_exit done(stmt);
  stmt.step();
  return sales_totals{stmt.column_int(0), stmt.column_int(1)};
}

/// revenue / orders to the nearest cent, halves up (both are >= 0).
model::cents average_order_value(const sales_totals& totals) {
  if (totals.orders <= 0)
    return 0;
  const model::cents quotient = totals.revenue / totals.orders;
  const model::cents remainder = totals.revenue % totals.orders;
  return remainder >= totals.orders - remainder ? quotient + 1 : quotient;
}

/// (current - previous) / previous * 100 to two decimals, halves to even:
/// the original rounds a Decimal with Python's default context, which is
/// ROUND_HALF_EVEN. Exact integer arithmetic in hundredths of a percent
/// (128 bits, so large revenues cannot overflow); nullopt without a previous
/// revenue to compare with.
std::optional<double> delta_percentage(model::cents current,
                                       model::cents previous) {
  if (previous <= 0)
    return std::nullopt;
  const __int128 difference = static_cast<__int128>(current) - previous;
  const bool negative = difference < 0;
  const __int128 numerator = (negative ? -difference : difference) * 10000;
  __int128 hundredths = numerator / previous;
  const __int128 remainder = numerator % previous;
  const __int128 rest = previous - remainder;
  if (remainder > rest || (remainder == rest && hundredths % 2 != 0))
    ++hundredths;
  // A change that rounds to zero is 0, never -0.
  const double magnitude = static_cast<double>(hundredths) / 100.0;
  return negative && hundredths != 0 ? -magnitude : magnitude;
}

/// The created_at bounds (both inclusive) of the current `period` up to
/// `now`; all time for no period: from before the first order to the end
/// of time (created_at is ISO 8601 text, which compares in time order).
std::pair<std::string, std::string>
period_bounds(const std::string& period,
              std::chrono::system_clock::time_point now) {
  if (period.empty())
    return {"0000", "9999"};
  const sales_window window = sales_window_of(period, now);
  return {window.current_start, window.now};
}

} // namespace

sales_summary summarize_sales(database& db, const std::string& period,
                              std::chrono::system_clock::time_point now) {
  const sales_window window = sales_window_of(period, now);
  auto& conn = db.conn();
  // The current period ends at `now` inclusive: an order committed in this
  // very second counts (created_at has whole seconds only).
  const sales_totals current =
      read_totals(conn.cached("SELECT coalesce(sum(total_cents), 0), count(*)"
                              " FROM orders WHERE status = 'confirmed'"
                              " AND created_at >= ? AND created_at <= ?")
                      .bind(1, window.current_start)
                      .bind(2, window.now));
  const sales_totals previous =
      read_totals(conn.cached("SELECT coalesce(sum(total_cents), 0), count(*)"
                              " FROM orders WHERE status = 'confirmed'"
                              " AND created_at >= ? AND created_at < ?")
                      .bind(1, window.previous_start)
                      .bind(2, window.current_start));

  return summary_of(period, current.revenue, current.orders, previous.revenue);
}

sales_summary summary_of(const std::string& period, model::cents revenue,
                         std::int64_t order_count,
                         model::cents previous_revenue) {
  sales_summary summary;
  summary.period = period;
  summary.revenue = revenue;
  summary.order_count = order_count;
  summary.aov = average_order_value(sales_totals{revenue, order_count});
  summary.delta_percentage = delta_percentage(revenue, previous_revenue);
  summary.previous_revenue = previous_revenue;
  return summary;
}

std::vector<top_book> top_books(database& db, bool by_revenue, int limit,
                                const std::string& period,
                                std::chrono::system_clock::time_point now) {
  if (limit <= 0) // SQLite reads a negative LIMIT as no limit at all
    return {};
  const auto [from, to] = period_bounds(period, now);
  // Title and author are the book's current ones. Deleted books are left
  // out, as in the original, where deleting a book removed it from this
  // report (its order lines lost their book).
  constexpr const char* by_revenue_sql =
      "SELECT i.book_id, b.title, b.author,"
      " sum(i.quantity * i.unit_price_cents) AS revenue,"
      " sum(i.quantity) AS units"
      " FROM order_items i JOIN orders o ON o.id = i.order_id"
      " JOIN books b ON b.id = i.book_id"
      " WHERE o.status = 'confirmed' AND b.deleted = 0"
      " AND o.created_at >= ? AND o.created_at <= ?"
      " GROUP BY i.book_id ORDER BY revenue DESC, i.book_id LIMIT ?";
  constexpr const char* by_units_sql =
      "SELECT i.book_id, b.title, b.author,"
      " sum(i.quantity * i.unit_price_cents) AS revenue,"
      " sum(i.quantity) AS units"
      " FROM order_items i JOIN orders o ON o.id = i.order_id"
      " JOIN books b ON b.id = i.book_id"
      " WHERE o.status = 'confirmed' AND b.deleted = 0"
      " AND o.created_at >= ? AND o.created_at <= ?"
      " GROUP BY i.book_id ORDER BY units DESC, i.book_id LIMIT ?";
  auto& stmt = db.conn()
                   .cached(by_revenue ? by_revenue_sql : by_units_sql)
                   .bind(1, from)
                   .bind(2, to)
                   .bind(3, std::int64_t{limit});
  reset_on_exit done(stmt);
  std::vector<top_book> books;
  while (stmt.step() == step_result::row) {
    top_book book;
    book.book = stmt.column_int(0);
    book.title = stmt.column_text(1);
    book.author = stmt.column_text(2);
    book.total_revenue = stmt.column_int(3);
    book.units_sold = stmt.column_int(4);
    books.push_back(std::move(book));
  }
  return books;
}

std::vector<top_book> book_sales(database& db, const std::string& period,
                                 std::chrono::system_clock::time_point now) {
  const auto [from, to] = period_bounds(period, now);
  auto& stmt =
      db.conn()
          .cached("SELECT i.book_id, sum(i.quantity * i.unit_price_cents),"
                  " sum(i.quantity)"
                  " FROM order_items i JOIN orders o ON o.id = i.order_id"
                  " WHERE o.status = 'confirmed'"
                  " AND o.created_at >= ? AND o.created_at <= ?"
                  " GROUP BY i.book_id ORDER BY i.book_id")
          .bind(1, from)
          .bind(2, to);
  reset_on_exit done(stmt);
  std::vector<top_book> books;
  while (stmt.step() == step_result::row) {
    top_book book;
    book.book = stmt.column_int(0);
    book.total_revenue = stmt.column_int(1);
    book.units_sold = stmt.column_int(2);
    books.push_back(std::move(book));
  }
  return books;
}

std::vector<low_stock_item> low_stock(database& db, std::int64_t threshold) {
  auto& stmt = db.conn()
                   .cached("SELECT id, title, author, stock_quantity"
                           " FROM books WHERE deleted = 0"
                           " AND stock_quantity <= ?"
                           " ORDER BY stock_quantity, id")
                   .bind(1, threshold);
  reset_on_exit done(stmt);
  std::vector<low_stock_item> items;
  while (stmt.step() == step_result::row) {
    low_stock_item item;
    item.book = stmt.column_int(0);
    item.title = stmt.column_text(1);
    item.author = stmt.column_text(2);
    item.current_stock = stmt.column_int(3);
    items.push_back(std::move(item));
  }
  return items;
}

} // namespace bookstore::storage
