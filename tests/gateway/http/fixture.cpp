#include "tests/gateway/http/fixture.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/after.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"

#include "gateway/http/response.hpp"

namespace bookstore::http::testing {

namespace {

using delay_atom = caf::atom_constant<caf::atom("t_delay")>;
using fire_atom = caf::atom_constant<caf::atom("t_fire")>;

// Answers (delay_atom, ms) with ms after ms milliseconds, by a timer: the
// stand-in for an actor whose answer comes later than the next request's.
struct delayer_state {
  std::map<std::int32_t, std::pair<caf::response_promise, std::int32_t>>
      pending;
  std::int32_t next_id = 0;
};

// `first_id` exists because CAF 0.17.6's spawn without arguments binds a
// reference to a null pointer (init_fun_factory.hpp), which UBSan rejects.
caf::behavior delayer(caf::stateful_actor<delayer_state>* self,
                      std::int32_t first_id) {
  self->state.next_id = first_id;
  return {
      [self](delay_atom, std::int32_t ms) -> caf::result<std::int32_t> {
        auto id = self->state.next_id++;
        auto promise = self->make_response_promise();
        self->state.pending.emplace(id, std::make_pair(promise, ms));
        self->delayed_send(self, std::chrono::milliseconds{ms},
                           fire_atom::value, id);
        return promise;
      },
      [self](fire_atom, std::int32_t id) {
        auto i = self->state.pending.find(id);
        if (i == self->state.pending.end())
          return;
        i->second.first.deliver(i->second.second);
        self->state.pending.erase(i);
      },
  };
}

response text(std::string body) {
  response r;
  r.content_type = "text/plain";
  r.body = std::move(body);
  return r;
}

// Piece `i` of the streamed test bodies: `size` times one letter.
std::string piece_text(int i, std::size_t size) {
  return std::string(size, static_cast<char>('a' + i % 26));
}

// Pieces 1..n-1 of /stream/<n>/<size> (the answer's body is piece 0), or of
// /stream-fail/<n>/<size>, which ends with a failure instead of piece n-1.
// Each piece comes from the helper actor, as a real stream's would, and
// counts in `pulled`.
body_stream test_stream(caf::actor helper, int n, std::size_t size, bool fail,
                        std::shared_ptr<std::atomic<int>> pulled) {
  auto next = std::make_shared<int>(1);
  return [=](caf::io::broker* self, piece_receiver receive) {
    ++*pulled;
    self->request(helper, caf::infinite, delay_atom::value, std::int32_t{0})
        .then([=](std::int32_t) {
          auto i = (*next)++;
          bool last = i == n - 1;
          if (fail && last)
            return receive(std::nullopt);
          receive(body_piece{piece_text(i, size), last});
        });
  };
}

handler test_handler(caf::actor helper) {
  auto pulled = std::make_shared<std::atomic<int>>(0);
  return [helper, pulled](caf::io::broker* self, request&& req,
                          responder respond) {
    int n = 0;
    std::size_t size = 0;
    char tail = 0;
    bool fail = req.path.rfind("/stream-fail/", 0) == 0;
    if (req.path.rfind("/stream/", 0) == 0 || fail) {
      if (std::sscanf(req.path.c_str() + (fail ? 13 : 8), "%d/%zu%c", &n, &size,
                      &tail)
              != 2
          || n < 1)
        return respond(error_response(400, "Bad stream", "HTTP_400"));
      auto r = text(piece_text(0, size));
      if (n > 1)
        r.stream = test_stream(helper, n, size, fail, pulled);
      respond(std::move(r));
    } else if (req.path == "/stream-pulled") {
      respond(text(std::to_string(pulled->load())));
    } else if (req.path == "/echo") {
      respond(
          text(req.method + " " + req.path + "?" + req.query + "|" + req.body));
    } else if (req.path.rfind("/delay/", 0) == 0) {
      auto ms = static_cast<std::int32_t>(std::stoi(req.path.substr(7)));
      self->request(helper, caf::infinite, delay_atom::value, ms)
          .then([respond](std::int32_t waited) {
            respond(text("delayed " + std::to_string(waited)));
          });
    } else if (req.path == "/throw-later") {
      self->request(helper, caf::infinite, delay_atom::value, std::int32_t{10})
          .then([](std::int32_t) -> void {
            throw std::runtime_error("continuation failed");
          });
    } else if (req.path == "/throw") {
      throw std::runtime_error("handler failed");
    } else if (req.path == "/close") {
      auto r = text("closing");
      r.headers.emplace_back("Connection", "close");
      respond(std::move(r));
    } else {
      respond(error_response(404, "Not Found", "HTTP_404"));
    }
  };
}

caf::actor_system_config& with_middleman(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  cfg.set("scheduler.max-threads", 2);
  return cfg;
}

} // namespace

server_config fast_config() {
  server_config cfg;
  cfg.port = 0;
  cfg.idle_timeout = std::chrono::seconds{5};
  cfg.header_timeout = std::chrono::seconds{5};
  cfg.max_connections = 64;
  return cfg;
}

struct test_server::impl {
  caf::actor_system_config cfg;
  caf::actor_system sys{with_middleman(cfg)};
  caf::actor helper;
  caf::actor server;
};

test_server::test_server(server_config cfg) : impl_(std::make_unique<impl>()) {
  impl_->helper = impl_->sys.spawn(delayer, std::int32_t{0});
  auto port =
      start_server(impl_->sys, cfg, test_handler(impl_->helper), impl_->server);
  if (!port)
    throw std::runtime_error("cannot start: "
                             + impl_->sys.render(port.error()));
  port_ = *port;
}

test_server::~test_server() {
  stop(std::chrono::seconds{2});
  wait_stopped(std::chrono::seconds{4});
  // The actor system waits for every actor before it goes: end the helper.
  caf::anon_send_exit(impl_->helper, caf::exit_reason::user_shutdown);
}

void test_server::stop(std::chrono::milliseconds grace) {
  stop_server(impl_->server, grace);
}

bool test_server::wait_stopped(std::chrono::milliseconds within) {
  caf::scoped_actor self{impl_->sys};
  self->monitor(impl_->server);
  bool stopped = true;
  self->receive([](const caf::down_msg&) {},
                caf::after(within) >> [&] { stopped = false; });
  return stopped;
}

} // namespace bookstore::http::testing
