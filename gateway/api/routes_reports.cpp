// GET /admin/analytics/sales/summary, /admin/analytics/sales/top-books,
// /admin/analytics/inventory/low-stock (the original's paths), and the same
// at /admin/sales/... and /admin/inventory/... (this project's first ones).

#include "gateway/api/ask.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"

namespace bookstore::gateway::routes {

void sales_summary(const call_ptr& c) {
  auto period = json::decode_period(c->req.query);
  if (!accepted(c, period))
    return;
  ask_reader<storage::sales_summary>(
      c,
      [=](storage::sales_summary& s) {
        c->reply(200, json::sales_summary_json(s));
      },
      reply_failure_of(c), sales_atom::value, *period.value);
}

void top_books(const call_ptr& c) {
  auto query = json::decode_top_books(c->req.query);
  if (!accepted(c, query))
    return;
  auto q = *query.value;
  ask_reader<std::vector<storage::top_book>>(
      c,
      [=](std::vector<storage::top_book>& items) {
        c->reply(200, json::top_books_json(q.sort_by, items));
      },
      reply_failure_of(c), top_atom::value,
      top_books_request{q.by_revenue(), static_cast<std::int64_t>(q.limit),
                        q.period});
}

void low_stock(const call_ptr& c) {
  auto threshold = json::decode_threshold(c->req.query);
  if (!accepted(c, threshold))
    return;
  auto limit = *threshold.value;
  ask_reader<std::vector<storage::low_stock_item>>(
      c,
      [=](std::vector<storage::low_stock_item>& items) {
        c->reply(200, json::low_stock_json(limit, items));
      },
      reply_failure_of(c), low_atom::value, limit);
}

} // namespace bookstore::gateway::routes
