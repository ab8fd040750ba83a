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

/// The node that owns a book id (model::ownership, without the model's
/// header in every actor).
std::uint32_t owner_of(const core_config& config, model::book_id id) {
  return static_cast<std::uint32_t>((id - 1) % config.id_space_count);
}

/// What became of a transfer this node coordinates: pending while its
/// checkout runs; otherwise its decision, read behind every queued write.
caf::result<transfer_status> transfer_outcome(registry_self self,
                                              std::int64_t transfer) {
  if (self->state.live_transfers.count(transfer) != 0)
    return transfer_status::pending;
  auto rp = self->make_response_promise<transfer_status>();
  self->request(self->state.store, caf::infinite, get_atom::value,
                transfer_atom::value, transfer)
      .then(
          [=](bool decided) mutable {
            rp.deliver(decided ? transfer_status::committed
                               : transfer_status::aborted);
          },
          [=](caf::error&) mutable { rp.deliver(transfer_status::pending); });
  return rp;
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
    auto& st = self->state;
    forget_down(st.books, msg.source);
    forget_down(st.carts, msg.source);
    // A checkout that died can decide nothing more: its order, if it was
    // being written, is ahead of any later decision read in the store.
    if (auto i = st.transfer_of_saga.find(msg.source);
        i != st.transfer_of_saga.end()) {
      st.live_transfers.erase(i->second);
      st.transfer_of_saga.erase(i);
    }
    for (auto i = st.peers.begin(); i != st.peers.end(); ++i)
      if (i->second.address() == msg.source) {
        st.peers.erase(i);
        break;
      }
  });
  // On shutdown, stop every actor this registry spawned: its node's book
  // actors, not the other nodes' it keeps handles of (an exit sent to one
  // goes over the middleman and ends it there).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& kv : self->state.books.live)
      if (kv.second->node() == self->node())
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
        if (auto node = owner_of(st.config, id);
            node != static_cast<std::uint32_t>(st.config.id_space_index)) {
          // Another node's book: its own actor, asked of that node's
          // registry and kept while it lives. No answer in time means the
          // node is down (domain_code: NODE_UNAVAILABLE).
          auto peer = st.peers.find(node);
          if (peer == st.peers.end())
            return make_error(model::error_code::node_unavailable);
          auto remote = caf::actor_cast<registry_actor>(peer->second);
          return find_or_load<book_actor>(
              self, st.books, id,
              [=] {
                if (self->state.metrics)
                  self->state.metrics->count_peer_messages(2);
                return self->request(remote, remote_lookup_timeout,
                                     book_atom::value, id);
              },
              [](book_actor found) { return found; });
        }
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
      [=](peer_atom, std::uint32_t node, caf::actor peer) {
        auto& peers = self->state.peers;
        if (!peer) {
          peers.erase(node);
          return;
        }
        if (auto i = peers.find(node); i != peers.end() && i->second == peer)
          return;
        self->monitor(peer);
        peers[node] = peer;
      },
      [=](transfer_atom, start_atom, std::int64_t transfer) {
        auto& st = self->state;
        st.live_transfers.insert(transfer);
        if (auto saga = self->current_sender()) {
          self->monitor(saga);
          st.transfer_of_saga[caf::actor_cast<caf::actor_addr>(saga)] =
              transfer;
        }
      },
      [=](transfer_atom, finished_atom, std::int64_t transfer) {
        auto& st = self->state;
        st.live_transfers.erase(transfer);
        if (auto saga = self->current_sender())
          st.transfer_of_saga.erase(caf::actor_cast<caf::actor_addr>(saga));
      },
      [=](transfer_atom, std::int64_t transfer,
          std::uint32_t coordinator) -> caf::result<transfer_status> {
        auto& st = self->state;
        if (coordinator == static_cast<std::uint32_t>(st.config.id_space_index))
          return transfer_outcome(self, transfer);
        auto peer = st.peers.find(coordinator);
        if (peer == st.peers.end())
          return make_error(model::error_code::node_unavailable);
        return self->delegate(caf::actor_cast<registry_actor>(peer->second),
                              transfer_atom::value, transfer, coordinator);
      },
  };
}

} // namespace bookstore
