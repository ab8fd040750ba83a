// GET /admin/analytics/sales/summary, /admin/analytics/sales/top-books,
// /admin/analytics/inventory/low-stock (the original's paths), and the same
// at /admin/sales/... and /admin/inventory/... (this project's first ones).
// In a cluster each report gathers every node's sums (gather.hpp).

#include <algorithm>
#include <memory>
#include <vector>

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/gather.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"
#include "gateway/json/report_parts.hpp"

namespace bookstore::gateway::routes {

namespace {

using ranked_books = std::vector<storage::top_book>;

/// The best sellers of a cluster: the first `limit` of `ranked` (every
/// book's sales added up) whose books are live, with their current title
/// and author from their own actors, on any node. A batch at a time, as
/// many as are still missing, until enough are found or none are left.
void answer_live_books(const call_ptr& c, std::string sort_by,
                       std::shared_ptr<ranked_books> ranked, std::size_t next,
                       std::size_t limit,
                       std::shared_ptr<ranked_books> chosen) {
  if (chosen->size() >= limit || next >= ranked->size()) {
    // A batch's answers arrive in any order: rank them again, as one
    // server's ORDER BY revenue (or units) DESC, book_id.
    bool by_revenue = sort_by == "revenue";
    std::sort(chosen->begin(), chosen->end(),
              [by_revenue](const auto& a, const auto& b) {
                auto x = by_revenue ? a.total_revenue : a.units_sold;
                auto y = by_revenue ? b.total_revenue : b.units_sold;
                return x != y ? x > y : a.book < b.book;
              });
    return c->reply(200, json::top_books_json(sort_by, *chosen));
  }
  auto batch = std::min(limit - chosen->size(), ranked->size() - next);
  auto waiting = std::make_shared<std::size_t>(batch);
  auto failed = std::make_shared<bool>(false);
  auto one_more = [=] {
    if (--*waiting != 0)
      return;
    if (*failed)
      return c->reply_error(model::error_code::node_unavailable);
    answer_live_books(c, sort_by, ranked, next + batch, limit, chosen);
  };
  for (auto i = next; i < next + batch; ++i) {
    auto sales = (*ranked)[i];
    ask_via_registry<model::book, book_actor, book_atom>(
        c, sales.book, lookup_attempts,
        [=](model::book& book) {
          auto found = sales;
          found.title = book.title;
          found.author = book.author;
          chosen->push_back(std::move(found));
          one_more();
        },
        [=](const caf::error& err) {
          // A deleted book leaves the report, as on one server.
          if (domain_code(err) != model::error_code::book_not_found)
            *failed = true;
          one_more();
        },
        get_atom::value);
  }
}

} // namespace

void sales_summary(const call_ptr& c) {
  auto period = json::decode_period(c->req.query);
  if (!accepted(c, period))
    return;
  auto p = *period.value;
  if (gathers(*c))
    return gather(c, 1, sales_summary,
                  [p](const call_ptr& c, std::vector<nlohmann::json>& parts) {
                    auto sums = json::add_sales_parts(parts);
                    c->reply(200, json::sales_summary_json(storage::summary_of(
                                      p, sums.revenue, sums.orders,
                                      sums.previous_revenue)));
                  });
  bool part = part_size(*c).has_value();
  ask_reader<storage::sales_summary>(
      c,
      [=](storage::sales_summary& s) {
        c->reply(200,
                 part ? json::sales_part_json(s) : json::sales_summary_json(s));
      },
      reply_failure_of(c), sales_atom::value, p);
}

void top_books(const call_ptr& c) {
  auto query = json::decode_top_books(c->req.query);
  if (!accepted(c, query))
    return;
  auto q = *query.value;
  if (gathers(*c))
    return gather(c, 1, top_books,
                  [q](const call_ptr& c, std::vector<nlohmann::json>& parts) {
                    auto ranked = std::make_shared<ranked_books>(
                        json::merge_book_sales(parts, q.by_revenue()));
                    answer_live_books(c, q.sort_by, ranked, 0,
                                      static_cast<std::size_t>(q.limit),
                                      std::make_shared<ranked_books>());
                  });
  bool part = part_size(*c).has_value();
  ask_reader<ranked_books>(
      c,
      [=](ranked_books& items) {
        c->reply(200, part ? json::book_sales_part_json(items)
                           : json::top_books_json(q.sort_by, items));
      },
      reply_failure_of(c), top_atom::value,
      top_books_request{q.by_revenue(), static_cast<std::int64_t>(q.limit),
                        q.period, part});
}

void low_stock(const call_ptr& c) {
  auto threshold = json::decode_threshold(c->req.query);
  if (!accepted(c, threshold))
    return;
  auto limit = *threshold.value;
  if (gathers(*c))
    return gather(
        c, 1, low_stock,
        [limit](const call_ptr& c, std::vector<nlohmann::json>& parts) {
          c->reply(200, json::merge_low_stock_parts(parts, limit));
        });
  // A part is this node's own books' report, as one server's.
  ask_reader<std::vector<storage::low_stock_item>>(
      c,
      [=](std::vector<storage::low_stock_item>& items) {
        c->reply(200, json::low_stock_json(limit, items));
      },
      reply_failure_of(c), low_atom::value, limit);
}

} // namespace bookstore::gateway::routes
