#pragma once

// The one type-id block of the project: every atom and every custom type that
// travels in a message. Most messages stay inside one process, and their
// `inspect` only names the fields CAF can render. The few that cross between
// the nodes of a cluster (a book actor's answers: model::book,
// reservation_reply) name every field, std::optional ones through
// optional_field, and are announced by cluster::announce_peer_types.

#include <cstdint>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/review_types.hpp"
#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/errors.hpp"
#include "model/order.hpp"
#include "model/prebook.hpp"
#include "model/wishlist.hpp"
#include "storage/accounts.hpp"
#include "storage/database.hpp"
#include "storage/isbn_claims.hpp"
#include "storage/queries.hpp"
#include "storage/transfer_queries.hpp"

namespace bookstore {

/// What a book actor answers to a reservation.
enum class reservation_status : std::uint8_t { reserved, short_stock, gone };

struct reservation_reply {
  reservation_status status = reservation_status::gone;
  std::int64_t available = 0; // copies left when short
  model::book_summary book;   // the price snapshot when reserved
};

/// What became of a checkout across nodes, as its coordinator knows it.
enum class transfer_status : std::uint8_t {
  pending,   // still running: ask again
  committed, // the order is written: keep the copies sold
  aborted,   // it ended without an order: return the copies
};

/// The provider's answer to a charge; an approved charge has an id by which
/// it can be refunded.
struct payment_receipt {
  bool approved = false;
  std::uint64_t charge = 0;
};

/// Options of one checkout.
struct checkout_request {
  bool force_payment_failure = false;
  /// The client's Idempotency-Key, or empty. An order it creates is written
  /// with the key's record in one transaction, stamped `idempotency_at`
  /// (unix seconds).
  std::string idempotency_key;
  std::int64_t idempotency_at = 0;
};

/// A checkout's outcome: an order, or a rejection with the short lines.
/// A rejection is an ordinary answer, not an actor failure.
struct checkout_outcome {
  model::error_code error = model::error_code::none;
  model::order order;
  std::vector<model::shortage> shortages;

  bool ok() const { return error == model::error_code::none; }
};

/// What rotating a refresh token gave (storage::rotate_refresh_token).
using rotation_status = storage::rotation_status;
using rotation = storage::rotation;

/// An order the store persists in one transaction with its stock deltas and
/// the removal of the sold cart items.
struct order_draft {
  model::user_id owner = 0;
  std::vector<model::order_line> lines;
  std::vector<model::cart_item_id> sold_items;
  std::string created_at;
  std::string idempotency_key; // empty: no key
  std::int64_t idempotency_at = 0;
  /// A checkout across nodes (cluster): its transfer id, recorded as the
  /// decision in the order's transaction, and the books of other nodes,
  /// whose owners took the copies off their own stock (no delta here).
  std::int64_t transfer_id = 0;
  std::vector<model::book_id> remote_books;
};

// -- store messages: named fields instead of values by position -------------

/// An account to create: the email as typed, the password's hash, and the
/// role ("user" or "admin").
struct user_registration {
  std::string email;
  std::string password_hash;
  std::string role;
};

/// Makes the user an admin with this password hash (the bootstrap admin).
struct admin_promotion {
  model::user_id user = 0;
  std::string password_hash;
};

/// Deactivates (false) or reactivates (true) the user's account.
struct account_activation {
  model::user_id user = 0;
  bool active = true;
};

/// A refresh token to store: its owner, hash and family, and when it
/// expires (unix seconds).
struct refresh_grant {
  model::user_id user = 0;
  std::string token_hash;
  std::string family;
  std::int64_t expires_at = 0;
};

/// A setting to store under its key.
struct setting_entry {
  std::string key;
  std::string value;
};

/// The idempotency record of (user, key) created at or after `not_before`
/// (unix seconds).
struct idempotency_lookup {
  model::user_id user = 0;
  std::string key;
  std::int64_t not_before = 0;
};

/// Stores the idempotency record of (user, key).
struct idempotency_entry {
  model::user_id user = 0;
  std::string key;
  storage::idempotency_record record;
};

/// A page of orders newest first: one user's, or everybody's for owner 0; at
/// most `limit` with ids below `before`.
struct order_page_request {
  model::user_id owner = 0;
  model::order_id before = 0;
  std::int64_t limit = 0;
};

/// Best sellers: by revenue (else by units), at most `limit`, in the period
/// ("today", "week", "month"; "" for all time).
struct top_books_request {
  bool by_revenue = false;
  std::int64_t limit = 0;
  std::string period;
  /// A cluster node's part: what every book sold here (storage::book_sales),
  /// by id, with neither order nor limit.
  bool every_book = false;
};

} // namespace bookstore

namespace bookstore {

/// A std::optional field as CAF 0.17 can carry it, which it cannot do for
/// std::optional itself: a flag, then the value (T's empty one if absent).
template <class T> struct optional_field { std::optional<T>& value; };

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_field<T>& x) {
  bool present = x.value.has_value();
  T value = present ? *x.value : T{};
  return f(present, value, caf::meta::load_callback([&]() -> caf::error {
             if (present)
               x.value = std::move(value);
             else
               x.value.reset();
             return caf::none;
           }));
}

template <class T> optional_field<T> optional_of(std::optional<T>& x) {
  return {x};
}

} // namespace bookstore

namespace bookstore::model {

// Complete: a book actor on another node answers with it.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book& x) {
  return f(caf::meta::type_name("book"), x.id, x.title, x.author, x.price,
           optional_of(x.isbn), optional_of(x.genre),
           optional_of(x.description), optional_of(x.cover_image_url),
           optional_of(x.publish_date), x.stock_quantity, x.rating.sum,
           x.rating.count, x.rating.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_patch& x) {
  static_cast<void>(x); // only optional fields, which CAF cannot render
  return f(caf::meta::type_name("book_patch"));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, genre& x) {
  return f(caf::meta::type_name("genre"), x.id, x.name);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_summary& x) {
  return f(caf::meta::type_name("book_summary"), x.id, x.title, x.author,
           optional_of(x.cover_image_url), x.price);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cart_line& x) {
  return f(caf::meta::type_name("cart_line"), x.id, x.book, x.quantity);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_line& x) {
  return f(caf::meta::type_name("order_line"), x.id, x.book, x.quantity,
           x.unit_price);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order& x) {
  return f(caf::meta::type_name("order"), x.id, x.owner, x.status, x.created_at,
           x.lines);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wishlist_item& x) {
  return f(caf::meta::type_name("wishlist_item"), x.id, x.owner, x.book,
           x.added_at, x.summary, x.stock_quantity);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, prebook& x) {
  // The optional timestamps are left out: CAF cannot render them.
  return f(caf::meta::type_name("prebook"), x.id, x.owner, x.book, x.book_title,
           x.created_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shortage& x) {
  return f(caf::meta::type_name("shortage"), x.book, x.title, x.requested,
           x.available);
}

} // namespace bookstore::model

namespace bookstore::storage {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_record& x) {
  return f(caf::meta::type_name("user_record"), x.id, x.email, x.role);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account& x) {
  return f(caf::meta::type_name("account"), x.id, x.email, x.role, x.active,
           x.created_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_filter& x) {
  return f(caf::meta::type_name("account_filter"), x.page, x.per_page, x.role);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_page& x) {
  return f(caf::meta::type_name("account_page"), x.items, x.total);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, prepared_transfer& x) {
  return f(caf::meta::type_name("prepared_transfer"), x.transfer_id, x.book,
           x.quantity, x.coordinator, x.prepared_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, isbn_claim& x) {
  return f(caf::meta::type_name("isbn_claim"), x.isbn, x.book, x.token);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_query& x) {
  return f(caf::meta::type_name("book_query"), x.page, x.size, x.q);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_page& x) {
  return f(caf::meta::type_name("book_page"), x.items, x.total);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cart_view_line& x) {
  return f(caf::meta::type_name("cart_view_line"), x.line, x.book, x.here);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, idempotency_record& x) {
  return f(caf::meta::type_name("idempotency_record"), x.status, x.body,
           x.created_at, x.order);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sales_summary& x) {
  return f(caf::meta::type_name("sales_summary"), x.period, x.revenue,
           x.order_count, x.aov, x.previous_revenue);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, top_book& x) {
  return f(caf::meta::type_name("top_book"), x.book, x.title, x.author,
           x.total_revenue, x.units_sold);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, low_stock_item& x) {
  return f(caf::meta::type_name("low_stock_item"), x.book, x.title, x.author,
           x.current_stock);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_record& x) {
  return f(caf::meta::type_name("review_record"), x.id, x.book, x.user,
           x.rating);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_page& x) {
  return f(caf::meta::type_name("review_page"), x.items, x.total);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rating_change& x) {
  return f(caf::meta::type_name("rating_change"), x.book, x.totals.sum,
           x.totals.count, x.totals.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_author& x) {
  return f(caf::meta::type_name("review_author"), x.email, x.purchased);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_filter& x) {
  return f(caf::meta::type_name("review_filter"), x.page, x.per_page,
           x.by_rating, x.descending);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rotation& x) {
  return f(caf::meta::type_name("rotation"), x.user);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rotation_request& x) {
  // The hashes are left out: they are credentials.
  return f(caf::meta::type_name("rotation_request"), x.now, x.expires_at);
}

} // namespace bookstore::storage

namespace bookstore {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_registration& x) {
  return f(caf::meta::type_name("user_registration"), x.email, x.role);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, admin_promotion& x) {
  return f(caf::meta::type_name("admin_promotion"), x.user);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_activation& x) {
  return f(caf::meta::type_name("account_activation"), x.user, x.active);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, refresh_grant& x) {
  return f(caf::meta::type_name("refresh_grant"), x.user, x.family,
           x.expires_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, setting_entry& x) {
  return f(caf::meta::type_name("setting_entry"), x.key);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, idempotency_lookup& x) {
  return f(caf::meta::type_name("idempotency_lookup"), x.user, x.key,
           x.not_before);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, idempotency_entry& x) {
  return f(caf::meta::type_name("idempotency_entry"), x.user, x.key, x.record);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_page_request& x) {
  return f(caf::meta::type_name("order_page_request"), x.owner, x.before,
           x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, top_books_request& x) {
  return f(caf::meta::type_name("top_books_request"), x.by_revenue, x.limit,
           x.period, x.every_book);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reservation_reply& x) {
  return f(caf::meta::type_name("reservation_reply"), x.status, x.available,
           x.book);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, payment_receipt& x) {
  return f(caf::meta::type_name("payment_receipt"), x.approved, x.charge);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkout_request& x) {
  return f(caf::meta::type_name("checkout_request"), x.force_payment_failure,
           x.idempotency_key, x.idempotency_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkout_outcome& x) {
  return f(caf::meta::type_name("checkout_outcome"), x.order, x.shortages);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_draft& x) {
  return f(caf::meta::type_name("order_draft"), x.owner, x.lines, x.sold_items,
           x.created_at, x.idempotency_key, x.idempotency_at, x.transfer_id,
           x.remote_books);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_draft& x) {
  return f(caf::meta::type_name("review_draft"), x.user, x.book, x.rating);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_written& x) {
  return f(caf::meta::type_name("review_written"), x.existing, x.review,
           x.rating);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_bulk& x) {
  return f(caf::meta::type_name("review_bulk"), x.ids);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_bulk_result& x) {
  return f(caf::meta::type_name("review_bulk_result"), x.deleted, x.ratings);
}

} // namespace bookstore

namespace bookstore::model {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_patch& x) {
  static_cast<void>(x); // only optional fields, which CAF cannot render
  return f(caf::meta::type_name("review_patch"));
}

} // namespace bookstore::model

CAF_BEGIN_TYPE_ID_BLOCK(bookstore, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(bookstore, (bookstore::model::book))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::book_patch))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::genre))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::genre>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::cart_line))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::cart_line>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::order))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::order>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::user_record))
CAF_ADD_TYPE_ID(bookstore, (bookstore::reservation_reply))
CAF_ADD_TYPE_ID(bookstore, (bookstore::transfer_status))
CAF_ADD_TYPE_ID(bookstore, (bookstore::checkout_request))
CAF_ADD_TYPE_ID(bookstore, (bookstore::payment_receipt))
CAF_ADD_TYPE_ID(bookstore, (bookstore::checkout_outcome))
CAF_ADD_TYPE_ID(bookstore, (bookstore::order_draft))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::rotation))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::rotation_request))
CAF_ADD_TYPE_ID(bookstore, (bookstore::user_registration))
CAF_ADD_TYPE_ID(bookstore, (bookstore::admin_promotion))
CAF_ADD_TYPE_ID(bookstore, (bookstore::account_activation))
CAF_ADD_TYPE_ID(bookstore, (bookstore::refresh_grant))
CAF_ADD_TYPE_ID(bookstore, (bookstore::setting_entry))
CAF_ADD_TYPE_ID(bookstore, (bookstore::idempotency_lookup))
CAF_ADD_TYPE_ID(bookstore, (bookstore::idempotency_entry))
CAF_ADD_TYPE_ID(bookstore, (bookstore::order_page_request))
CAF_ADD_TYPE_ID(bookstore, (bookstore::top_books_request))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::book_query))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::book_page))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::cart_view_line))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::storage::cart_view_line>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::idempotency_record))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::sales_summary))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::storage::top_book>))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::storage::low_stock_item>))
// Reviews.
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::review_record))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::review_page))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::rating_change))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::review_filter))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::review_author))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::review_patch))
CAF_ADD_TYPE_ID(bookstore, (bookstore::review_draft))
CAF_ADD_TYPE_ID(bookstore, (bookstore::review_written))
CAF_ADD_TYPE_ID(bookstore, (bookstore::review_bulk))
CAF_ADD_TYPE_ID(bookstore, (bookstore::review_bulk_result))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::wishlist_item))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::wishlist_item>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::model::prebook))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::prebook>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::account))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::account_filter))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::account_page))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::prepared_transfer))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::storage::prepared_transfer>))
CAF_ADD_TYPE_ID(bookstore, (bookstore::storage::isbn_claim))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::book_id>))
CAF_ADD_TYPE_ID(bookstore, (std::vector<bookstore::model::book>))

// Book actor.
CAF_ADD_ATOM(bookstore, bookstore, reserve_atom, "reserve")
CAF_ADD_ATOM(bookstore, bookstore, commit_atom, "commit")
CAF_ADD_ATOM(bookstore, bookstore, release_atom, "release")
CAF_ADD_ATOM(bookstore, bookstore, stock_atom, "stock")
CAF_ADD_ATOM(bookstore, bookstore, expire_atom, "expire")
CAF_ADD_ATOM(bookstore, bookstore, rating_atom, "rating")
// Shared verbs.
CAF_ADD_ATOM(bookstore, bookstore, get_atom, "get")
CAF_ADD_ATOM(bookstore, bookstore, update_atom, "update")
CAF_ADD_ATOM(bookstore, bookstore, delete_atom, "delete")
CAF_ADD_ATOM(bookstore, bookstore, create_atom, "create")
CAF_ADD_ATOM(bookstore, bookstore, list_atom, "list")
CAF_ADD_ATOM(bookstore, bookstore, idle_atom, "idle")
CAF_ADD_ATOM(bookstore, bookstore, passivate_atom, "passivate")
// Cart and checkout.
CAF_ADD_ATOM(bookstore, bookstore, add_atom, "add")
CAF_ADD_ATOM(bookstore, bookstore, change_atom, "change")
CAF_ADD_ATOM(bookstore, bookstore, remove_atom, "remove")
CAF_ADD_ATOM(bookstore, bookstore, checkout_atom, "checkout")
CAF_ADD_ATOM(bookstore, bookstore, finished_atom, "finished")
CAF_ADD_ATOM(bookstore, bookstore, start_atom, "start")
CAF_ADD_ATOM(bookstore, bookstore, deadline_atom, "deadline")
// Payment.
CAF_ADD_ATOM(bookstore, bookstore, charge_atom, "charge")
CAF_ADD_ATOM(bookstore, bookstore, settle_atom, "settle")
CAF_ADD_ATOM(bookstore, bookstore, refund_atom, "refund")
// Store and registry: which table a verb is about.
CAF_ADD_ATOM(bookstore, bookstore, book_atom, "book")
CAF_ADD_ATOM(bookstore, bookstore, cart_atom, "cart")
CAF_ADD_ATOM(bookstore, bookstore, order_atom, "order")
CAF_ADD_ATOM(bookstore, bookstore, user_atom, "user")
CAF_ADD_ATOM(bookstore, bookstore, genre_atom, "genre")
CAF_ADD_ATOM(bookstore, bookstore, flush_atom, "flush")
CAF_ADD_ATOM(bookstore, bookstore, fault_atom, "fault")
// Gateway-facing records and reports.
CAF_ADD_ATOM(bookstore, bookstore, owner_atom, "owner")
CAF_ADD_ATOM(bookstore, bookstore, rotate_atom, "rotate")
CAF_ADD_ATOM(bookstore, bookstore, revoke_atom, "revoke")
CAF_ADD_ATOM(bookstore, bookstore, setting_atom, "setting")
CAF_ADD_ATOM(bookstore, bookstore, sales_atom, "sales")
CAF_ADD_ATOM(bookstore, bookstore, top_atom, "top")
CAF_ADD_ATOM(bookstore, bookstore, low_atom, "low")
CAF_ADD_ATOM(bookstore, bookstore, review_atom, "review")
// Wishlists and pre-bookings.
CAF_ADD_ATOM(bookstore, bookstore, wishlist_atom, "wishlist")
CAF_ADD_ATOM(bookstore, bookstore, prebook_atom, "prebook")
CAF_ADD_ATOM(bookstore, bookstore, cancel_atom, "cancel")
CAF_ADD_ATOM(bookstore, bookstore, restock_atom, "restock")
// Checkouts across the nodes of a cluster.
CAF_ADD_ATOM(bookstore, bookstore, prepare_atom, "prepare")
CAF_ADD_ATOM(bookstore, bookstore, finish_atom, "finish")
CAF_ADD_ATOM(bookstore, bookstore, transfer_atom, "transfer")
CAF_ADD_ATOM(bookstore, bookstore, peer_atom, "peer")
CAF_ADD_ATOM(bookstore, bookstore, isbn_atom, "isbn")

CAF_END_TYPE_ID_BLOCK(bookstore)
