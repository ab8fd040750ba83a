#pragma once

// The store actor's catalog writes (genres, books, stock deltas) and the
// book lookup that loads a book actor. The listing, the search and the genre
// list run on the readers (reads.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "actors/store_ops.hpp"

namespace bookstore::store_catalog {

using store_ops::self_ptr;

/// Rejects a name taken in any case with GENRE_CONFLICT.
caf::result<model::genre> create_genre(self_ptr self, std::string name);
/// Keeps `genre` as another node has it, unless its id is here already.
caf::result<bool> keep_genre(self_ptr self, model::genre genre);

/// Rejects a taken ISBN with BOOK_ISBN_CONFLICT and an unknown genre with
/// VALIDATION_ERROR; update_book likewise, and also a voided `isbn_claim`
/// with BOOK_ISBN_CONFLICT. Both refuse an ISBN another node's book claims.
caf::result<model::book> create_book(self_ptr self, model::book draft);
caf::result<model::book> update_book(self_ptr self, model::book changed,
                                     std::string isbn_claim);
/// A cluster's ISBN claims (storage/isbn_claims.hpp, handles.hpp): the
/// claim on an ISBN (book 0: none); a claim made, or the one in the way; a
/// claim dropped; a claim settled (true: it holds).
caf::result<storage::isbn_claim> find_isbn_claim(self_ptr self,
                                                 std::string isbn);
caf::result<storage::isbn_claim> claim_isbn(self_ptr self,
                                            storage::isbn_claim wanted);
caf::result<bool> drop_isbn_claim(self_ptr self, storage::isbn_claim claim);
caf::result<bool> settle_isbn_claim(self_ptr self, storage::isbn_claim claim);
/// Rejects an unknown or deleted book with BOOK_NOT_FOUND.
caf::result<model::book> get_book(self_ptr self, model::book_id id);
/// Soft-deletes the book and its reviews; BOOK_NOT_FOUND if not live.
caf::result<bool> delete_book(self_ptr self, model::book_id id);
/// Rejects a delta that takes the stock below zero with VALIDATION_ERROR.
caf::result<std::int64_t> add_stock(self_ptr self, model::book_id id,
                                    std::int64_t delta);

} // namespace bookstore::store_catalog
