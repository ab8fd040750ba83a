#include "gateway/http/server.hpp"

#include <cstdint>
#include <iostream>
#include <memory>
#include <unordered_map>
#include <utility>

#include "caf/actor_system.hpp"
#include "caf/io/broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/system_messages.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "gateway/http/atoms.hpp"
#include "gateway/http/connection.hpp"
#include "gateway/http/open_files.hpp"
#include "gateway/http/response.hpp"

namespace bookstore::http {

namespace {

using detail::connection_params;

struct acceptor_state {
  caf::io::accept_handle door;
  std::uint16_t port = 0;
  caf::error open_error; // why the socket could not be bound, if so
  // The live connection brokers; each is monitored and leaves on its down_msg.
  std::unordered_map<caf::actor_addr, caf::actor> live;
  bool stopping = false;
};

// Beyond the connection limit: a readable 503, then close. The socket was
// never read, so a client that already sent its request may see a reset
// instead; either way it is refused at once.
void refuse(caf::io::broker* self, caf::io::connection_handle hdl) {
  serialize(server_error(503), framing{false, false}, self->wr_buf(hdl));
  self->flush(hdl);
  self->close(hdl);
}

caf::behavior acceptor(caf::io::broker* self,
                       std::shared_ptr<const connection_params> params) {
  auto st = std::make_shared<acceptor_state>();
  auto& cfg = params->config;
  // Bind only cfg.host (spawn_server would bind every interface).
  if (auto bound = self->add_tcp_doorman(cfg.port, cfg.host.c_str(), true)) {
    st->door = bound->first;
    st->port = bound->second;
  } else {
    st->open_error = std::move(bound.error());
  }
  self->set_down_handler([self, st](caf::down_msg& msg) {
    st->live.erase(msg.source);
    if (st->stopping && st->live.empty())
      self->quit();
  });
  return {
      [st](detail::port_atom) -> caf::result<std::uint16_t> {
        if (st->open_error)
          return st->open_error;
        return st->port;
      },
      [self, st, params](const caf::io::new_connection_msg& msg) {
        if (st->stopping) {
          self->close(msg.handle);
          return;
        }
        if (st->live.size() >= params->config.max_connections) {
          // The longest-idle connection makes room (it closes at once if it
          // is still idle when the message arrives); with none idle, the
          // newcomer is refused.
          auto victim = params->idle->take_oldest();
          if (!victim) {
            refuse(self, msg.handle);
            return;
          }
          self->send(victim->second, detail::evict_atom::value, victim->first);
        }
        auto conn = self->fork(detail::connection_behavior, msg.handle, params);
        self->monitor(conn);
        st->live.emplace(conn.address(), conn);
      },
      [](const caf::io::acceptor_closed_msg&) {
        // Our own close on stop sends no such message: this is a failure of
        // the listening socket. Live connections carry on.
        std::cerr << "http: the listening socket failed; no new connections\n";
      },
      [self, st](detail::stop_atom, std::int64_t grace_ms) {
        if (st->stopping)
          return;
        st->stopping = true;
        self->close(st->door);
        for (auto& entry : st->live)
          self->send(entry.second, detail::stop_atom::value);
        if (st->live.empty()) {
          self->quit();
          return;
        }
        // Anonymous for the reason given in connection.cpp's arm(): the
        // acceptor may be gone before this fires.
        caf::delayed_anon_send(caf::actor_cast<caf::actor>(self),
                               std::chrono::milliseconds{grace_ms},
                               detail::kill_atom::value);
      },
      [self, st](detail::kill_atom) {
        for (auto& entry : st->live)
          self->send_exit(entry.second, caf::exit_reason::user_shutdown);
        self->quit();
      },
  };
}

} // namespace

caf::expected<std::uint16_t> start_server(caf::actor_system& sys,
                                          const server_config& cfg, handler h,
                                          caf::actor& server_out) {
  auto fitted = cfg;
  fitted.max_connections = fit_open_files(cfg.max_connections);
  auto params = std::make_shared<const connection_params>(
      connection_params{fitted, std::move(h)});
  auto server = sys.middleman().spawn_broker(acceptor, std::move(params));
  // One blocking round trip at start-up: the socket is bound on the
  // middleman's thread, and the caller wants the port (or why not).
  caf::expected<std::uint16_t> result{caf::sec::request_timeout};
  caf::scoped_actor self{sys};
  self->request(server, std::chrono::seconds{10}, detail::port_atom::value)
      .receive([&](std::uint16_t port) { result = port; },
               [&](caf::error& err) { result = std::move(err); });
  if (!result) {
    caf::anon_send_exit(server, caf::exit_reason::user_shutdown);
    return result;
  }
  server_out = server;
  return result;
}

void stop_server(const caf::actor& server, std::chrono::milliseconds grace) {
  caf::anon_send(server, detail::stop_atom::value,
                 static_cast<std::int64_t>(grace.count()));
}

void stop_server_and_wait(caf::actor_system& sys, const caf::actor& server,
                          std::chrono::milliseconds grace) {
  caf::scoped_actor self{sys};
  self->monitor(server);
  stop_server(server, grace);
  self->receive([](const caf::down_msg&) {},
                caf::after(grace + std::chrono::seconds{1}) >> [] {});
}

} // namespace bookstore::http
