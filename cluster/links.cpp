#include "cluster/links.hpp"

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "caf/io/all.hpp"

#include "actors/errors.hpp"
#include "actors/handles.hpp"
#include "cluster/reachability.hpp"

namespace bookstore::cluster {

namespace {

struct peer_link {
  model::endpoint address;
  front_actor front;       // empty while not connected
  std::uint64_t epoch = 0; // grows with every (dis)connection
  bool connecting = false;
  bool pinging = false;
  std::string failure_told; // the last failure logged since it was up
  // The forwarded requests waiting for this peer, by sequence number: a
  // peer that goes down fails them all at once, not each at its timeout.
  std::map<std::uint64_t, caf::response_promise> waiting;
};

struct links_state {
  std::vector<peer_link> peers;
  std::uint64_t next_request = 0;
  registry_actor registry; // this node's
  caf::io::middleman_actor connector;
  front_actor own_front; // this node's, shown to the peers in each ping
};

/// Of two nodes, the one first in ownership order opens the connection
/// and the other adopts it when the first ping arrives: two connections
/// opened at once from both ends make CAF's middleman drop the node
/// (seen with TLS: peers flapped for seconds at every start).
bool dials(const peer_table& table, std::size_t node) {
  return table.self() < node;
}

using links_pointer = links_actor::stateful_pointer<links_state>;

/// The node is down: the request was not sent.
caf::error unavailable() {
  return model::make_error(model::error_code::node_unavailable);
}

/// The node went down after the request was sent: what it did with it is
/// unknown.
caf::error lost() {
  return model::make_error(model::error_code::node_lost);
}

/// Logs a change of a link (once per change, never per tick), so that a
/// node's log tells when and why it lost or could not reach a peer.
void tell(const peer_table& table, std::size_t node, const std::string& what) {
  std::cerr << "cluster: node " << table.name(node) << ": " << what << "\n";
}

/// A failed attempt to reach `node` is logged unless the one before failed
/// the same way: a peer that stays away costs a line, not one a tick.
void tell_failure(links_pointer self, const peer_table& table, std::size_t node,
                  const std::string& what) {
  auto& link = self->state.peers[node];
  if (link.failure_told == what)
    return;
  link.failure_told = what;
  tell(table, node, what + "; trying again");
}

/// Forgets the peer's front and fails what waits for it. The middleman
/// reconnects at a later tick.
void mark_down(links_pointer self, peer_table& table, std::size_t node) {
  auto& link = self->state.peers[node];
  if (table.up(node))
    tell(table, node, "down");
  if (link.front)
    self->demonitor(link.front.address());
  link.front = nullptr;
  ++link.epoch;
  link.pinging = false;
  table.set_up(node, false);
  self->send(self->state.registry, peer_atom::value,
             static_cast<std::uint32_t>(node), caf::actor{});
  auto waiting = std::move(link.waiting);
  link.waiting.clear();
  for (auto& entry : waiting)
    entry.second.deliver(lost());
}

/// Takes `front` as node `node`'s front: monitored (a crash closes the
/// connection, and the proxy goes down at once), up once it answers a
/// ping, and its registry passed to this node's registry so that it
/// reaches that node's books.
void adopt(links_pointer self, std::size_t node, front_actor front,
           link_timing timing) {
  auto& link = self->state.peers[node];
  if (link.front)
    self->demonitor(link.front.address());
  link.front = std::move(front);
  ++link.epoch;
  link.pinging = false;
  self->monitor(link.front);
  auto adopted = link.epoch;
  self->request(link.front, timing.timeout, registry_atom::value)
      .then(
          [=](caf::actor& registry) {
            if (self->state.peers[node].epoch == adopted)
              self->send(self->state.registry, peer_atom::value,
                         static_cast<std::uint32_t>(node), registry);
          },
          [=](caf::error&) {});
}

/// Asks the middleman to connect to node `node` once a TCP connection to
/// it opens from a thread of its own (see reachability.hpp: a peer that
/// drops packets would otherwise block the middleman's one thread).
void connect(links_pointer self, std::shared_ptr<peer_table> table,
             std::size_t node, link_timing timing) {
  auto& link = self->state.peers[node];
  link.connecting = true;
  auto epoch = link.epoch;
  auto address = link.address;
  auto probe = self->spawn<caf::detached>(
      [address, timing](caf::event_based_actor* probe) -> caf::behavior {
        return {[=](probe_atom) {
          auto answers = tcp_answers(address, timing.timeout);
          probe->quit();
          return answers;
        }};
      });
  auto give_up = [=](caf::error& err) {
    self->state.peers[node].connecting = false;
    tell_failure(self, *table, node,
                 "cannot connect: " + self->system().render(err));
  };
  self->request(probe, 2 * timing.timeout, probe_atom::value)
      .then(
          [=](bool answers) {
            if (!answers) {
              self->state.peers[node].connecting = false;
              tell_failure(self, *table, node, "cannot connect: no TCP answer");
              return;
            }
            self->request(self->state.connector, timing.timeout,
                          caf::connect_atom::value, address.host, address.port)
                .then(
                    [=](caf::node_id&, caf::strong_actor_ptr& front,
                        std::set<std::string>&) {
                      auto& link = self->state.peers[node];
                      link.connecting = false;
                      if (!front)
                        tell_failure(self, *table, node,
                                     "connected, but it published no front");
                      else if (link.epoch == epoch)
                        adopt(self, node, caf::actor_cast<front_actor>(front),
                              timing);
                    },
                    give_up);
          },
          give_up);
}

void ping(links_pointer self, std::shared_ptr<peer_table> table,
          std::size_t node, link_timing timing) {
  auto& link = self->state.peers[node];
  link.pinging = true;
  auto epoch = link.epoch;
  table->sent_to(node);
  self->request(link.front, timing.timeout, ping_atom::value,
                static_cast<std::uint32_t>(table->self()),
                caf::actor_cast<caf::actor>(self->state.own_front))
      .then(
          [=](std::string&) {
            auto& link = self->state.peers[node];
            if (link.epoch != epoch)
              return;
            link.pinging = false;
            link.failure_told.clear();
            table->received_from(node);
            if (!table->up(node))
              tell(*table, node, "up");
            table->set_up(node, true);
          },
          [=](caf::error& err) {
            if (self->state.peers[node].epoch != epoch)
              return;
            if (!table->up(node))
              tell_failure(self, *table, node,
                           "linked, but a ping failed: "
                               + self->system().render(err));
            mark_down(self, *table, node);
          });
}

links_actor::behavior_type
links(links_pointer self, std::shared_ptr<peer_table> table,
      std::vector<model::endpoint> addresses, caf::actor registry,
      caf::io::middleman_actor connector, link_timing timing) {
  self->state.registry = caf::actor_cast<registry_actor>(registry);
  self->state.connector = std::move(connector);
  for (auto& address : addresses)
    self->state.peers.push_back(
        peer_link{address, {}, 0, false, false, {}, {}});
  // Ended (the node stops): the requests passed on that wait for an answer
  // are failed, since CAF 0.17 tells nobody of a promise that dies with its
  // actor, and their requesters wait without a timeout of their own (an
  // actor that never ends keeps the actor system, and the stop, waiting).
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& link : self->state.peers) {
      auto waiting = std::move(link.waiting);
      link.waiting.clear();
      for (auto& entry : waiting)
        entry.second.deliver(unavailable());
    }
    self->quit(msg.reason);
  });
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& peers = self->state.peers;
    for (std::size_t node = 0; node < peers.size(); ++node)
      if (peers[node].front && peers[node].front.address() == msg.source)
        mark_down(self, *table, node);
  });
  return {
      [=](front_atom, front_actor& own) {
        if (self->state.own_front)
          return;
        self->state.own_front = std::move(own);
        self->send(self, tick_atom::value);
      },
      [=](hello_atom, std::uint32_t node, caf::actor& front) {
        auto& peers = self->state.peers;
        if (node >= peers.size() || node == table->self() || dials(*table, node)
            || !front)
          return;
        auto typed = caf::actor_cast<front_actor>(front);
        if (peers[node].front != typed)
          adopt(self, node, std::move(typed), timing);
      },
      [=](forward_atom, std::uint32_t node,
          peer_request& request) -> caf::result<peer_response> {
        auto& peers = self->state.peers;
        if (node >= peers.size() || node == table->self() || !peers[node].front
            || !table->up(node))
          return unavailable();
        auto rp = self->make_response_promise<peer_response>();
        auto seq = ++self->state.next_request;
        peers[node].waiting.emplace(seq, rp);
        table->sent_to(node);
        // No timeout of its own: a dead peer fails it through mark_down
        // within one ping, and a slow one (a checkout waiting for the
        // payment provider) may take as long as it needs.
        self->request(peers[node].front, caf::infinite, forward_atom::value,
                      std::move(request))
            .then(
                [=](peer_response& response) mutable {
                  if (self->state.peers[node].waiting.erase(seq) == 0)
                    return; // already failed by mark_down
                  table->received_from(node);
                  rp.deliver(std::move(response));
                },
                [=](caf::error&) mutable {
                  if (self->state.peers[node].waiting.erase(seq) != 0)
                    rp.deliver(lost());
                });
        return rp;
      },
      [=](tick_atom) {
        auto& peers = self->state.peers;
        for (std::size_t node = 0; node < peers.size(); ++node) {
          if (node == table->self())
            continue;
          auto& link = peers[node];
          if (!link.front && !link.connecting && dials(*table, node))
            connect(self, table, node, timing);
          else if (link.front && !link.pinging)
            ping(self, table, node, timing);
        }
        self->delayed_send(self, timing.tick, tick_atom::value);
      },
  };
}

} // namespace

links_actor spawn_links(caf::actor_system& sys,
                        std::shared_ptr<peer_table> table,
                        std::vector<model::endpoint> addresses,
                        caf::actor registry, caf::io::middleman_actor connector,
                        link_timing timing) {
  return sys.spawn(links, std::move(table), std::move(addresses),
                   std::move(registry), std::move(connector), timing);
}

} // namespace bookstore::cluster
