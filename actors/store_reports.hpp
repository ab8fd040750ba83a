#pragma once

// The store actor's admin reports: each a read stopped once it has run for
// the store's read budget (QUERY_TOO_EXPENSIVE).

#include <cstdint>
#include <string>
#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_reports {

using store_ops::self_ptr;

caf::result<storage::sales_summary> sales(self_ptr self, std::string period);
caf::result<std::vector<storage::top_book>> top_books(self_ptr self,
                                                      top_books_request req);
caf::result<std::vector<storage::low_stock_item>>
low_stock(self_ptr self, std::int64_t threshold);

} // namespace bookstore::store_reports
