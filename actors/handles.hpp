#pragma once

// The typed handles of every actor, in one place so that actors can name each
// other without including each other's implementation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/message_types.hpp"

namespace bookstore {

/// A reservation ticket: unique per checkout (its actor id).
using ticket = std::uint64_t;

/// One book: the single writer of its stock.
using book_actor = caf::typed_actor<
    // Holds `quantity` copies for the checkout `ticket` if they are available.
    caf::replies_to<reserve_atom, ticket,
                    std::int64_t>::with<reservation_reply>,
    // The reservation was sold; carries the quantity in case it expired.
    caf::reacts_to<commit_atom, ticket, std::int64_t>,
    // The reservation will not be sold.
    caf::reacts_to<release_atom, ticket>,
    // The book with its durable stock.
    caf::replies_to<get_atom>::with<model::book>,
    // Sets the absolute stock (written as a delta).
    caf::replies_to<stock_atom, std::int64_t>::with<model::book>,
    // Changes the fields the patch names.
    caf::replies_to<update_atom, model::book_patch>::with<model::book>,
    // Removes the book from sale.
    caf::replies_to<delete_atom>::with<bool>,
    // The book's live ratings after a committed review write: sum, count,
    // version; an older version than the one held is ignored.
    caf::replies_to<rating_atom, std::int64_t, std::int64_t,
                    std::int64_t>::with<bool>,
    // Pre-books the book for a user if it has no copy at all, on hand or
    // held (judged here, where the stock is serialized).
    caf::replies_to<prebook_atom, model::user_id>::with<model::prebook>,
    // A checkout across nodes (checkout_actor.hpp): the hold of `ticket`
    // becomes a durable part of transfer `transfer` (coordinated by node
    // `coordinator`), taken off the stock in the store; true once it is.
    caf::replies_to<prepare_atom, ticket, std::int64_t, std::int64_t,
                    std::int64_t>::with<bool>,
    // The transfer's decision for this book: committed (true) keeps the
    // copies sold, aborted returns them; a repeated one changes nothing.
    caf::replies_to<finish_atom, std::int64_t, bool>::with<bool>,
    // Internal timers: reservation expiry and idleness.
    caf::reacts_to<expire_atom>, caf::reacts_to<idle_atom>>;

/// The mock payment provider.
using payment_actor = caf::typed_actor<
    // Approves or declines a charge of `amount` cents (declines when the
    // flag asks it to).
    caf::replies_to<charge_atom, model::cents, bool>::with<payment_receipt>,
    // Voids the approved charge with this id and amount.
    caf::replies_to<refund_atom, std::uint64_t, model::cents>::with<bool>,
    // Internal: a delayed charge is due.
    caf::reacts_to<settle_atom, std::uint64_t>>;

/// A reader: one read-only SQLite connection of its own, beside the store's
/// writes (reader_actor.hpp). Its messages are a part of the store's, so a
/// store handle can stand in for a reader where there are none.
using reader_actor = caf::typed_actor<
    // -- catalog (reads.cpp) ---------------------------------------------
    // Every genre, by name.
    caf::replies_to<list_atom, genre_atom>::with<std::vector<model::genre>>,
    // A page of the catalog search (GET /books), within the read budget.
    caf::replies_to<list_atom, book_atom,
                    storage::book_query>::with<storage::book_page>,
    // The live books of these ids, as the listing shows them, in this
    // order (cluster: the rows of a deep page, once its ids are known).
    caf::replies_to<list_atom, book_atom, std::vector<model::book_id>>::with<
        std::vector<model::book>>,
    // -- orders ----------------------------------------------------------
    // One order.
    caf::replies_to<get_atom, order_atom, model::order_id>::with<model::order>,
    // A page of orders, newest first.
    caf::replies_to<list_atom,
                    order_page_request>::with<std::vector<model::order>>,
    // -- admin listings, and reports within the read budget -------------
    // A page of accounts (newest first).
    caf::replies_to<list_atom, user_atom,
                    storage::account_filter>::with<storage::account_page>,
    // Revenue, order count and average of a period ("today", "week",
    // "month"), against the one before.
    caf::replies_to<sales_atom, std::string>::with<storage::sales_summary>,
    // Best sellers.
    caf::replies_to<top_atom,
                    top_books_request>::with<std::vector<storage::top_book>>,
    // Live books whose stock is at or below this threshold.
    caf::replies_to<low_atom,
                    std::int64_t>::with<std::vector<storage::low_stock_item>>,
    // -- reviews ---------------------------------------------------------
    // A book's live reviews, newest first: page, size.
    caf::replies_to<list_atom, review_atom, model::book_id, std::int64_t,
                    std::int64_t>::with<storage::review_page>,
    // The moderation list.
    caf::replies_to<list_atom,
                    storage::review_filter>::with<storage::review_page>,
    // What this file tells of a user as the author of a review of a book:
    // their email and whether a confirmed order of theirs holds it.
    caf::replies_to<get_atom, review_atom, user_atom, model::user_id,
                    model::book_id>::with<storage::review_author>>;

/// The only writer of SQLite; writes are group-committed (store_actor.hpp).
/// A write is answered once its transaction has committed; a domain
/// rejection is an error reply. Handlers: store_<domain>.cpp; the readers'
/// messages it also answers: reads.cpp.
using store_actor = reader_actor::extend<
    // -- catalog (store_catalog.cpp) -----------------------------------------
    // Creates a genre with this name (unique in any case).
    caf::replies_to<create_atom, genre_atom, std::string>::with<model::genre>,
    // Keeps a copy of another node's genre, id and name, unless this file
    // has that id (cluster: the first node keeps the genres).
    caf::replies_to<update_atom, genre_atom, model::genre>::with<bool>,
    // Creates a book with its initial stock; answers it with its id.
    caf::replies_to<create_atom, book_atom, model::book>::with<model::book>,
    // A live book.
    caf::replies_to<get_atom, book_atom, model::book_id>::with<model::book>,
    // Writes every field of the book but its stock; in a cluster, under the
    // ISBN claim with this token (none: empty), refused if it was voided.
    caf::replies_to<update_atom, book_atom, model::book,
                    std::string>::with<model::book>,
    // Soft-deletes the book and its reviews.
    caf::replies_to<delete_atom, book_atom, model::book_id>::with<bool>,
    // -- a cluster's ISBN claims (storage/isbn_claims.hpp) ------------------
    // On the ISBN's node: the claim on this ISBN (book 0: none).
    caf::replies_to<get_atom, isbn_atom,
                    std::string>::with<storage::isbn_claim>,
    // On the ISBN's node: claims it for another node's book; answers the
    // claim granted, or the claim kept already (of any book). A live book
    // of this node with it: BOOK_ISBN_CONFLICT.
    caf::replies_to<create_atom, isbn_atom,
                    storage::isbn_claim>::with<storage::isbn_claim>,
    // On the ISBN's node: removes the claim if it still has this token.
    caf::replies_to<remove_atom, isbn_atom, storage::isbn_claim>::with<bool>,
    // On the claiming book's node: true if the book holds the ISBN, else
    // the claim's token is voided and false.
    caf::replies_to<settle_atom, isbn_atom, storage::isbn_claim>::with<bool>,
    // Adds `delta` to the stock (never an absolute write).
    caf::replies_to<stock_atom, model::book_id,
                    std::int64_t>::with<std::int64_t>,
    // -- carts (store_carts.cpp) ---------------------------------------------
    // The user's cart lines, in insertion order.
    caf::replies_to<get_atom, cart_atom,
                    model::user_id>::with<std::vector<model::cart_line>>,
    // Adds a line to the user's cart: owner, book, quantity.
    caf::replies_to<add_atom, model::user_id, model::book_id,
                    std::int64_t>::with<model::cart_line>,
    // Sets the quantity of a cart line.
    caf::replies_to<change_atom, model::cart_item_id, std::int64_t>::with<bool>,
    // Removes a cart line.
    caf::replies_to<remove_atom, model::cart_item_id>::with<bool>,
    // The user's cart lines with their books as they are now (GET /cart).
    caf::replies_to<list_atom, cart_atom,
                    model::user_id>::with<std::vector<storage::cart_view_line>>,
    // Whose cart holds the item; 0 for nobody's.
    caf::replies_to<owner_atom, model::cart_item_id>::with<model::user_id>,
    // -- orders and idempotency records (store_orders.cpp) -------------------
    // Persists an order, its stock deltas, its cart clear and its key's
    // outcome atomically.
    caf::replies_to<create_atom, order_draft>::with<model::order>,
    // A live idempotency record.
    caf::replies_to<get_atom,
                    idempotency_lookup>::with<storage::idempotency_record>,
    // Stores an idempotency record, purging expired ones.
    caf::replies_to<create_atom, idempotency_entry>::with<bool>,
    // -- accounts, refresh tokens, settings (store_auth.cpp) -----------------
    // Registers an account (an email taken in any case is a conflict).
    caf::replies_to<create_atom, user_registration>::with<storage::user_record>,
    // The account with this id.
    caf::replies_to<get_atom, user_atom,
                    model::user_id>::with<storage::user_record>,
    // The account with this email, in any case.
    caf::replies_to<get_atom, user_atom,
                    std::string>::with<storage::user_record>,
    // Makes the user an admin with this password hash (bootstrap).
    caf::replies_to<update_atom, admin_promotion>::with<bool>,
    // Stores a refresh token (and now and then purges expired ones).
    caf::replies_to<create_atom, refresh_grant>::with<bool>,
    // Revokes the presented refresh token and stores its successor, or
    // tells why not (storage::rotate_refresh_token).
    caf::replies_to<rotate_atom, storage::rotation_request>::with<rotation>,
    // Revokes the family of the token with this hash (logout).
    caf::replies_to<revoke_atom, std::string>::with<bool>,
    // The setting stored under this key.
    caf::replies_to<get_atom, setting_atom, std::string>::with<std::string>,
    // Stores a setting.
    caf::replies_to<update_atom, setting_entry>::with<bool>,
    // -- admin users (store_accounts.cpp) ------------------------------------
    // Deactivates or reactivates an account; idempotent.
    caf::replies_to<update_atom, account_activation>::with<storage::account>,
    // -- reviews (store_reviews.cpp) -----------------------------------------
    // Creates a review: checks the book, a live duplicate (answered with its
    // id), the purchase, a deleted duplicate.
    caf::replies_to<create_atom, review_draft>::with<review_written>,
    // A live review.
    caf::replies_to<get_atom, review_atom,
                    model::review_id>::with<storage::review_record>,
    // The author (the user id) changes a review.
    caf::replies_to<update_atom, review_atom, model::review_id, model::user_id,
                    model::review_patch>::with<review_written>,
    // The author, or an admin (the flag), soft-deletes a review.
    caf::replies_to<delete_atom, review_atom, model::review_id, model::user_id,
                    bool>::with<storage::rating_change>,
    // Soft-deletes the listed live reviews.
    caf::replies_to<delete_atom, review_bulk>::with<review_bulk_result>,
    // -- wishlists and pre-bookings (store_lists.cpp) ------------------------
    // Puts a live book on the user's wishlist.
    caf::replies_to<add_atom, wishlist_atom, model::user_id,
                    model::book_id>::with<model::wishlist_item>,
    // The user's wishlist, newest first.
    caf::replies_to<list_atom, wishlist_atom,
                    model::user_id>::with<std::vector<model::wishlist_item>>,
    // Takes a book off the user's wishlist.
    caf::replies_to<remove_atom, wishlist_atom, model::user_id,
                    model::book_id>::with<bool>,
    // Stores a waiting pre-booking (the book actor checked the stock).
    caf::replies_to<create_atom, prebook_atom, model::user_id,
                    model::book_id>::with<model::prebook>,
    // All of the user's pre-bookings, newest first.
    caf::replies_to<list_atom, prebook_atom,
                    model::user_id>::with<std::vector<model::prebook>>,
    // Cancels the user's pre-booking with this id.
    caf::replies_to<cancel_atom, prebook_atom, model::user_id,
                    model::prebook_id>::with<bool>,
    // Adds `delta` to the stock and, in the same write, notifies the waiting
    // pre-bookings if the stock went from 0 to more than 0.
    caf::replies_to<restock_atom, model::book_id,
                    std::int64_t>::with<std::int64_t>,
    // -- checkouts across nodes (store_transfers.cpp) -------------------------
    // Records a book's prepared part and takes its copies off the stock;
    // false if it was prepared already.
    caf::replies_to<prepare_atom, storage::prepared_transfer>::with<bool>,
    // Ends a book's part: transfer, book, committed? Answers the copies
    // returned to the stock.
    caf::replies_to<finish_atom, std::int64_t, model::book_id,
                    bool>::with<std::int64_t>,
    // Prepared parts recorded at or before this Unix time.
    caf::replies_to<list_atom, transfer_atom, std::int64_t>::with<
        std::vector<storage::prepared_transfer>>,
    // Whether this transfer committed (it has a decision). Queued behind
    // the writes before it, so an order being written is seen.
    caf::replies_to<get_atom, transfer_atom, std::int64_t>::with<bool>,
    // -- group commit (store_batch.cpp) --------------------------------------
    // Test switch: make every write fail as on a read-only file, or not.
    caf::replies_to<fault_atom, bool>::with<bool>,
    // Internal: commit what has been queued.
    caf::reacts_to<flush_atom>>;

/// One user's cart.
using cart_actor = caf::typed_actor<
    caf::replies_to<get_atom>::with<std::vector<model::cart_line>>,
    // Adds a book (it must exist and be in stock); rejects duplicates.
    // Answers with the new line and its book as it was seen.
    caf::replies_to<add_atom, model::book_id,
                    std::int64_t>::with<storage::cart_view_line>,
    caf::replies_to<change_atom, model::cart_item_id,
                    std::int64_t>::with<model::cart_line>,
    caf::replies_to<remove_atom, model::cart_item_id>::with<bool>,
    // Runs a checkout of the whole cart; one at a time.
    caf::replies_to<checkout_atom, checkout_request>::with<checkout_outcome>,
    // Internal: the running checkout ended; the sold lines leave the cart.
    caf::reacts_to<finished_atom, std::vector<model::cart_line>>,
    // Internal: the deadline of the checkout at this address passed.
    caf::reacts_to<deadline_atom, caf::actor_addr>, caf::reacts_to<idle_atom>>;

/// Finds book and cart actors, spawning them from the database when first
/// needed and forgetting them when they passivate.
using registry_actor = caf::typed_actor<
    caf::replies_to<book_atom, model::book_id>::with<book_actor>,
    caf::replies_to<cart_atom, model::user_id>::with<cart_actor>,
    // Creates a book in the store (stock as given) and returns it.
    caf::replies_to<create_atom, model::book>::with<model::book>,
    // An idle actor asks to stop; true means it is forgotten and must quit.
    caf::replies_to<passivate_atom, model::book_id, book_actor>::with<bool>,
    caf::replies_to<passivate_atom, model::user_id, cart_actor>::with<bool>,
    // -- a cluster (checkout_actor.hpp) --------------------------------------
    // The registry of node `node` (another node's, through the middleman),
    // which hands out that node's books; an invalid handle forgets it.
    caf::reacts_to<peer_atom, std::uint32_t, caf::actor>,
    // A checkout across nodes has started, or ended (decided or aborted).
    caf::reacts_to<transfer_atom, start_atom, std::int64_t>,
    caf::reacts_to<transfer_atom, finished_atom, std::int64_t>,
    // What became of a transfer that node `coordinator` coordinates: asked
    // by a book owner holding a prepared part; passed on to that node.
    caf::replies_to<transfer_atom, std::int64_t,
                    std::uint32_t>::with<transfer_status>>;

/// One checkout: the saga from reservation to commit or release.
using checkout_actor =
    caf::typed_actor<caf::replies_to<start_atom>::with<checkout_outcome>,
                     caf::reacts_to<deadline_atom>>;

} // namespace bookstore
