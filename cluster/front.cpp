#include "cluster/front.hpp"

#include <exception>
#include <iostream>
#include <unordered_map>
#include <utility>

namespace bookstore::cluster {

namespace {

peer_response server_error() {
  peer_response res;
  res.status = 500;
  res.content_type = "application/json";
  res.body = R"({"detail":"Internal Server Error","code":"INTERNAL_ERROR"})";
  return res;
}

/// Runs one forwarded request, as a connection's route worker does for its
/// client (gateway/api/dispatch.cpp), and quits once it has answered. A
/// route that throws, at once or in one of its response handlers, ends
/// this worker only: the front answers that request with 500 and goes on
/// serving its peers.
caf::behavior forwarded_route(caf::event_based_actor* self,
                              serve_function serve) {
  self->set_exception_handler(
      [](caf::scheduled_actor*, std::exception_ptr& eptr) -> caf::error {
        try {
          std::rethrow_exception(eptr);
        } catch (const std::exception& e) {
          std::cerr << "cluster: exception in a forwarded request: " << e.what()
                    << '\n';
        } catch (...) {
          std::cerr << "cluster: exception in a forwarded request\n";
        }
        return caf::exit_reason::unhandled_exception;
      });
  return {
      [=](forward_atom, peer_request& request) -> caf::result<peer_response> {
        auto rp = self->make_response_promise<peer_response>();
        // Routes answer exactly once; one that answered and then threw has
        // answered.
        auto answered = std::make_shared<bool>(false);
        auto respond = [self, rp,
                        answered](bookstore::http::response res) mutable {
          if (*answered)
            return;
          *answered = true;
          rp.deliver(to_wire(std::move(res)));
          self->quit();
        };
        auto as_user = request.as_user;
        auto as_admin = request.as_admin;
        serve(self, to_http(std::move(request)), as_user, as_admin, respond);
        return rp;
      },
  };
}

/// Dynamically typed, as the routes run on an event_based_actor; its handle
/// is cast to front_actor, whose messages it answers.
caf::behavior front(caf::event_based_actor* self,
                    std::shared_ptr<peer_table> table, serve_function serve,
                    caf::actor registry, links_actor links) {
  // The requests in flight, by their worker: a worker that ends without
  // having answered (its route threw) leaves its promise undelivered, so
  // its end answers for it.
  struct in_flight {
    caf::response_promise promise;
    std::uint32_t from = 0;
  };
  auto pending =
      std::make_shared<std::unordered_map<caf::actor_addr, in_flight>>();
  auto answer = [pending, table](const caf::actor_addr& worker,
                                 peer_response res) {
    auto i = pending->find(worker);
    if (i == pending->end())
      return;
    table->sent_to(i->second.from);
    i->second.promise.deliver(std::move(res));
    pending->erase(i);
  };
  self->set_down_handler(
      [answer](caf::down_msg& msg) { answer(msg.source, server_error()); });
  return {
      [=](forward_atom, peer_request& request) -> caf::result<peer_response> {
        table->received_from(request.from);
        auto rp = self->make_response_promise<peer_response>();
        auto worker = self->spawn(forwarded_route, serve);
        auto addr = worker.address();
        pending->emplace(addr, in_flight{rp, request.from});
        self->monitor(worker);
        self->request(worker, caf::infinite, forward_atom::value,
                      std::move(request))
            .then(
                [answer, addr](peer_response& res) {
                  answer(addr, std::move(res));
                },
                [answer, addr](caf::error&) { answer(addr, server_error()); });
        return rp;
      },
      [=](registry_atom) { return registry; },
      [=](ping_atom, std::uint32_t from, caf::actor& sender) -> std::string {
        table->received_from(from);
        table->sent_to(from);
        self->send(links, hello_atom::value, from, std::move(sender));
        return table->name(table->self());
      },
  };
}

} // namespace

front_actor spawn_front(caf::actor_system& sys,
                        std::shared_ptr<peer_table> table, serve_function serve,
                        caf::actor registry, links_actor links) {
  // On a thread of its own: a peer's ping must be answered within its
  // timeout (links.hpp), also while every scheduler thread runs long work
  // (a node that shares a machine may have one), or the peer would take
  // this node for down. Its work is light: each request runs on a worker
  // on the scheduler.
  return caf::actor_cast<front_actor>(
      sys.spawn<caf::detached>(front, std::move(table), std::move(serve),
                               std::move(registry), std::move(links)));
}

bookstore::http::request to_http(peer_request&& request) {
  bookstore::http::request req;
  req.method = std::move(request.method);
  req.path = std::move(request.path);
  req.raw_path = std::move(request.raw_path);
  req.query = std::move(request.query);
  req.headers = std::move(request.headers);
  req.body = std::move(request.body);
  req.http11 = request.http11;
  return req;
}

peer_request to_wire(const bookstore::http::request& request) {
  peer_request req;
  req.method = request.method;
  req.path = request.path;
  req.raw_path = request.raw_path;
  req.query = request.query;
  req.headers = request.headers;
  req.body = request.body;
  req.http11 = request.http11;
  return req;
}

peer_response to_wire(bookstore::http::response&& response) {
  peer_response res;
  res.status = response.status;
  res.content_type = std::move(response.content_type);
  res.headers = std::move(response.headers);
  res.body = std::move(response.body);
  return res;
}

bookstore::http::response to_http(peer_response&& response) {
  bookstore::http::response res;
  res.status = response.status;
  res.content_type = std::move(response.content_type);
  res.headers = std::move(response.headers);
  res.body = std::move(response.body);
  return res;
}

} // namespace bookstore::cluster
