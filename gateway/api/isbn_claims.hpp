#pragma once

// One live book per ISBN over a cluster's nodes (API.md, "Cluster").
//
// A new book is made on the node its ISBN hashes to (placement::isbn), whose
// unique index then decides. A book of another node that takes an ISBN
// (PUT) claims it there first: the ISBN's node keeps the claim (book,
// token) unless one of its own books or another book's claim holds the
// ISBN, and only then does the book's node write the change, in a
// transaction that refuses it if the claim's token was voided meanwhile.
//
// A claim outlives a change that failed or never ran (a crash between the
// two writes) and the ISBN the book later gave up; it is settled when it
// is in someone's way. The ISBN's node asks the claiming book's node,
// whose single writer answers in one transaction: "book B has ISBN Y" (the
// claim holds: 409), or else it voids the token, so a change still on its
// way under that claim is refused there; the ISBN's node then drops the
// claim and the newcomer may take the ISBN. Either way no two live books
// ever hold one ISBN, and no clock is needed. A book's own earlier claim is
// settled the same way before it claims again (a PUT sent twice, an edit
// that keeps the ISBN): kept if it holds, else voided first, so that no
// change under an older token can land once the kept one is found stale. A
// claiming node that is down blocks only the ISBNs it claimed: 503
// NODE_UNAVAILABLE until it is back.

#include <functional>
#include <string>

#include "gateway/api/call.hpp"
#include "model/book.hpp"

namespace bookstore::gateway {

/// Runs `next` once book `book` (0: a new book, made on this node) may take
/// `isbn`, with the token of the claim it took (empty: none needed, as on
/// one server or on the ISBN's own node); answers 409 BOOK_ISBN_CONFLICT
/// or 503 itself otherwise.
void take_isbn(const call_ptr& c, const std::string& isbn, model::book_id book,
               std::function<void(std::string claim)> next);

/// 409 BOOK_ISBN_CONFLICT, naming the isbn field.
void reply_isbn_conflict(const call& c);

namespace routes {

/// POST /_cluster/isbn-claims and POST /_cluster/isbn-claims/settle: the
/// two questions nodes ask each other (above). A node's only: a client's
/// request is 404, as for a path that does not exist.
void claim_isbn(const call_ptr& c);
void settle_isbn_claim(const call_ptr& c);

} // namespace routes

} // namespace bookstore::gateway
