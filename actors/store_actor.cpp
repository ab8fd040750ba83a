#include "actors/store_actor.hpp"

#include <chrono>
#include <utility>

#include "actors/store_accounts.hpp"
#include "actors/store_lists.hpp"
#include "actors/store_ops.hpp"
#include "actors/store_reviews.hpp"
#include "model/time.hpp"
#include "storage/queries.hpp"

namespace bookstore {

using store_ops::self_ptr;

namespace {

using model::error_code;
using store_ops::bounded_read;
using store_ops::enqueue;
using store_ops::read;
using store_ops::translating;

void commit_batch(self_ptr self);

/// Every login adds a refresh token row. With it, drop a batch of expired
/// ones: at most every 10 minutes (a purge scans the table), or at the next
/// login again while batches come back full.
void purge_expired_tokens(self_ptr self, storage::database& db) {
  constexpr std::int64_t batch = 1000;
  auto now = model::unix_now();
  if (now < self->state.next_token_purge)
    return;
  auto purged = storage::purge_refresh_tokens(db, now, batch);
  self->state.next_token_purge = purged < batch ? now + 600 : now;
}

void schedule_flush(self_ptr self) {
  if (!self->state.flush_scheduled) {
    self->state.flush_scheduled = true;
    // Lands behind everything already in the mailbox: whatever arrives while
    // this transaction is being written joins the next one.
    self->send(self, flush_atom::value);
  }
}

/// A storage failure that breaks the whole transaction rather than one
/// operation of it.
bool breaks_transaction(const storage::error& e) {
  return e.kind() == storage::failure_kind::unavailable
         || e.kind() == storage::failure_kind::busy;
}

/// What running a batch inside one transaction gave, write by write.
struct batch_result {
  std::vector<std::function<void()>> deliveries;
  std::vector<error_code> rejected;
  std::uint64_t orders = 0;
  bool any_rejected = false;
};

/// Runs every write of `batch` in the open transaction. With `isolate`, each
/// write has its own savepoint, so a rejected one is undone alone; without,
/// the first rejection stops the run (the caller rolls back and isolates).
/// Storage failures that break the transaction propagate.
batch_result run_batch(storage::database& db, std::vector<pending_write>& batch,
                       bool isolate) {
  batch_result r;
  r.deliveries.resize(batch.size());
  r.rejected.assign(batch.size(), error_code::none);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (isolate)
      db.savepoint();
    try {
      r.deliveries[i] = batch[i].run(db);
      if (isolate)
        db.release_savepoint();
      r.orders += batch[i].is_order ? 1 : 0;
      continue;
    } catch (const rejection& rej) {
      r.rejected[i] = rej.code;
    } catch (const storage::error& e) {
      if (breaks_transaction(e))
        throw;
      r.rejected[i] = error_code::internal_error;
    }
    r.any_rejected = true;
    if (!isolate)
      return r;
    db.rollback_to_savepoint();
  }
  return r;
}

/// Commits everything queued in one transaction. Most batches have no
/// rejected write and run without savepoints; a batch with one is rolled
/// back and run again with a savepoint per write, so a rejected write does
/// not undo the others.
void commit_batch(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  st.holding = false;
  auto batch = std::move(st.queue);
  st.queue.clear();
  if (batch.empty())
    return;
  st.last_batch = batch.size();
  auto& db = *st.db;
  batch_result r;
  try {
    db.begin();
    r = run_batch(db, batch, false);
    if (r.any_rejected) {
      db.rollback();
      db.begin();
      r = run_batch(db, batch, true);
    }
    db.commit();
  } catch (const storage::error&) {
    // Nothing of this batch is written, and nothing of it is acknowledged.
    db.rollback();
    st.metrics->failed_batches.fetch_add(1, std::memory_order_relaxed);
    for (auto& w : batch)
      w.fail(make_error(error_code::store_unavailable));
    return;
  }
  st.metrics->commits.fetch_add(1, std::memory_order_relaxed);
  st.metrics->writes_committed.fetch_add(batch.size(),
                                         std::memory_order_relaxed);
  st.metrics->orders_committed.fetch_add(r.orders, std::memory_order_relaxed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (r.rejected[i] != error_code::none)
      batch[i].fail(make_error(r.rejected[i]));
    else
      r.deliveries[i]();
  }
}

/// A flush is due. Under load (the last batch was larger than what is queued
/// now) it waits up to the group commit window for the others to arrive:
/// one fsync for all of them instead of several.
void on_flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (st.queue.empty())
    return;
  auto waited = self->clock().now() - st.first_queued;
  if (st.queue.size() < st.last_batch && waited < st.window) {
    st.holding = true;
    st.flush_scheduled = true;
    self->delayed_send(self, st.window - waited, flush_atom::value);
    return;
  }
  commit_batch(self);
}

} // namespace

void store_ops::submit_write(self_ptr self, pending_write w) {
  auto& st = self->state;
  st.queue.push_back(std::move(w));
  if (st.queue.size() == 1)
    st.first_queued = self->clock().now();
  if (st.holding && st.queue.size() >= st.last_batch)
    commit_batch(self); // everybody expected is here: no need to wait
  else
    schedule_flush(self);
}

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
    commit_batch(self);
    self->quit(msg.reason);
  });
  using storage::failure_kind;
  return {
      [=](create_atom, user_atom, std::string email, std::string hash,
          std::string role) {
        // Known to the account directory before anybody hears of it.
        auto directory = self->state.accounts;
        return store_ops::enqueue_then<storage::user_record>(
            self,
            translating(failure_kind::unique, error_code::auth_email_conflict,
                        [=](storage::database& db) {
                          return db.insert_user(email, hash, role);
                        }),
            [directory](const storage::user_record& user) {
              directory->set(user.id, true);
            });
      },
      [=](get_atom, user_atom,
          model::user_id id) -> caf::result<storage::user_record> {
        return read(self, [=](storage::database& db) {
          if (auto user = db.find_user(id))
            return *user;
          throw rejection{error_code::validation_error};
        });
      },
      [=](create_atom, genre_atom, std::string name) {
        return enqueue<model::genre>(
            self, translating(failure_kind::unique, error_code::genre_conflict,
                              [=](storage::database& db) {
                                return db.insert_genre(name);
                              }));
      },
      [=](list_atom, genre_atom) -> caf::result<std::vector<model::genre>> {
        return read(self,
                    [](storage::database& db) { return db.list_genres(); });
      },
      [=](create_atom, book_atom, model::book draft) {
        return enqueue<model::book>(
            self,
            translating(failure_kind::unique, error_code::book_isbn_conflict,
                        translating(failure_kind::foreign_key,
                                    error_code::validation_error,
                                    [=](storage::database& db) {
                                      return db.insert_book(draft);
                                    })));
      },
      [=](get_atom, book_atom, model::book_id id) -> caf::result<model::book> {
        return read(self, [=](storage::database& db) {
          if (auto found = db.find_book(id))
            return *found;
          throw rejection{error_code::book_not_found};
        });
      },
      [=](update_atom, book_atom, model::book changed) {
        return enqueue<model::book>(
            self,
            translating(failure_kind::unique, error_code::book_isbn_conflict,
                        translating(failure_kind::foreign_key,
                                    error_code::validation_error,
                                    [=](storage::database& db) {
                                      db.update_book(changed);
                                      return changed;
                                    })));
      },
      [=](delete_atom, book_atom, model::book_id id) {
        return enqueue<bool>(self, [=](storage::database& db) {
          if (!db.delete_book(id))
            throw rejection{error_code::book_not_found};
          store_reviews::delete_book_reviews(db, id);
          return true;
        });
      },
      [=](stock_atom, model::book_id id, std::int64_t delta) {
        return enqueue<std::int64_t>(
            self, translating(failure_kind::check, error_code::validation_error,
                              [=](storage::database& db) {
                                db.add_stock(id, delta);
                                return delta;
                              }));
      },
      [=](get_atom, cart_atom,
          model::user_id owner) -> caf::result<std::vector<model::cart_line>> {
        return read(self,
                    [=](storage::database& db) { return db.load_cart(owner); });
      },
      [=](add_atom, model::user_id owner, model::book_id book,
          std::int64_t quantity) {
        return enqueue<model::cart_line>(
            self,
            translating(failure_kind::unique, error_code::cart_item_duplicate,
                        translating(failure_kind::foreign_key,
                                    error_code::book_not_found,
                                    [=](storage::database& db) {
                                      return db.insert_cart_item(owner, book,
                                                                 quantity);
                                    })));
      },
      [=](change_atom, model::cart_item_id item, std::int64_t quantity) {
        return enqueue<bool>(self, [=](storage::database& db) {
          db.update_cart_item(item, quantity);
          return true;
        });
      },
      [=](remove_atom, model::cart_item_id item) {
        return enqueue<bool>(self, [=](storage::database& db) {
          db.delete_cart_item(item);
          return true;
        });
      },
      [=](create_atom, order_draft draft) {
        return enqueue<model::order>(
            self,
            translating(
                failure_kind::check, error_code::order_insufficient_stock,
                translating(failure_kind::foreign_key,
                            error_code::order_items_unavailable,
                            [=](storage::database& db) {
                              auto order = db.insert_order(
                                  draft.owner, draft.lines, draft.sold_items,
                                  draft.created_at);
                              // The key's outcome commits with the order or not
                              // at all: a crash can never leave an order its
                              // key does not name.
                              if (!draft.idempotency_key.empty())
                                storage::record_order_outcome(
                                    db, draft.owner, draft.idempotency_key,
                                    order.id, draft.idempotency_at);
                              return order;
                            })),
            true);
      },
      [=](get_atom, order_atom,
          model::order_id id) -> caf::result<model::order> {
        return read(self, [=](storage::database& db) {
          if (auto found = db.find_order(id))
            return *found;
          throw rejection{error_code::order_not_found};
        });
      },
      [=](list_atom, order_atom, model::user_id owner, model::order_id before,
          std::int64_t limit) -> caf::result<std::vector<model::order>> {
        return read(self, [=](storage::database& db) {
          return db.list_orders(
              owner == 0 ? std::nullopt : std::optional<model::user_id>{owner},
              before, limit);
        });
      },
      // -- accounts
      // ------------------------------------------------------------
      [=](get_atom, user_atom,
          std::string email) -> caf::result<storage::user_record> {
        return read(self, [=](storage::database& db) {
          if (auto user = db.find_user_by_email(email))
            return *user;
          throw rejection{error_code::not_found};
        });
      },
      [=](update_atom, user_atom, model::user_id id, std::string hash) {
        // The bootstrap admin is always active (admins cannot be
        // deactivated; a deactivated user promoted here is active again).
        auto directory = self->state.accounts;
        return store_ops::enqueue_then<bool>(
            self,
            [=](storage::database& db) {
              db.set_user_role(id, "admin");
              db.set_user_password(id, hash);
              storage::set_account_active(db, id, true);
              return true;
            },
            [directory, id](bool) { directory->set(id, true); });
      },
      [=](create_atom, token_atom, model::user_id user, std::string hash,
          std::string family, std::int64_t expires_at) {
        return enqueue<bool>(self, [=](storage::database& db) {
          storage::insert_refresh_token(db, user, hash, family, expires_at);
          purge_expired_tokens(self, db);
          return true;
        });
      },
      [=](rotate_atom, std::string old_hash, std::string new_hash,
          std::int64_t now, std::int64_t expires_at) {
        // Check and rotate in one write: writes are serialized here, so two
        // refreshes with one token can never both succeed.
        return enqueue<rotation>(self, [=](storage::database& db) {
          rotation result;
          auto old = storage::find_refresh_token(db, old_hash);
          if (!old || old->expires_at <= now)
            return result; // invalid
          auto user = db.find_user(old->user);
          if (!user)
            return result;
          if (old->revoked) {
            storage::revoke_token_family(db, old->family);
            result.status = rotation_status::reused;
            return result;
          }
          if (!user->active) {
            result.status = rotation_status::inactive;
            return result;
          }
          storage::revoke_refresh_token(db, old->id);
          storage::insert_refresh_token(db, old->user, new_hash, old->family,
                                        expires_at);
          result.status = rotation_status::rotated;
          result.user = *user;
          return result;
        });
      },
      [=](list_atom, user_atom, storage::account_filter f) {
        return store_accounts::list_accounts(self, std::move(f));
      },
      [=](update_atom, user_atom, model::user_id id, bool active) {
        return store_accounts::set_active(self, id, active);
      },
      [=](revoke_atom, std::string hash) {
        return enqueue<bool>(self, [=](storage::database& db) {
          auto found = storage::find_refresh_token(db, hash);
          if (found)
            storage::revoke_token_family(db, found->family);
          return found.has_value();
        });
      },
      [=](get_atom, setting_atom, std::string key) -> caf::result<std::string> {
        return read(self, [=](storage::database& db) {
          if (auto value = storage::get_setting(db, key))
            return *value;
          throw rejection{error_code::not_found};
        });
      },
      [=](update_atom, setting_atom, std::string key, std::string value) {
        return enqueue<bool>(self, [=](storage::database& db) {
          storage::put_setting(db, key, value);
          return true;
        });
      },
      // -- idempotency
      // ---------------------------------------------------------
      [=](get_atom, idem_atom, model::user_id user, std::string key,
          std::int64_t not_before) -> caf::result<storage::idempotency_record> {
        return read(self, [=](storage::database& db) {
          if (auto found = storage::find_idempotency(db, user, key, not_before))
            return *found;
          throw rejection{error_code::not_found};
        });
      },
      [=](create_atom, idem_atom, model::user_id user, std::string key,
          storage::idempotency_record record) {
        return enqueue<bool>(self, [=](storage::database& db) {
          storage::purge_idempotency(db, record.created_at - 24 * 3600);
          storage::put_idempotency(db, user, key, record);
          return true;
        });
      },
      // -- catalog, cart view, reports
      // -------------------------------------------
      [=](list_atom, book_atom,
          storage::book_query query) -> caf::result<storage::book_page> {
        return bounded_read(self, [=](storage::database& db) {
          return storage::search_books(db, query);
        });
      },
      [=](list_atom, cart_atom, model::user_id owner)
          -> caf::result<std::vector<storage::cart_view_line>> {
        return read(self, [=](storage::database& db) {
          return storage::cart_view(db, owner);
        });
      },
      [=](owner_atom, model::cart_item_id item) -> caf::result<model::user_id> {
        return read(self, [=](storage::database& db) {
          return storage::cart_item_owner(db, item).value_or(0);
        });
      },
      [=](sales_atom,
          std::string period) -> caf::result<storage::sales_summary> {
        return bounded_read(self, [=](storage::database& db) {
          return storage::summarize_sales(db, period,
                                          std::chrono::system_clock::now());
        });
      },
      [=](top_atom, bool by_revenue, std::int64_t limit,
          std::string period) -> caf::result<std::vector<storage::top_book>> {
        return bounded_read(self, [=](storage::database& db) {
          return storage::top_books(db, by_revenue, static_cast<int>(limit),
                                    period);
        });
      },
      [=](low_atom, std::int64_t threshold)
          -> caf::result<std::vector<storage::low_stock_item>> {
        return bounded_read(self, [=](storage::database& db) {
          return storage::low_stock(db, threshold);
        });
      },
      // -- reviews (store_reviews.cpp)
      [=](create_atom, review_draft draft) {
        return store_reviews::create_review(self, std::move(draft));
      },
      [=](get_atom, review_atom, model::review_id id) {
        return store_reviews::get_review(self, id);
      },
      [=](update_atom, review_atom, model::review_id id, model::user_id caller,
          model::review_patch patch) {
        return store_reviews::update_review(self, id, caller, std::move(patch));
      },
      [=](delete_atom, review_atom, model::review_id id, model::user_id caller,
          bool admin) {
        return store_reviews::delete_review(self, id, caller, admin);
      },
      [=](list_atom, review_atom, model::book_id book, std::int64_t page,
          std::int64_t size) {
        return store_reviews::list_book_reviews(self, book, page, size);
      },
      [=](list_atom, storage::review_filter filter) {
        return store_reviews::list_reviews(self, std::move(filter));
      },
      [=](delete_atom, review_bulk bulk) {
        return store_reviews::bulk_delete(self, std::move(bulk));
      },
      // -- wishlists and pre-bookings (store_lists.cpp)
      [=](add_atom, wishlist_atom, model::user_id user, model::book_id book) {
        return store_lists::add_to_wishlist(self, user, book);
      },
      [=](list_atom, wishlist_atom, model::user_id user) {
        return store_lists::list_wishlist(self, user);
      },
      [=](remove_atom, wishlist_atom, model::user_id user,
          model::book_id book) {
        return store_lists::remove_from_wishlist(self, user, book);
      },
      [=](create_atom, prebook_atom, model::user_id user, model::book_id book) {
        return store_lists::create_prebook(self, user, book);
      },
      [=](list_atom, prebook_atom, model::user_id user) {
        return store_lists::list_prebooks(self, user);
      },
      [=](cancel_atom, prebook_atom, model::user_id user,
          model::prebook_id id) {
        return store_lists::cancel_prebook(self, user, id);
      },
      [=](restock_atom, model::book_id book, std::int64_t delta) {
        return store_lists::restock(self, book, delta);
      },
      [=](fault_atom, bool on) -> caf::result<bool> {
        return read(self, [=](storage::database& db) {
          db.set_query_only(on);
          return on;
        });
      },
      [=](flush_atom) { on_flush(self); },
  };
}

} // namespace bookstore
