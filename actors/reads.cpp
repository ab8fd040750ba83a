#include "actors/reads.hpp"

#include <chrono>
#include <optional>

namespace bookstore::reads {

using model::error_code;
using read_ops::bounded_read;
using read_ops::read;

caf::result<std::vector<model::genre>> genres(read_state& st) {
  return read(st,
              [](storage::database& db) { return storage::list_genres(db); });
}

caf::result<storage::book_page> search(read_state& st,
                                       storage::book_query query) {
  return bounded_read(st, [&query](storage::database& db) {
    return storage::search_books(db, query);
  });
}

caf::result<std::vector<model::book>>
books_by_ids(read_state& st, std::vector<model::book_id> ids) {
  return read(st, [&ids](storage::database& db) {
    return storage::books_by_ids(db, ids);
  });
}

caf::result<model::order> order(read_state& st, model::order_id id) {
  return read(st, [id](storage::database& db) {
    if (auto found = storage::find_order(db, id))
      return *found;
    throw rejection{error_code::order_not_found};
  });
}

caf::result<std::vector<model::order>> orders(read_state& st,
                                              order_page_request page) {
  return read(st, [&page](storage::database& db) {
    auto owner = page.owner == 0 ? std::nullopt
                                 : std::optional<model::user_id>{page.owner};
    return storage::list_orders(db, owner, page.before, page.limit);
  });
}

caf::result<storage::account_page> accounts(read_state& st,
                                            storage::account_filter filter) {
  return read(st, [&filter](storage::database& db) {
    return storage::list_accounts(db, filter);
  });
}

caf::result<storage::sales_summary> sales(read_state& st, std::string period) {
  return bounded_read(st, [&period](storage::database& db) {
    return storage::summarize_sales(db, period,
                                    std::chrono::system_clock::now());
  });
}

caf::result<std::vector<storage::top_book>> top_books(read_state& st,
                                                      top_books_request req) {
  return bounded_read(st, [&req](storage::database& db) {
    if (req.every_book)
      return storage::book_sales(db, req.period);
    return storage::top_books(db, req.by_revenue, static_cast<int>(req.limit),
                              req.period);
  });
}

caf::result<std::vector<storage::low_stock_item>>
low_stock(read_state& st, std::int64_t threshold) {
  return bounded_read(st, [threshold](storage::database& db) {
    return storage::low_stock(db, threshold);
  });
}

caf::result<storage::review_page> book_reviews(read_state& st,
                                               model::book_id book,
                                               std::int64_t page,
                                               std::int64_t size) {
  return bounded_read(st, [=](storage::database& db) {
    return storage::list_book_reviews(db, book, page, size);
  });
}

caf::result<storage::review_page> reviews(read_state& st,
                                          storage::review_filter filter) {
  return bounded_read(st, [&filter](storage::database& db) {
    return storage::list_reviews(db, filter);
  });
}

caf::result<storage::review_author>
review_author(read_state& st, model::user_id user, model::book_id book) {
  return bounded_read(st, [=](storage::database& db) {
    return storage::review_author_of(db, user, book)
        .value_or(storage::review_author{});
  });
}

} // namespace bookstore::reads
