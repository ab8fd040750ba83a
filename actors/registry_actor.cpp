#include "actors/registry_actor.hpp"

#include "actors/book_actor.hpp"
#include "actors/cart_actor.hpp"
#include "actors/errors.hpp"

namespace bookstore {

namespace {

using registry_self = registry_actor::stateful_pointer<registry_state>;

/// Answers with the live actor for `id`, or loads its state with `load` and
/// spawns it with `spawn`; lookups that arrive meanwhile wait for that load.
template <class Loaded, class Handle, class Load, class Spawn>
caf::result<Handle> find_or_load(registry_self self, directory<Handle>& dir,
                                 std::int64_t id, Load load, Spawn spawn) {
  if (auto i = dir.live.find(id); i != dir.live.end())
    return i->second;
  auto rp = self->make_response_promise<Handle>();
  auto& waiting = dir.loading[id];
  waiting.push_back(rp);
  if (waiting.size() > 1)
    return rp;
  load().then(
      [=, &dir](Loaded& loaded) {
        auto handle = spawn(std::move(loaded));
        self->monitor(handle);
        dir.live.emplace(id, handle);
        dir.ids.emplace(handle.address(), id);
        for (auto& waiter : dir.loading[id])
          waiter.deliver(handle);
        dir.loading.erase(id);
      },
      [=, &dir](caf::error& err) {
        for (auto& waiter : dir.loading[id])
          waiter.deliver(err);
        dir.loading.erase(id);
      });
  return rp;
}

/// An idle actor may stop only if it is still the one this id maps to.
template <class Handle>
bool forget(directory<Handle>& dir, std::int64_t id, const Handle& who) {
  auto i = dir.live.find(id);
  if (i == dir.live.end() || i->second != who)
    return false;
  dir.ids.erase(who.address());
  dir.live.erase(i);
  return true;
}

template <class Handle>
void forget_down(directory<Handle>& dir, const caf::actor_addr& who) {
  if (auto i = dir.ids.find(who); i != dir.ids.end()) {
    dir.live.erase(i->second);
    dir.ids.erase(i);
  }
}

} // namespace

registry_actor::behavior_type registry(registry_self self, store_actor store,
                                       payment_actor payment,
                                       core_config config,
                                       std::shared_ptr<core_metrics> metrics) {
  auto& st = self->state;
  st.store = std::move(store);
  st.payment = std::move(payment);
  st.config = config;
  st.metrics = std::move(metrics);
  // An actor that crashed is forgotten, so the next lookup reloads it.
  self->set_down_handler([self](caf::down_msg& msg) {
    forget_down(self->state.books, msg.source);
    forget_down(self->state.carts, msg.source);
  });
  // On shutdown, stop every actor this registry spawned.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& kv : self->state.books.live)
      self->send_exit(kv.second, msg.reason);
    for (auto& kv : self->state.carts.live)
      self->send_exit(kv.second, msg.reason);
    self->quit(msg.reason);
  });
  return {
      [=](book_atom, model::book_id id) -> caf::result<book_actor> {
        if (id <= 0)
          return make_error(model::error_code::book_not_found);
        auto& st = self->state;
        return find_or_load<model::book>(
            self, st.books, id,
            [=] {
              return self->request(self->state.store, caf::infinite,
                                   get_atom::value, book_atom::value, id);
            },
            [=](model::book loaded) {
              auto& st = self->state;
              return self->spawn(book, std::move(loaded), st.store,
                                 caf::actor_cast<registry_actor>(self),
                                 st.config, st.metrics);
            });
      },
      [=](cart_atom, model::user_id owner) -> caf::result<cart_actor> {
        if (owner <= 0)
          return make_error(model::error_code::validation_error);
        auto& st = self->state;
        return find_or_load<std::vector<model::cart_line>>(
            self, st.carts, owner,
            [=] {
              return self->request(self->state.store, caf::infinite,
                                   get_atom::value, cart_atom::value, owner);
            },
            [=](std::vector<model::cart_line> lines) {
              auto& st = self->state;
              return self->spawn(cart, owner, std::move(lines),
                                 caf::actor_cast<registry_actor>(self),
                                 st.store, st.payment, st.config, st.metrics);
            });
      },
      [=](create_atom, model::book draft) -> caf::result<model::book> {
        if (model::validate_new_book(draft).code != model::error_code::none)
          return make_error(model::error_code::validation_error);
        return self->delegate(self->state.store, create_atom::value,
                              book_atom::value, std::move(draft));
      },
      [=](passivate_atom, model::book_id id, book_actor who) {
        return forget(self->state.books, id, who);
      },
      [=](passivate_atom, model::user_id owner, cart_actor who) {
        return forget(self->state.carts, owner, who);
      },
  };
}

} // namespace bookstore
