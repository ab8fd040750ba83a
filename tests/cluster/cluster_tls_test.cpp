// Mutual TLS between the nodes of a cluster (API.md, "Cluster": "a process
// without a certificate signed by `ca` can neither read nor change
// anything"). The nodes are real `bookstore serve` processes; the intruder
// is this test process, speaking CAF's own protocol to a node's peer port
// as a node would, with and without a certificate.

#include <fstream>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "caf/all.hpp"
#include "caf/io/all.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/openssl/remote_actor.hpp"

#include "cluster/wire.hpp"
#include "cluster_support.hpp"

using namespace cluster_test;
using e2e::json;

namespace {

struct credentials {
  std::string cert;
  std::string key;
  std::string ca;
};

/// Connects to a node's peer port from an actor system of its own, as a
/// node does (with CAF's OpenSSL module when `tls` is given, else in plain
/// text), and pings the node's front as peer `from`. The node's name if
/// the ping reached it, else what stopped it.
std::string ping_front(std::uint16_t port, std::uint32_t from,
                       const std::optional<credentials>& tls) {
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  if (tls) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = tls->cert;
    cfg.openssl_key = tls->key;
    cfg.openssl_cafile = tls->ca;
  }
  bookstore::cluster::announce_peer_types(cfg);
  caf::actor_system sys{cfg};
  using bookstore::cluster::front_actor;
  auto front =
      tls ? caf::openssl::remote_actor<front_actor>(sys, "127.0.0.1", port)
          : sys.middleman().remote_actor<front_actor>("127.0.0.1", port);
  if (!front)
    return "refused: " + sys.render(front.error());
  std::string answer;
  caf::scoped_actor self{sys};
  self->request(*front, std::chrono::seconds(10),
                bookstore::cluster::ping_atom::value, from, caf::actor{})
      .receive([&](std::string& name) { answer = name; },
               [&](caf::error& e) { answer = "no answer: " + sys.render(e); });
  return answer;
}

credentials files_in(const test_cluster& cl, const std::string& cert,
                     const std::string& key, const std::string& ca) {
  return {cl.folder() + "/" + cert, cl.folder() + "/" + key,
          cl.folder() + "/" + ca};
}

} // namespace

TEST_CASE("with tls the nodes link over TLS and check out across them",
          "[cluster][cluster_tls]") {
  test_cluster cl{3, {}, true}; // returns once every node sees the others
  auto admin = admin_token(cl);
  auto user = user_owned_by(cl, 1);
  auto books = cart_across_nodes(cl, admin, user, 5, 2);
  auto out = cl.any_client().post("/orders/checkout", json::object(),
                                  user.access_token);
  REQUIRE(out.status == 201);
  CHECK(out.json()["items"].size() == 3);
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto c = cl.client(n);
    for (auto id : books)
      CHECK(e2e::book_stock(c, id) == 3);
  }
}

TEST_CASE("a process without a certificate signed by the cluster's CA "
          "reaches no actor of a node",
          "[cluster][cluster_tls]") {
  test_cluster cl{2, {}, true};
  auto port = cl.peer_port(0);
  // The control: the cluster's own certificate reaches node a's front. The
  // refusals below are then the certificates', not a broken probe.
  CHECK(ping_front(port, 1, files_in(cl, "node.pem", "node.key", "ca.pem"))
        == "a");
  // No TLS at all: the peer port speaks nothing but TLS.
  auto plain = ping_front(port, 1, std::nullopt);
  // A certificate of another CA, trusting that CA.
  auto rogue = ping_front(
      port, 1,
      files_in(cl, "rogue/node.pem", "rogue/node.key", "rogue/ca.pem"));
  // A certificate of another CA, trusting the cluster's CA (the node's own
  // certificate passes this side's check; the node refuses this one).
  auto forged = ping_front(
      port, 1, files_in(cl, "rogue/node.pem", "rogue/node.key", "ca.pem"));
  INFO(plain << " | " << rogue << " | " << forged);
  CHECK(plain.rfind("refused", 0) == 0);
  CHECK(rogue.rfind("refused", 0) == 0);
  CHECK(forged.rfind("refused", 0) == 0);
  // None of it disturbed the cluster.
  CHECK(cl.wait_peer(0, 1, "up", std::chrono::seconds(5)));
  CHECK(cl.wait_peer(1, 0, "up", std::chrono::seconds(5)));
}

TEST_CASE("a node with tls files it cannot use refuses to start; with tls a "
          "peer may be off loopback",
          "[cluster][cluster_tls]") {
  test_cluster cl{1, {}, true};
  auto write = [&](const std::string& name, const std::string& tls,
                   const std::string& b_peer = "127.0.0.1:2") {
    auto ports = e2e::free_loopback_ports(2);
    auto path = cl.folder() + "/" + name;
    std::ofstream{path} << R"({"nodes": [
      {"name": "a", "http": "127.0.0.1:)"
                               + std::to_string(ports[0])
                               + R"(", "peer": "127.0.0.1:)"
                               + std::to_string(ports[1]) + R"(", "db": "x.db"},
      {"name": "b", "http": "127.0.0.1:3", "peer": ")"
                               + b_peer + R"(", "db": "y.db"}],
      "tls": )" + tls + "}";
    return path;
  };
  auto start = [&](const std::string& file) {
    return e2e::run_binary({"serve", "--cluster", file, "--node", "a"},
                           std::chrono::milliseconds(10000),
                           {{"BOOKSTORE_SECRET_KEY", secret}});
  };
  SECTION("a certificate the CA did not sign") {
    auto r = start(write(
        "unsigned.json",
        R"({"cert": "rogue/node.pem", "key": "rogue/node.key", "ca": "ca.pem"})"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not signed by the tls ca") != std::string::npos);
    CHECK(r.out.find("listening") == std::string::npos);
  }
  SECTION("a key that is not the certificate's") {
    auto r = start(write(
        "mismatch.json",
        R"({"cert": "node.pem", "key": "rogue/node.key", "ca": "ca.pem"})"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("tls key " + cl.folder() + "/rogue/node.key")
          != std::string::npos);
  }
  SECTION("a file that is not there") {
    auto r = start(write(
        "missing.json",
        R"({"cert": "node.pem", "key": "node.key", "ca": "nowhere.pem"})"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("nowhere.pem") != std::string::npos);
  }
  SECTION("a peer off loopback is allowed with tls") {
    e2e::server_options options;
    options.db_path = cl.folder() + "/x.db";
    options.extra_args = {
        "--cluster",
        write("open.json",
              R"({"cert": "node.pem", "key": "node.key", "ca": "ca.pem"})",
              // Not loopback, yet refused at once (a real remote address
              // that does not answer would hold CAF's connect for long).
              "0.0.0.0:" + std::to_string(free_port())),
        "--node", "a"};
    e2e::server_process node{options}; // throws if it does not listen
    auto health = e2e::http_client{node.port()}.get("/health");
    REQUIRE(health.status == 200);
    CHECK(health.json()["peers"]["b"] == "down");
  }
}
