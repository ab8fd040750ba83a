// A node's front (cluster/front.hpp) in one process: a forwarded route that
// throws, at once or in one of its response handlers, fails that request
// alone (500); the front goes on serving its peers; and it answers a ping
// while the scheduler's every thread is busy.

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "caf/all.hpp"

#include "cluster/front.hpp"

namespace cl = bookstore::cluster;
namespace http = bookstore::http;

TEST_CASE("a forwarded route that throws fails alone, and the front serves "
          "the next",
          "[cluster_front]") {
  caf::actor_system_config cfg;
  cl::announce_peer_types(cfg);
  caf::actor_system sys{cfg};
  auto echo =
      sys.spawn([]() -> caf::behavior { return {[](int x) { return x; }}; });
  auto serve = [echo](caf::event_based_actor* self, http::request&& req,
                      std::int64_t, bool, http::responder respond) {
    if (req.path == "/throws-at-once")
      throw std::runtime_error("a route that throws at once");
    if (req.path == "/throws-later") {
      // Thrown in a response handler: on the actor that runs the route.
      self->request(echo, caf::infinite, 1).then([](int) {
        throw std::runtime_error("a route that throws in a response handler");
      });
      return;
    }
    http::response res;
    res.status = 200;
    res.body = req.path;
    respond(std::move(res));
  };
  auto table =
      std::make_shared<cl::peer_table>(std::vector<std::string>{"a", "b"}, 0);
  auto front =
      cl::spawn_front(sys, table, serve, caf::actor{}, cl::links_actor{});
  caf::scoped_actor self{sys};
  auto forward = [&](const std::string& path) {
    cl::peer_request request;
    request.from = 1;
    request.method = "GET";
    request.path = request.raw_path = path;
    int status = 0;
    std::string body;
    self->request(front, std::chrono::seconds(10), cl::forward_atom::value,
                  request)
        .receive(
            [&](cl::peer_response& res) {
              status = res.status;
              body = res.body;
            },
            [&](caf::error& err) {
              FAIL("the front did not answer: " << sys.render(err));
            });
    return std::make_pair(status, body);
  };
  CHECK(forward("/first") == std::make_pair(200, std::string{"/first"}));
  CHECK(forward("/throws-later").first == 500);
  CHECK(forward("/throws-at-once").first == 500);
  CHECK(forward("/after") == std::make_pair(200, std::string{"/after"}));
  caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(echo, caf::exit_reason::user_shutdown);
}

TEST_CASE("the front answers a ping while every scheduler thread is busy",
          "[cluster_front]") {
  // One scheduler thread, as a node that shares 2 cores with another has,
  // taken for 3 s by one long piece of work (a large merge, say).
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", std::size_t{1});
  cl::announce_peer_types(cfg);
  caf::actor_system sys{cfg};
  auto table =
      std::make_shared<cl::peer_table>(std::vector<std::string>{"a", "b"}, 0);
  auto serve = [](caf::event_based_actor*, http::request&&, std::int64_t, bool,
                  http::responder) {};
  auto front =
      cl::spawn_front(sys, table, serve, caf::actor{}, cl::links_actor{});
  caf::scoped_actor self{sys};
  auto busy = sys.spawn([]() -> caf::behavior {
    return {[](int) { std::this_thread::sleep_for(std::chrono::seconds(3)); }};
  });
  caf::anon_send(busy, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Within the peers' ping timeout (1 s), well before the work ends.
  std::string name;
  self->request(front, std::chrono::seconds(1), cl::ping_atom::value,
                std::uint32_t{1}, caf::actor{})
      .receive([&](std::string& answer) { name = answer; },
               [&](caf::error& err) {
                 FAIL("no answer to the ping: " << sys.render(err));
               });
  CHECK(name == "a");
  caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(busy, caf::exit_reason::user_shutdown);
}
