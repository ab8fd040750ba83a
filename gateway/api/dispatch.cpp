#include "gateway/api/dispatch.hpp"

#include <exception>
#include <iostream>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "caf/all.hpp"
#include "caf/io/broker.hpp"

#include "gateway/api/router.hpp"
#include "gateway/http/cors.hpp"
#include "gateway/http/response.hpp"

// Requests and answers only travel between actors of this process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(bookstore::http::request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(bookstore::http::response)

namespace bookstore::gateway {

namespace {

using route_atom = caf::atom_constant<caf::atom("route")>;

/// What a route worker knows about its connection.
struct route_worker_state {
  std::size_t in_flight = 0; // requests routed and not answered yet
  bool orphaned = false;     // the connection's broker has ended
};

/// Serves the requests of one connection. One worker per connection, not a
/// shared pool: an exception in a response handler ends the actor, and then
/// only that connection's requests in flight fail (with 500), as they did
/// when the broker ran the routes.
///
/// The worker quits once its broker has ended and every request it routed
/// has been answered. Waiting until nobody holds it is not enough: a CAF 0.17
/// broker never empties its mailbox once terminated, and an answer that
/// arrives after the client closed stays there with this worker as its
/// sender. The dead broker itself is held by its pending connection timer
/// (up to the idle timeout), so the worker would count as running that long,
/// and the actor system's shutdown waits for every running actor.
caf::behavior route_worker(caf::stateful_actor<route_worker_state>* self,
                           std::shared_ptr<context> ctx, caf::actor broker) {
  self->monitor(broker);
  self->set_down_handler([self](caf::down_msg&) {
    self->state.orphaned = true;
    if (self->state.in_flight == 0)
      self->quit();
  });
  return {
      [=](route_atom, http::request& req) -> caf::result<http::response> {
        auto rp = self->make_response_promise<http::response>();
        ++self->state.in_flight;
        // Routes answer exactly once, but a route that answered and then
        // threw must not answer again below. Routes answer on this worker
        // (synchronously or from its response handlers), never elsewhere.
        auto answered = std::make_shared<bool>(false);
        auto respond = [self, rp, answered](http::response r) mutable {
          if (*answered)
            return;
          *answered = true;
          rp.deliver(std::move(r));
          auto& st = self->state;
          if (--st.in_flight == 0 && st.orphaned)
            self->quit();
        };
        try {
          route(self, ctx, std::move(req), respond);
        } catch (const std::exception& e) {
          std::cerr << "http: exception in a request handler: " << e.what()
                    << '\n';
          respond(http::server_error(500));
        } catch (...) {
          respond(http::server_error(500));
        }
        return rp;
      },
  };
}

/// The route worker of each live connection broker. Only the I/O thread
/// touches it today; the lock keeps it correct if brokers ever run on more.
class worker_table {
public:
  caf::actor of(caf::io::broker* broker, const std::shared_ptr<context>& ctx,
                const std::shared_ptr<worker_table>& self_ptr) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = workers_.find(broker);
    if (i != workers_.end())
      return i->second;
    auto worker =
        broker->spawn(route_worker, ctx, caf::actor_cast<caf::actor>(broker));
    workers_.emplace(broker, worker);
    // The worker ends once this broker has ended and its routes have
    // answered (see route_worker).
    std::weak_ptr<worker_table> weak = self_ptr;
    broker->attach_functor([weak, broker] {
      if (auto table = weak.lock())
        table->drop(broker);
    });
    return worker;
  }

  /// Forgets `worker` (a dead one) so that the next request gets a new one.
  void forget(caf::io::broker* broker, const caf::actor& worker) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = workers_.find(broker);
    if (i != workers_.end() && i->second == worker)
      workers_.erase(i);
  }

private:
  void drop(caf::io::broker* broker) {
    std::lock_guard<std::mutex> guard{mtx_};
    workers_.erase(broker);
  }

  std::mutex mtx_;
  std::unordered_map<caf::io::broker*, caf::actor> workers_;
};

/// Routes that never talk to an actor (and so never use the route's actor)
/// are answered on the spot, without a trip through a route worker; so are
/// CORS preflights.
bool answers_at_once(const http::request& req) {
  return (req.method == "GET"
          && (req.path == "/health" || req.path == "/metrics"
              || req.path == "/openapi.json"))
         || http::is_preflight(req);
}

/// An allowed origin may read every answer of its request, errors and the
/// 500 of a failed route included (a preflight's answer has its own).
http::responder readable_by_origin(const context& ctx, const http::request& req,
                                   http::responder respond) {
  auto origin = req.find_header("origin");
  if (!origin || http::is_preflight(req) || !ctx.cors.allows(*origin))
    return respond;
  return [respond = std::move(respond),
          origin = std::string{*origin}](http::response res) {
    http::allow_origin(res, origin);
    respond(std::move(res));
  };
}

} // namespace

http::handler make_handler(std::shared_ptr<context> ctx) {
  auto table = std::make_shared<worker_table>();
  return [ctx, table](caf::io::broker* self, http::request&& req,
                      http::responder respond) {
    respond = readable_by_origin(*ctx, req, std::move(respond));
    if (answers_at_once(req)) {
      route(nullptr, ctx, std::move(req), std::move(respond));
      return;
    }
    auto worker = table->of(self, ctx, table);
    self->request(worker, caf::infinite, route_atom::value, std::move(req))
        .then([respond](http::response& res) { respond(std::move(res)); },
              [self, table, worker, respond](caf::error&) {
                // The worker died (an exception in a response handler).
                table->forget(self, worker);
                respond(http::server_error(500));
              });
  };
}

} // namespace bookstore::gateway
