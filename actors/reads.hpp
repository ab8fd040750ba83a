#pragma once

// The reads that run beside the store's writes, on a reader's connection
// (reader_actor.hpp): the catalog listing and search, genres, orders, the
// admin listings and reports. Each takes the reader's read_state; the store
// answers the same messages with the same functions when there are no
// readers (an in-memory database).

#include <cstdint>
#include <string>
#include <vector>

#include "actors/message_types.hpp"
#include "actors/read_ops.hpp"
#include "storage/accounts.hpp"
#include "storage/queries.hpp"
#include "storage/review_queries.hpp"

namespace bookstore::reads {

caf::result<std::vector<model::genre>> genres(read_state& st);
/// A page of the catalog search; QUERY_TOO_EXPENSIVE past the read budget.
caf::result<storage::book_page> search(read_state& st,
                                       storage::book_query query);

/// The live books of `ids`, in that order (storage::books_by_ids).
caf::result<std::vector<model::book>>
books_by_ids(read_state& st, std::vector<model::book_id> ids);

/// ORDER_NOT_FOUND for an unknown order.
caf::result<model::order> order(read_state& st, model::order_id id);
/// A page of orders, newest first (all users' when the owner is 0).
caf::result<std::vector<model::order>> orders(read_state& st,
                                              order_page_request page);

caf::result<storage::account_page> accounts(read_state& st,
                                            storage::account_filter filter);

/// The admin reports, within the read budget.
caf::result<storage::sales_summary> sales(read_state& st, std::string period);
caf::result<std::vector<storage::top_book>> top_books(read_state& st,
                                                      top_books_request req);
caf::result<std::vector<storage::low_stock_item>>
low_stock(read_state& st, std::int64_t threshold);

/// A book's live reviews, newest first: page, size.
caf::result<storage::review_page> book_reviews(read_state& st,
                                               model::book_id book,
                                               std::int64_t page,
                                               std::int64_t size);
/// The moderation list.
caf::result<storage::review_page> reviews(read_state& st,
                                          storage::review_filter filter);
/// What this file tells of `user` as the author of a review of `book` (in a
/// cluster the author's node asks it for the book's); a user it does not
/// hold has no email and no purchase.
caf::result<storage::review_author>
review_author(read_state& st, model::user_id user, model::book_id book);

} // namespace bookstore::reads
