// Serves the bookstore's HTTP API from a program's own actor system: adds a
// book through the embedding API, listens on 127.0.0.1, asks itself
// GET /books/{id} over a socket and checks the answer, then stops.
//
//   serve_http [port]   (default 0: a free port)
//
// Links bookstore::gateway (see CMakeLists.txt). Exits 0 if the server
// answered 200 with the book. app/main.cpp is the full server: signals,
// options, the admin account.

#include <arpa/inet.h>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/core.hpp"
#include "ask.hpp"
#include "gateway/api/context.hpp"
#include "gateway/api/dispatch.hpp"
#include "gateway/http/server.hpp"

using namespace bookstore;
using examples::ask;

namespace {

/// One HTTP/1.1 GET to 127.0.0.1:port; the whole response, or "" if the
/// connection failed. "Connection: close": the response ends at EOF.
std::string http_get(std::uint16_t port, const std::string& target) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (fd >= 0
      && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    auto request =
        "GET " + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), 0)
        == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;)
        response.append(buf, static_cast<std::size_t>(n));
    }
  }
  if (fd >= 0)
    ::close(fd);
  return response;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN); // a peer that hangs up is no reason to die
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>(); // the HTTP server runs on CAF's I/O
  caf::actor_system sys{cfg};
  core_config config;
  config.database_path = ":memory:"; // throwaway: the example leaves no file
  auto shop = start(sys, config);
  caf::scoped_actor self{sys};

  model::book draft;
  draft.title = "The Left Hand of Darkness";
  draft.author = "Ursula K. Le Guin";
  draft.price = 1299;
  auto book = ask<model::book>(self, shop.registry, create_atom::value, draft);

  // What every route may need: the actors, a signing secret for tokens, and
  // the pools that hash passwords and write uploaded images.
  auto ctx = std::make_shared<gateway::context>();
  ctx->shop = shop;
  ctx->auth.jwt_secret = "an example secret, not for production";
  ctx->hashing = std::make_shared<auth::hash_pool>(1, 4);
  ctx->files = std::make_shared<auth::hash_pool>(1, 4);
  // No folder for uploaded images here: an upload is answered 500. A real
  // program sets one (uploads::make_dir, gateway/uploads/upload_dir.hpp).
  ctx->uploads_dir = "/nonexistent";

  http::server_config server_config;
  server_config.port =
      argc > 1 ? static_cast<std::uint16_t>(std::atoi(argv[1])) : 0;
  caf::actor server;
  auto port = http::start_server(sys, server_config, gateway::make_handler(ctx),
                                 server);
  if (!port) {
    std::cerr << "cannot listen: " << sys.render(port.error()) << "\n";
    return 1;
  }
  std::cout << "listening on http://127.0.0.1:" << *port << "\n";

  auto response = http_get(*port, "/books/" + std::to_string(book.id));
  std::cout << response << "\n";
  bool ok = response.rfind("HTTP/1.1 200 ", 0) == 0
            && response.find(draft.title) != std::string::npos;

  http::stop_server_and_wait(sys, server);
  ctx->hashing->stop();
  ctx->files->stop();
  stop(shop);
  ctx->shop = core{}; // see app/main.cpp: the store's thread would wait
  return ok ? 0 : 1;
}
