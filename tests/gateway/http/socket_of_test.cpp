// socket_of: a connection writes straight into the socket that socket_of
// names for its CAF handle (connection.cpp's send_bytes). That relies on CAF
// 0.17.6 numbering a connection handle by its socket descriptor, which CAF
// does not promise. With a real broker and real connections, these tests
// fail if the numbering changes, instead of answers going to the wrong
// client or nowhere.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/io/broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/system_messages.hpp"
#include "caf/send.hpp"

#include "gateway/http/socket_of.hpp"

using bookstore::http::detail::socket_of;

namespace {

using getname_fn = int (*)(int, sockaddr*, socklen_t*);

// "address:port" of one end of socket `fd`, or "" if it has none.
std::string end_of(int fd, getname_fn getname) {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  if (getname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0
      || addr.sin_family != AF_INET)
    return "";
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &addr.sin_addr, text, sizeof(text));
  return std::string{text} + ":" + std::to_string(ntohs(addr.sin_port));
}

std::string local_end(int fd) {
  return end_of(fd, ::getsockname);
}

std::string peer_end(int fd) {
  return end_of(fd, ::getpeername);
}

// What the broker saw of one accepted connection.
struct sighting {
  int fd = -1;           // socket_of(the connection's handle)
  std::string local;     // that socket's own end
  std::string peer;      // and its peer's
  int copy = -1;         // a duplicate of it, given to CAF as a new scribe
  int copy_seen = -1;    // socket_of(the new scribe's handle)
  int stranger_seen = 0; // socket_of(a handle numbered as the client's fd)
};

// Shared by the test and the broker, which runs on the middleman's thread.
struct probe_box {
  std::mutex mtx;
  std::condition_variable changed;
  bool bound = false;
  std::uint16_t port = 0;
  int client_fd = -1; // the client connecting now (a socket CAF never saw)
  std::vector<sighting> seen;

  template <class Pred> bool wait(Pred pred) {
    std::unique_lock<std::mutex> lock{mtx};
    return changed.wait_for(lock, std::chrono::seconds{5}, pred);
  }
};

// Accepts connections on 127.0.0.1 and reports what socket_of names for
// each; then writes the connection's index straight into that socket, as
// connection.cpp would write an answer.
caf::behavior probe(caf::io::broker* self, std::shared_ptr<probe_box> box) {
  auto bound = self->add_tcp_doorman(0, "127.0.0.1", true);
  {
    std::lock_guard<std::mutex> lock{box->mtx};
    box->bound = true;
    box->port = bound ? bound->second : 0;
  }
  box->changed.notify_all();
  return {
      [self, box](const caf::io::new_connection_msg& msg) {
        sighting s;
        s.fd = socket_of(self, msg.handle);
        if (s.fd >= 0) {
          s.local = local_end(s.fd);
          s.peer = peer_end(s.fd);
          // The half-close path (connection.cpp's adopt_copy).
          s.copy = ::fcntl(s.fd, F_DUPFD_CLOEXEC, 0);
          if (s.copy >= 0)
            s.copy_seen = socket_of(self, self->add_scribe(s.copy));
        }
        std::lock_guard<std::mutex> lock{box->mtx};
        s.stranger_seen = socket_of(
            self, caf::io::connection_handle::from_int(box->client_fd));
        if (s.fd >= 0) {
          auto mark = std::to_string(box->seen.size());
          (void)::send(s.fd, mark.data(), mark.size(), MSG_NOSIGNAL);
        }
        box->seen.push_back(s);
        box->changed.notify_all();
      },
      [](const caf::io::connection_closed_msg&) {},
  };
}

// A blocking TCP client of 127.0.0.1:`port` whose reads give up after 5 s.
int connect_to(std::uint16_t port, probe_box& box) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  timeval limit{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  {
    std::lock_guard<std::mutex> lock{box.mtx};
    box.client_fd = fd;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  return fd;
}

std::string read_some(int fd) {
  char buf[16];
  auto n = ::recv(fd, buf, sizeof(buf), 0);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

} // namespace

TEST_CASE("socket_of names the very socket of each accepted connection",
          "[socket_of]") {
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  caf::actor_system sys{cfg};
  auto box = std::make_shared<probe_box>();
  auto broker = sys.middleman().spawn_broker(probe, box);
  // Stops the broker however the test ends: a failing REQUIRE throws, and
  // the actor system's destructor would wait for the broker forever.
  struct stop_on_exit {
    caf::actor broker;
    ~stop_on_exit() {
      caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
    }
  } stop{broker};
  REQUIRE(box->wait([&] { return box->bound; }));
  REQUIRE(box->port != 0);

  // Several connections open at once, so each has a socket of its own.
  constexpr std::size_t connections = 5;
  std::vector<int> clients;
  for (std::size_t i = 0; i < connections; ++i) {
    clients.push_back(connect_to(box->port, *box));
    REQUIRE(box->wait([&] { return box->seen.size() == i + 1; }));
  }

  for (std::size_t i = 0; i < connections; ++i) {
    sighting s;
    {
      std::lock_guard<std::mutex> lock{box->mtx};
      s = box->seen[i];
    }
    INFO("connection " << i << ": socket_of gave " << s.fd);
    // -1: CAF's handle number no longer names a socket whose peer is the
    // one CAF knows, so the server writes through CAF only (slower).
    REQUIRE(s.fd >= 0);
    // Its two ends are this client's two ends, crosswise.
    CHECK(s.peer == local_end(clients[i]));
    CHECK(s.local == peer_end(clients[i]));
    // Bytes written into it reach this client, and only this one.
    CHECK(read_some(clients[i]) == std::to_string(i));
    // A scribe made from a copy of the socket is numbered by the copy.
    CHECK(s.copy >= 0);
    CHECK(s.copy_seen == s.copy);
    // A socket that is not one of the broker's connections is never named,
    // even though it is connected to the broker's port.
    CHECK(s.stranger_seen == -1);
  }

  for (auto fd : clients)
    ::close(fd);
}
