#include "actors/store_reports.hpp"

#include <chrono>

#include "storage/queries.hpp"

namespace bookstore::store_reports {

using store_ops::bounded_read;

caf::result<storage::sales_summary> sales(self_ptr self, std::string period) {
  return bounded_read(self, [=](storage::database& db) {
    return storage::summarize_sales(db, period,
                                    std::chrono::system_clock::now());
  });
}

caf::result<std::vector<storage::top_book>> top_books(self_ptr self,
                                                      top_books_request req) {
  return bounded_read(self, [=](storage::database& db) {
    return storage::top_books(db, req.by_revenue, static_cast<int>(req.limit),
                              req.period);
  });
}

caf::result<std::vector<storage::low_stock_item>>
low_stock(self_ptr self, std::int64_t threshold) {
  return bounded_read(self, [=](storage::database& db) {
    return storage::low_stock(db, threshold);
  });
}

} // namespace bookstore::store_reports
