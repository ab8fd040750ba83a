#include "actors/cart_actor.hpp"

#include "actors/checkout_actor.hpp"
#include "actors/errors.hpp"
#include "actors/patience.hpp"
#include "actors/registry_actor.hpp"

namespace bookstore {

namespace {

using cart_self = cart_actor::stateful_pointer<cart_state>;
using model::error_code;

void touch_cart(cart_self self) {
  self->state.last_active = self->clock().now();
}

caf::error rejection_of(const model::failure& f) {
  return make_error(f.code);
}

/// Stores the new line once the book is known to exist and be in stock.
/// Every step is awaited: the cart handles one change at a time.
void add_in_stock(cart_self self, model::book_id id, std::int64_t quantity,
                  caf::typed_response_promise<storage::cart_view_line> rp,
                  int lookups) {
  auto& st = self->state;
  self->request(st.registry, caf::infinite, book_atom::value, id)
      .await(
          [=](book_actor& book) mutable {
            if (book.node() != self->node() && self->state.metrics)
              self->state.metrics->count_peer_messages(2);
            self->request(book, patience(self, book), get_atom::value)
                .await(
                    [=](model::book& found) mutable {
                      if (found.stock_quantity <= 0) {
                        rp.deliver(
                            make_error(error_code::cart_book_out_of_stock));
                        return;
                      }
                      self->request(self->state.store, caf::infinite,
                                    add_atom::value, self->state.cart.owner, id,
                                    quantity)
                          .await(
                              [=](model::cart_line& line) mutable {
                                self->state.cart.add(line);
                                rp.deliver(storage::cart_view_line{
                                    line,
                                    {found.id, found.title, found.author,
                                     found.cover_image_url, found.price}});
                              },
                              [=](caf::error& err) mutable {
                                rp.deliver(err);
                              });
                    },
                    [=](caf::error& err) mutable {
                      if (receiver_gone(err) && lookups < max_book_lookups)
                        add_in_stock(self, id, quantity, rp, lookups + 1);
                      else
                        rp.deliver(err);
                    });
          },
          [=](caf::error& err) mutable { rp.deliver(err); });
}

void check_cart_idle(cart_self self) {
  auto& st = self->state;
  auto idle_for = self->clock().now() - st.last_active;
  caf::timespan limit = st.config.idle_timeout;
  if (idle_for < limit || st.checking_out) {
    self->delayed_send(self, st.checking_out ? limit : limit - idle_for,
                       idle_atom::value);
    return;
  }
  auto handle = caf::actor_cast<cart_actor>(self);
  self->request(st.registry, caf::infinite, passivate_atom::value,
                st.cart.owner, handle)
      .await(
          [=](bool forgotten) {
            if (forgotten)
              self->quit();
            else
              self->delayed_send(self, limit, idle_atom::value);
          },
          [=](caf::error&) { self->quit(); });
}

} // namespace

cart_state::~cart_state() {
  if (metrics)
    metrics->live_carts.fetch_sub(1, std::memory_order_relaxed);
}

cart_actor::behavior_type cart(cart_self self, model::user_id owner,
                               std::vector<model::cart_line> lines,
                               registry_actor registry, store_actor store,
                               payment_actor payment, core_config config,
                               std::shared_ptr<core_metrics> metrics) {
  auto& st = self->state;
  st.cart.owner = owner;
  st.cart.lines = std::move(lines);
  st.registry = std::move(registry);
  st.store = std::move(store);
  st.payment = std::move(payment);
  st.config = config;
  st.metrics = std::move(metrics);
  st.metrics->live_carts.fetch_add(1, std::memory_order_relaxed);
  touch_cart(self);
  self->delayed_send(self, config.idle_timeout, idle_atom::value);
  self->set_down_handler([self](caf::down_msg& msg) {
    if (msg.source == self->state.saga) {
      self->state.checking_out = false; // nothing sold: the cart stays
      self->state.saga = nullptr;
    }
  });
  return {
      [=](get_atom) {
        touch_cart(self);
        return self->state.cart.lines;
      },
      [=](add_atom, model::book_id id,
          std::int64_t quantity) -> caf::result<storage::cart_view_line> {
        touch_cart(self);
        if (self->state.checking_out)
          return make_error(error_code::checkout_in_progress);
        if (auto f = self->state.cart.check_add(id, quantity);
            f.code != error_code::none)
          return rejection_of(f);
        auto rp = self->make_response_promise<storage::cart_view_line>();
        add_in_stock(self, id, quantity, rp, 1);
        return rp;
      },
      [=](change_atom, model::cart_item_id item,
          std::int64_t quantity) -> caf::result<model::cart_line> {
        touch_cart(self);
        if (self->state.checking_out)
          return make_error(error_code::checkout_in_progress);
        if (auto f = self->state.cart.check_change(item, quantity);
            f.code != error_code::none)
          return rejection_of(f);
        auto rp = self->make_response_promise<model::cart_line>();
        self->request(self->state.store, caf::infinite, change_atom::value,
                      item, quantity)
            .await(
                [=](bool) mutable {
                  self->state.cart.change(item, quantity);
                  rp.deliver(*self->state.cart.find(item));
                },
                [=](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [=](remove_atom, model::cart_item_id item) -> caf::result<bool> {
        touch_cart(self);
        if (self->state.checking_out)
          return make_error(error_code::checkout_in_progress);
        if (self->state.cart.find(item) == nullptr)
          return make_error(error_code::cart_item_not_found);
        auto rp = self->make_response_promise<bool>();
        self->request(self->state.store, caf::infinite, remove_atom::value,
                      item)
            .await(
                [=](bool) mutable {
                  self->state.cart.remove(item);
                  rp.deliver(true);
                },
                [=](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [=](checkout_atom,
          checkout_request request) -> caf::result<checkout_outcome> {
        touch_cart(self);
        auto& st = self->state;
        checkout_outcome rejected;
        if (st.checking_out)
          rejected.error = error_code::checkout_in_progress;
        else if (st.cart.lines.empty())
          rejected.error = error_code::order_cart_empty;
        if (!rejected.ok()) {
          st.metrics->count_checkout(rejected.error);
          return rejected;
        }
        st.checking_out = true;
        checkout_peers peers{caf::actor_cast<cart_actor>(self), st.registry,
                             st.payment, st.store};
        auto saga = self->spawn(checkout, st.cart.owner, st.cart.lines, request,
                                peers, st.config, st.metrics);
        // A saga that dies without reporting must not lock the cart forever.
        self->monitor(saga);
        st.saga = saga.address();
        return self->delegate(saga, start_atom::value);
      },
      [=](finished_atom, std::vector<model::cart_line> sold) {
        touch_cart(self);
        self->state.checking_out = false;
        self->state.saga = nullptr;
        self->state.cart.remove_sold(sold);
      },
      [=](deadline_atom, caf::actor_addr saga) {
        if (saga == self->state.saga)
          if (auto running = caf::actor_cast<checkout_actor>(saga))
            self->send(running, deadline_atom::value);
      },
      [=](idle_atom) { check_cart_idle(self); },
  };
}

} // namespace bookstore
