#pragma once

// A cluster's ISBN claims (API.md, "Cluster"; migration 11): one live book
// per ISBN over every node. The node an ISBN hashes to decides who may hold
// it: its own books (the unique index) and, in isbn_claims, other nodes'
// books that claimed it. A claim may be stale (its book's update failed or
// never ran, or the book changed again); the node asked to settle it says
// whether its book holds the ISBN and, if not, voids the claim's token in
// its own file, so that an update still on its way under that token is
// refused. Writes run in the caller's transaction. On one server both
// tables stay empty.

#include <optional>
#include <string>

#include "model/book.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

struct isbn_claim {
  std::string isbn;
  model::book_id book = 0;
  std::string token;
};

/// The claim on `isbn` kept here, if any.
std::optional<isbn_claim> find_isbn_claim(database& db,
                                          const std::string& isbn);

/// True if a live book of this file has `isbn`.
bool isbn_in_use(database& db, const std::string& isbn);

/// Claims `wanted.isbn` for another node's book: nothing if granted (kept),
/// else the claim kept already, of another book or of the same one (whose
/// token is never replaced: the caller settles it first, so that a change
/// on its way under it cannot outlive it unvoided). The caller checks
/// isbn_in_use first, in the same transaction.
std::optional<isbn_claim> claim_isbn(database& db, const isbn_claim& wanted);

/// Removes the claim on `isbn` if it still has `token`.
void drop_isbn_claim(database& db, const std::string& isbn,
                     const std::string& token);

/// On the claiming book's node: true if live book `claim.book` has
/// `claim.isbn` (the claim holds); else voids `claim.token` and false.
bool settle_isbn_claim(database& db, const isbn_claim& claim);

/// True if a claim's token was voided here (settle_isbn_claim).
bool isbn_claim_void(database& db, const std::string& token);

/// Forgets every voided token: for a process that opens the file, before
/// anything runs. A token travels only inside the process of the book's
/// node (PUT /books/{id} runs there, from the claim to the write), so none
/// from an earlier process can reach this file any more, and the table
/// would otherwise grow by one row per stale claim for ever.
void forget_void_isbn_claims(database& db);

} // namespace bookstore::storage
