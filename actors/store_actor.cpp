#include "actors/store_actor.hpp"

#include <utility>

#include "actors/errors.hpp"

namespace bookstore {

namespace {

using self_ptr = store_actor::stateful_pointer<store_state>;
using model::error_code;

/// Runs `fn` and turns a storage failure of `kind` into the domain `code`.
template <class F>
auto translating(storage::failure_kind kind, error_code code, F fn) {
  return [=](storage::database& db) {
    try {
      return fn(db);
    } catch (const storage::error& e) {
      if (e.kind() == kind)
        throw rejection{code};
      throw;
    }
  };
}

void schedule_flush(self_ptr self) {
  if (!self->state.flush_scheduled) {
    self->state.flush_scheduled = true;
    // Lands behind everything already in the mailbox: whatever arrives while
    // this transaction is being written joins the next one.
    self->send(self, flush_atom::value);
  }
}

/// Queues a write whose result of type T is delivered after its commit.
template <class T, class F>
caf::typed_response_promise<T> enqueue(self_ptr self, F fn,
                                       bool is_order = false) {
  auto rp = self->make_response_promise<T>();
  pending_write w;
  w.run = [rp, fn](storage::database& db) mutable -> std::function<void()> {
    T value = fn(db);
    return [rp, value = std::move(value)]() mutable {
      rp.deliver(std::move(value));
    };
  };
  w.fail = [rp](const caf::error& err) mutable { rp.deliver(err); };
  w.is_order = is_order;
  self->state.queue.push_back(std::move(w));
  schedule_flush(self);
  return rp;
}

/// Runs a read at once: it sees everything committed and nothing queued.
template <class F>
auto read(self_ptr self, F fn) -> caf::result<decltype(fn(*self->state.db))> {
  try {
    return fn(*self->state.db);
  } catch (const rejection& r) {
    return make_error(r.code);
  } catch (const storage::error&) {
    return make_error(error_code::store_unavailable);
  }
}

/// A storage failure that breaks the whole transaction rather than one
/// operation of it.
bool breaks_transaction(const storage::error& e) {
  return e.kind() == storage::failure_kind::unavailable
         || e.kind() == storage::failure_kind::busy;
}

/// Commits everything queued in one transaction, each write inside its own
/// savepoint so that a rejected write does not undo the others.
void flush(self_ptr self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  auto batch = std::move(st.queue);
  st.queue.clear();
  if (batch.empty())
    return;
  auto& db = *st.db;
  std::vector<std::function<void()>> deliveries(batch.size());
  std::vector<error_code> rejected(batch.size(), error_code::none);
  std::uint64_t orders = 0;
  try {
    db.begin();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      db.savepoint();
      try {
        deliveries[i] = batch[i].run(db);
        db.release_savepoint();
        orders += batch[i].is_order ? 1 : 0;
      } catch (const rejection& r) {
        db.rollback_to_savepoint();
        rejected[i] = r.code;
      } catch (const storage::error& e) {
        if (breaks_transaction(e))
          throw;
        db.rollback_to_savepoint();
        rejected[i] = error_code::internal_error;
      }
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
  st.metrics->orders_committed.fetch_add(orders, std::memory_order_relaxed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (rejected[i] != error_code::none)
      batch[i].fail(make_error(rejected[i]));
    else
      deliveries[i]();
  }
}

} // namespace

store_actor::behavior_type store(self_ptr self,
                                 std::shared_ptr<storage::database> db,
                                 std::shared_ptr<core_metrics> metrics) {
  self->state.db = std::move(db);
  self->state.metrics = std::move(metrics);
  // On shutdown, commit and answer whatever is still queued first.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    flush(self);
    self->quit(msg.reason);
  });
  using storage::failure_kind;
  return {
      [=](create_atom, user_atom, std::string email, std::string hash,
          std::string role) {
        return enqueue<storage::user_record>(
            self,
            translating(failure_kind::unique, error_code::auth_email_conflict,
                        [=](storage::database& db) {
                          return db.insert_user(email, hash, role);
                        }));
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
                [=](storage::database& db) {
                  return db.insert_order(draft.owner, draft.lines,
                                         draft.sold_items, draft.created_at);
                }),
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
      [=](list_atom, order_atom,
          model::user_id owner) -> caf::result<std::vector<model::order>> {
        return read(self, [=](storage::database& db) {
          return db.list_orders(
              owner == 0 ? std::nullopt : std::optional<model::user_id>{owner});
        });
      },
      [=](fault_atom, bool on) -> caf::result<bool> {
        return read(self, [=](storage::database& db) {
          db.set_query_only(on);
          return on;
        });
      },
      [=](flush_atom) { flush(self); },
  };
}

} // namespace bookstore
