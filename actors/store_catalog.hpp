#pragma once

// The store actor's catalog handlers: genres, books, stock deltas and the
// catalog search.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_catalog {

using store_ops::self_ptr;

/// Rejects a name taken in any case with GENRE_CONFLICT.
caf::result<model::genre> create_genre(self_ptr self, std::string name);
caf::result<std::vector<model::genre>> list_genres(self_ptr self);

/// Rejects a taken ISBN with BOOK_ISBN_CONFLICT and an unknown genre with
/// VALIDATION_ERROR; update_book likewise.
caf::result<model::book> create_book(self_ptr self, model::book draft);
caf::result<model::book> update_book(self_ptr self, model::book changed);
/// Rejects an unknown or deleted book with BOOK_NOT_FOUND.
caf::result<model::book> get_book(self_ptr self, model::book_id id);
/// Soft-deletes the book and its reviews; BOOK_NOT_FOUND if not live.
caf::result<bool> delete_book(self_ptr self, model::book_id id);
/// Rejects a delta that takes the stock below zero with VALIDATION_ERROR.
caf::result<std::int64_t> add_stock(self_ptr self, model::book_id id,
                                    std::int64_t delta);
/// Rejects a search that runs past the read budget with QUERY_TOO_EXPENSIVE.
caf::result<storage::book_page> search(self_ptr self,
                                       storage::book_query query);

} // namespace bookstore::store_catalog
