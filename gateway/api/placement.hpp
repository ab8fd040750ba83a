#pragma once

// Where a request runs in a cluster (API.md, "Cluster"): every node serves
// the whole API, and passes each request whose data another node owns to that
// node, which answers it as a single server would.

#include <cstddef>
#include <functional>
#include <optional>

#include "cluster/wire.hpp"
#include "gateway/api/call.hpp"

namespace bookstore::gateway {

/// Whose data a route touches, so which node must run it.
enum class placement {
  here,    // this node's own (health, metrics) or not yet cluster-wide
  user,    // the token's account: cart, orders, tokens
  book,    // the {id} book
  listed,  // the body's book_id: a new wishlist item or pre-booking lives
           // beside its book (its restock notifies it in one transaction)
  prebook, // the {id} pre-booking: its id was drawn on its book's node
  review,  // the {id} review: likewise
  account, // the {id} account (admin users)
  email,   // the body's email (register, login)
  isbn,    // the body's ISBN (a new book: one book per ISBN, cluster-wide)
  gather,  // every node's: the route asks each for its part (gather.hpp)
  refresh, // the body's refresh token: its user's (auth::refresh_token_user)
  genres,  // the genre list: the first node keeps it (genre_keeper)
  upload,  // the {name} upload: the node its name hashes to, which made it
           // so (routes_uploads.cpp) and holds the file
};

/// The node that keeps the genres, the first in ownership order: it names
/// them (unique names, ids), and a book of another node that names a genre
/// keeps a copy of that genre in its own file first (its row references it).
inline constexpr std::size_t genre_keeper = 0;

/// In a cluster, true if `id` (a user's, a book's, or a row's drawn from
/// its node's id space) is of another node than this one. A node's file
/// holds its own users' carts and orders and its own books' rows only.
bool owned_elsewhere(const call& c, std::int64_t id);

/// The node that must run `c`'s route, or nothing for this one. For `user`,
/// `c.who` must be set (the token checked).
std::optional<std::size_t> owner_node(const call& c, placement where);

/// `request` as this node sends it to another on behalf of `who`: checked
/// by this node when `who.id` is set (the receiver trusts it), else with
/// its token to check there.
cluster::peer_request peer_request_of(const context& ctx,
                                      const http::request& request,
                                      const principal& who);

/// Sends `c`'s request to `node` and answers with its answer, or 503
/// NODE_UNAVAILABLE (with Retry-After) if the node is down or goes down
/// before it answers. With `checked`, c.who goes along: the receiver trusts
/// it instead of checking the token again.
void forward(const call_ptr& c, std::size_t node, bool checked);

/// Sends `request` to node `node` on `c`'s behalf (with c.who, checked) and
/// hands its answer to `then`; a node down or lost on the way answers 503
/// NODE_UNAVAILABLE. For reads and for writes that may run twice.
void ask_node(const call_ptr& c, std::size_t node, http::request request,
              std::function<void(http::response)> then);

} // namespace bookstore::gateway
