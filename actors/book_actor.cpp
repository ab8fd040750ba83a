#include "actors/book_actor.hpp"

#include <algorithm>
#include <type_traits>

#include "actors/errors.hpp"
#include "model/time.hpp"

namespace bookstore {

// A checkout's ticket names its hold, and hold deadlines are read on the
// actor clock.
static_assert(std::is_same_v<ticket, model::hold_id>);
static_assert(std::is_same_v<caf::actor_clock::clock_type, model::hold_clock>);

namespace {

using book_self = book_actor::stateful_pointer<book_state>;
using model::error_code;

/// Remembers that the actor did something, which postpones passivation.
void touch_book(book_self self) {
  self->state.last_active = self->clock().now();
}

model::book current(book_self self) {
  auto result = self->state.book;
  result.stock_quantity = self->state.reservations.on_hand();
  return result;
}

model::book_summary summary(const model::book& b) {
  return {b.id, b.title, b.author, b.cover_image_url, b.price};
}

/// One expiry timer at a time, for the earliest hold only.
void arm_expiry(book_self self, caf::timespan after) {
  if (!self->state.expiry_armed) {
    self->state.expiry_armed = true;
    self->delayed_send(self, after, expire_atom::value);
  }
}

/// A hold whose prepared part the store is writing is decided by the
/// store's answer (sold, or released on failure), not by its deadline or a
/// release: until then its copies stay out of reach.
model::reservations::pinned_holds being_prepared(book_self self) {
  return
      [self](ticket holder) { return self->state.preparing.count(holder) > 0; };
}

/// Releases `holder`'s hold unless its prepared part is being written (the
/// store's answer decides that one): for a saga that gave up or died.
void release_unless_preparing(book_self self, ticket holder) {
  if (self->state.preparing.count(holder) == 0)
    self->state.reservations.release(holder);
}

/// Arms the timer for the earliest deadline of a hold that may expire.
void arm_next_expiry(book_self self) {
  auto now = self->clock().now();
  if (auto next = self->state.reservations.next_deadline(being_prepared(self)))
    arm_expiry(self, std::max(caf::timespan{0}, *next - now));
}

void release_expired(book_self self) {
  auto& st = self->state;
  st.expiry_armed = false;
  st.reservations.expire(self->clock().now(), being_prepared(self));
  arm_next_expiry(self);
}

reservation_reply reserve(book_self self, ticket holder,
                          std::int64_t quantity) {
  auto& st = self->state;
  reservation_reply reply;
  reply.book = summary(st.book);
  if (st.deleted) {
    reply.status = reservation_status::gone;
  } else if (!st.reservations.reserve(holder, quantity,
                                      self->clock().now()
                                          + st.reservation_timeout)) {
    reply.status = reservation_status::short_stock;
    reply.available = std::max<std::int64_t>(0, st.reservations.available());
  } else {
    arm_expiry(self, st.reservation_timeout);
    reply.status = reservation_status::reserved;
    reply.available = st.reservations.available();
  }
  return reply;
}

/// Persists a change first and applies it to memory only once the store has
/// committed it. Awaiting keeps every other message of this book queued
/// meanwhile, so a delta is never computed from a stale stock.
template <class Reply, class Request, class Apply>
caf::typed_response_promise<model::book>
persist_then(book_self self, Request request, Apply apply) {
  auto rp = self->make_response_promise<model::book>();
  request().await(
      [=](Reply&) mutable {
        apply();
        rp.deliver(current(self));
      },
      [=](caf::error& err) mutable { rp.deliver(err); });
  return rp;
}

/// A hold for a checkout of another node: released as soon as that
/// checkout's actor is gone (it ended, or its node died and the link
/// dropped). A release of a hold that was sold or released is a no-op.
void watch_remote_holder(book_self self, ticket holder) {
  auto sender = self->current_sender();
  if (!sender || sender->node() == self->node())
    return;
  auto& holders = self->state.remote_holders;
  auto addr = caf::actor_cast<caf::actor_addr>(sender);
  if (holders.emplace(addr, holder).second)
    self->monitor(sender);
}

void check_book_idle(book_self self) {
  auto& st = self->state;
  auto idle_for = self->clock().now() - st.last_active;
  const bool busy = !st.reservations.empty() || st.writes_in_flight > 0;
  if (idle_for < st.idle_timeout || busy) {
    auto wait = busy ? st.idle_timeout : st.idle_timeout - idle_for;
    self->delayed_send(self, wait, idle_atom::value);
    return;
  }
  // Awaited: nothing else runs until the registry has decided, so no
  // reservation can slip in between the decision and quitting.
  auto handle = caf::actor_cast<book_actor>(self);
  self->request(st.registry, caf::infinite, passivate_atom::value, st.book.id,
                handle)
      .await(
          [=](bool forgotten) {
            if (forgotten)
              self->quit();
            else
              self->delayed_send(self, self->state.idle_timeout,
                                 idle_atom::value);
          },
          [=](caf::error&) { self->quit(); });
}

} // namespace

book_state::~book_state() {
  if (metrics)
    metrics->live_books.fetch_sub(1, std::memory_order_relaxed);
}

book_actor::behavior_type book(book_self self, model::book loaded,
                               store_actor store, registry_actor registry,
                               core_config config,
                               std::shared_ptr<core_metrics> metrics) {
  auto& st = self->state;
  st.reservations = model::reservations{loaded.stock_quantity};
  st.book = std::move(loaded);
  st.store = std::move(store);
  st.registry = std::move(registry);
  st.reservation_timeout = config.reservation_timeout;
  st.idle_timeout = config.idle_timeout;
  st.metrics = std::move(metrics);
  st.metrics->live_books.fetch_add(1, std::memory_order_relaxed);
  touch_book(self);
  self->delayed_send(self, st.idle_timeout, idle_atom::value);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& holders = self->state.remote_holders;
    if (auto i = holders.find(msg.source); i != holders.end()) {
      release_unless_preparing(self, i->second);
      holders.erase(i);
    }
  });
  return {
      [=](reserve_atom, ticket holder,
          std::int64_t quantity) -> caf::result<reservation_reply> {
        touch_book(self);
        if (!model::valid_line_quantity(quantity))
          return make_error(error_code::validation_error);
        auto reply = reserve(self, holder, quantity);
        if (reply.status == reservation_status::reserved)
          watch_remote_holder(self, holder);
        return reply;
      },
      [=](commit_atom, ticket holder, std::int64_t quantity) {
        touch_book(self);
        // Without a live hold (it expired meanwhile) the store has sold the
        // copies all the same: see model::reservations.
        self->state.reservations.commit(holder, quantity);
      },
      [=](release_atom, ticket holder) {
        touch_book(self);
        release_unless_preparing(self, holder);
      },
      [=](get_atom) -> caf::result<model::book> {
        touch_book(self);
        if (self->state.deleted)
          return make_error(error_code::book_not_found);
        return current(self);
      },
      [=](stock_atom, std::int64_t quantity) -> caf::result<model::book> {
        touch_book(self);
        auto& st = self->state;
        if (st.deleted)
          return make_error(error_code::book_not_found);
        if (!model::valid_stock(quantity))
          return make_error(error_code::validation_error);
        if (!st.reservations.can_set(quantity))
          return make_error(error_code::stock_reserved);
        auto delta = quantity - st.reservations.on_hand();
        if (delta == 0)
          return current(self);
        // A restock, not a plain stock write: taking the stock from 0 to
        // more notifies the book's waiting pre-bookings in the same
        // transaction. Awaited, so no pre-booking can be judged meanwhile.
        return persist_then<std::int64_t>(
            self,
            [=] {
              return self->request(self->state.store, caf::infinite,
                                   restock_atom::value, self->state.book.id,
                                   delta);
            },
            [=] { self->state.reservations.restock(delta); });
      },
      [=](update_atom, model::book_patch patch) -> caf::result<model::book> {
        touch_book(self);
        auto& st = self->state;
        if (st.deleted)
          return make_error(error_code::book_not_found);
        auto changed = current(self);
        if (model::apply_patch(changed, patch).code != error_code::none)
          return make_error(error_code::validation_error);
        return persist_then<model::book>(
            self,
            [=] {
              return self->request(self->state.store, caf::infinite,
                                   update_atom::value, book_atom::value,
                                   changed, patch.isbn_claim);
            },
            [=] {
              auto stock = self->state.book.stock_quantity;
              self->state.book = changed;
              self->state.book.stock_quantity = stock;
            });
      },
      [=](delete_atom) -> caf::result<bool> {
        touch_book(self);
        if (self->state.deleted)
          return make_error(error_code::book_not_found);
        // Copies held by checkouts may still be sold: refuse, as the stock
        // PATCH does, rather than acknowledge a delete an order follows.
        if (!self->state.reservations.empty())
          return make_error(error_code::stock_reserved);
        auto rp = self->make_response_promise<bool>();
        self->request(self->state.store, caf::infinite, delete_atom::value,
                      book_atom::value, self->state.book.id)
            .await(
                [=](bool) mutable {
                  self->state.deleted = true;
                  rp.deliver(true);
                },
                [=](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [=](rating_atom, std::int64_t sum, std::int64_t count,
          std::int64_t version) {
        touch_book(self);
        auto& rating = self->state.book.rating;
        if (version > rating.version)
          rating = model::rating_totals{sum, count, version};
        return true;
      },
      [=](prebook_atom, model::user_id user) -> caf::result<model::prebook> {
        touch_book(self);
        auto& st = self->state;
        if (st.deleted)
          return make_error(error_code::book_not_found);
        // Copies held by a checkout count as stock: they may come back.
        if (!model::prebookable(st.reservations.stock()))
          return make_error(error_code::prebook_book_in_stock);
        // Awaited: a restock queued behind this waits until the pre-booking
        // is stored, and then notifies it.
        auto rp = self->make_response_promise<model::prebook>();
        self->request(st.store, caf::infinite, create_atom::value,
                      prebook_atom::value, user, st.book.id)
            .await(
                [=](model::prebook& created) mutable { rp.deliver(created); },
                [=](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [=](prepare_atom, ticket holder, std::int64_t transfer,
          std::int64_t quantity,
          std::int64_t coordinator) -> caf::result<bool> {
        touch_book(self);
        auto& st = self->state;
        if (st.deleted)
          return make_error(error_code::book_not_found);
        if (!model::valid_line_quantity(quantity))
          return make_error(error_code::validation_error);
        // Not awaited: the book goes on selling while the store writes the
        // part, so that the parts of a hot book share group commits. The
        // hold keeps the copies out of reach until the answer, as for a
        // checkout of this node, and the store writes the part's decrement
        // as a delta, which needs no stock read from this book's memory.
        auto rp = self->make_response_promise<bool>();
        storage::prepared_transfer part{transfer, st.book.id, quantity,
                                        coordinator, model::unix_now()};
        st.preparing.insert(holder);
        ++st.writes_in_flight;
        auto answered = [self, holder] {
          auto& st = self->state;
          st.preparing.erase(st.preparing.find(holder));
          --st.writes_in_flight;
          // A hold this part leaves (a repeated prepare sells nothing) may
          // expire again.
          arm_next_expiry(self);
        };
        self->request(st.store, caf::infinite, prepare_atom::value, part)
            .then(
                [=](bool newly) mutable {
                  answered();
                  // The copies left the stock with the part: as for a
                  // commit, the hold goes (or, expired, on_hand drops).
                  if (newly)
                    self->state.reservations.commit(holder, quantity);
                  rp.deliver(true);
                },
                [=](caf::error& err) mutable {
                  answered();
                  self->state.reservations.release(holder);
                  rp.deliver(err);
                });
        return rp;
      },
      [=](finish_atom, std::int64_t transfer,
          bool commit) -> caf::result<bool> {
        touch_book(self);
        // Not awaited either: copies an abort returns are a delta in the
        // store and in memory alike, whatever ran in between.
        auto rp = self->make_response_promise<bool>();
        ++self->state.writes_in_flight;
        self->request(self->state.store, caf::infinite, finish_atom::value,
                      transfer, self->state.book.id, commit)
            .then(
                [=](std::int64_t returned) mutable {
                  --self->state.writes_in_flight;
                  if (returned > 0)
                    self->state.reservations.restock(returned);
                  rp.deliver(true);
                },
                [=](caf::error& err) mutable {
                  --self->state.writes_in_flight;
                  rp.deliver(err);
                });
        return rp;
      },
      [=](expire_atom) { release_expired(self); },
      [=](idle_atom) { check_book_idle(self); },
  };
}

} // namespace bookstore
