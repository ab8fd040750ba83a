// The store actor: its state, and its behavior as a dispatch table. Each
// message goes to a named handler in the store_<domain>.cpp of its domain;
// the building blocks they share (queue a write, read at once) are in
// store_ops.hpp, the group commit in store_batch.cpp.

#include "actors/store_actor.hpp"

#include <utility>

#include "actors/reads.hpp"
#include "actors/store_accounts.hpp"
#include "actors/store_auth.hpp"
#include "actors/store_batch.hpp"
#include "actors/store_carts.hpp"
#include "actors/store_catalog.hpp"
#include "actors/store_lists.hpp"
#include "actors/store_orders.hpp"
#include "actors/store_reviews.hpp"
#include "actors/store_transfers.hpp"

namespace bookstore {

using read_ops::on_read;
using store_ops::self_ptr;

namespace {

/// The handler of the message (Atoms..., Args...): calls fn(self, args...).
/// The argument types come from the handler's own signature, so each entry
/// of the table below names only the atoms that select it.
template <class... Atoms, class R, class... Args>
auto on(self_ptr self, R (*fn)(self_ptr, Args...)) {
  return [self, fn](Atoms..., Args... args) -> R {
    return fn(self, std::move(args)...);
  };
}

/// One line per message of store_actor (handles.hpp documents each). The
/// on_read lines are the readers' messages (reads.hpp), answered here on
/// the write connection when there are no readers.
store_actor::behavior_type dispatch(self_ptr self) {
  namespace catalog = store_catalog;
  namespace carts = store_carts;
  namespace orders = store_orders;
  namespace auth = store_auth;
  namespace accounts = store_accounts;
  namespace reviews = store_reviews;
  namespace lists = store_lists;
  namespace transfers = store_transfers;
  namespace batch = store_batch;
  return {
      // -- catalog
      on<create_atom, genre_atom>(self, catalog::create_genre),
      on<update_atom, genre_atom>(self, catalog::keep_genre),
      on_read<list_atom, genre_atom>(self, reads::genres),
      on<create_atom, book_atom>(self, catalog::create_book),
      on<get_atom, book_atom>(self, catalog::get_book),
      on<update_atom, book_atom>(self, catalog::update_book),
      on<delete_atom, book_atom>(self, catalog::delete_book),
      on<get_atom, isbn_atom>(self, catalog::find_isbn_claim),
      on<create_atom, isbn_atom>(self, catalog::claim_isbn),
      on<remove_atom, isbn_atom>(self, catalog::drop_isbn_claim),
      on<settle_atom, isbn_atom>(self, catalog::settle_isbn_claim),
      on<stock_atom>(self, catalog::add_stock),
      on_read<list_atom, book_atom>(self, reads::search),
      on_read<list_atom, book_atom>(self, reads::books_by_ids),
      // -- carts
      on<get_atom, cart_atom>(self, carts::load),
      on<add_atom>(self, carts::add_item),
      on<change_atom>(self, carts::change_item),
      on<remove_atom>(self, carts::remove_item),
      on<list_atom, cart_atom>(self, carts::view),
      on<owner_atom>(self, carts::item_owner),
      // -- orders and idempotency records
      on<create_atom>(self, orders::create),
      on_read<get_atom, order_atom>(self, reads::order),
      on_read<list_atom>(self, reads::orders),
      on<get_atom>(self, orders::find_idempotency),
      on<create_atom>(self, orders::put_idempotency),
      // -- accounts, refresh tokens, settings
      on<create_atom>(self, auth::register_user),
      on<get_atom, user_atom>(self, auth::find_user),
      on<get_atom, user_atom>(self, auth::find_user_by_email),
      on<update_atom>(self, auth::promote_admin),
      on<create_atom>(self, auth::grant_token),
      on<rotate_atom>(self, auth::rotate_token),
      on<revoke_atom>(self, auth::revoke_token),
      on<get_atom, setting_atom>(self, auth::get_setting),
      on<update_atom>(self, auth::put_setting),
      // -- admin users
      on_read<list_atom, user_atom>(self, reads::accounts),
      on<update_atom>(self, accounts::set_active),
      // -- reports
      on_read<sales_atom>(self, reads::sales),
      on_read<top_atom>(self, reads::top_books),
      on_read<low_atom>(self, reads::low_stock),
      // -- reviews
      on<create_atom>(self, reviews::create_review),
      on<get_atom, review_atom>(self, reviews::get_review),
      on<update_atom, review_atom>(self, reviews::update_review),
      on<delete_atom, review_atom>(self, reviews::delete_review),
      on_read<list_atom, review_atom>(self, reads::book_reviews),
      on_read<list_atom>(self, reads::reviews),
      on_read<get_atom, review_atom, user_atom>(self, reads::review_author),
      on<delete_atom>(self, reviews::bulk_delete),
      // -- wishlists and pre-bookings
      on<add_atom, wishlist_atom>(self, lists::add_to_wishlist),
      on<list_atom, wishlist_atom>(self, lists::list_wishlist),
      on<remove_atom, wishlist_atom>(self, lists::remove_from_wishlist),
      on<create_atom, prebook_atom>(self, lists::create_prebook),
      on<list_atom, prebook_atom>(self, lists::list_prebooks),
      on<cancel_atom, prebook_atom>(self, lists::cancel_prebook),
      on<restock_atom>(self, lists::restock),
      // -- checkouts across nodes
      on<prepare_atom>(self, transfers::prepare),
      on<finish_atom>(self, transfers::finish),
      on<list_atom, transfer_atom>(self, transfers::list_prepared),
      on<get_atom, transfer_atom>(self, transfers::decided),
      // -- group commit
      on<fault_atom>(self, batch::set_fault),
      on<flush_atom>(self, batch::on_flush),
  };
}

} // namespace

store_actor::behavior_type
store(self_ptr self, std::shared_ptr<storage::database> db,
      std::shared_ptr<core_metrics> metrics, caf::timespan group_commit_window,
      caf::timespan read_budget, std::shared_ptr<account_directory> accounts) {
  self->state.db = std::move(db);
  self->state.window = group_commit_window;
  self->state.read_budget = read_budget;
  self->state.metrics = std::move(metrics);
  self->state.accounts =
      accounts ? std::move(accounts) : std::make_shared<account_directory>();
  // On shutdown, commit and answer whatever is still queued first.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    store_batch::commit_batch(self);
    self->quit(msg.reason);
  });
  return dispatch(self);
}

} // namespace bookstore
