// The server's defenses over real sockets: bad and oversized requests,
// slow and idle clients, the connection limit.

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/gateway/http/client.hpp"
#include "tests/gateway/http/fixture.hpp"

using namespace bookstore::http;
using namespace bookstore::http::testing;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

server_config short_timeouts() {
  auto cfg = fast_config();
  cfg.header_timeout = 300ms;
  cfg.idle_timeout = 300ms;
  return cfg;
}

} // namespace

TEST_CASE("a body over the limit gets a readable 413 without sending it") {
  auto cfg = fast_config();
  cfg.max_body = 1024;
  test_server server{cfg};
  client c{server.port()};
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                 "\r\n"));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(r->body == R"({"detail":"Payload Too Large","code":"HTTP_413"})");
  CHECK(r->header("connection") == "close");
  CHECK(c.closed_within(3s));
}

TEST_CASE("a 413 stays readable while the client keeps sending its body") {
  auto cfg = fast_config();
  cfg.max_body = 1024;
  test_server server{cfg};
  client c{server.port()};
  // Headers and a first part of the body in one write, the rest after the
  // answer is out: the server drains instead of resetting the connection.
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n"
                 "\r\n"
                 + std::string(50000, 'b')));
  REQUIRE(c.readable(2s));
  c.send(std::string(50000, 'b'));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(c.closed_within(4s));
}

TEST_CASE("a header section over 64 KiB gets 431") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send("GET /echo HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a')
                 + "\r\n\r\n"));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 431);
  CHECK(r->header("connection") == "close");
  CHECK(c.closed_within(3s));
}

TEST_CASE("garbage gets 400 and then the connection closes") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(std::string{"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11}
                 + "not http at all\r\n\r\n"));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->body == R"({"detail":"Bad Request","code":"HTTP_400"})");
  CHECK(c.closed_within(3s));
}

TEST_CASE("an unsupported version gets 505") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send("GET /echo HTTP/2.0\r\nHost: x\r\n\r\n"));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 505);
  CHECK(c.closed_within(3s));
}

TEST_CASE("earlier pipelined requests are answered before the error") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(get("/delay/100") + "BROKEN\r\n\r\n"));
  auto first = c.read();
  REQUIRE(first);
  CHECK(first->body == "delayed 100");
  auto second = c.read();
  REQUIRE(second);
  CHECK(second->status == 400);
}

TEST_CASE("a slow client is cut off by the header timeout") {
  test_server server{short_timeouts()};
  client c{server.port()};
  auto request = get("/echo");
  auto started = clock_type::now();
  // One byte per second: the header section cannot be complete in 300 ms.
  bool cut = false;
  for (std::size_t i = 0; i < request.size() && !cut; ++i) {
    if (!c.send(request.substr(i, 1)))
      break;
    cut = c.readable(1s);
  }
  auto elapsed = clock_type::now() - started;
  CHECK(elapsed >= 250ms);
  CHECK(elapsed < 2s);
  auto r = c.read();
  if (r)
    CHECK(r->status == 408);
  CHECK(c.closed_within(3s));
}

TEST_CASE("a connection that never sends a request is closed") {
  test_server server{short_timeouts()};
  client c{server.port()};
  auto started = clock_type::now();
  CHECK(c.closed_within(3s));
  CHECK(clock_type::now() - started >= 250ms);
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout") {
  test_server server{short_timeouts()};
  client c{server.port()};
  REQUIRE(c.send(get("/echo")));
  REQUIRE(c.read());
  auto started = clock_type::now();
  CHECK(c.closed_within(3s));
  auto elapsed = clock_type::now() - started;
  CHECK(elapsed >= 250ms);
  CHECK(elapsed < 2s);
}

TEST_CASE("a request in flight is not an idle connection") {
  test_server server{short_timeouts()};
  client c{server.port()};
  REQUIRE(c.send(get("/delay/700")));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->body == "delayed 700");
}

TEST_CASE("the connection limit holds") {
  auto cfg = fast_config();
  cfg.max_connections = 4;
  test_server server{cfg};
  // Four connections, each with a request in flight: none is idle.
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<client>(server.port()));
    REQUIRE(clients.back()->send(get("/delay/1500")));
  }
  std::this_thread::sleep_for(200ms); // every request reached the server
  {
    client fifth{server.port()};
    // Accepted by the kernel, then refused at once with a readable 503 (it
    // sent nothing, so closing cannot reset the connection).
    auto r = fifth.read();
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(r->header("connection") == "close");
    CHECK(fifth.closed_within(2s));
  }
  // The four are answered, and a freed slot is taken again.
  for (auto& c : clients) {
    auto r = c->read();
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  clients.pop_back();
  std::this_thread::sleep_for(200ms); // the server notices the close
  client again{server.port()};
  REQUIRE(again.send(get("/echo")));
  auto r = again.read();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("at the connection limit the longest-idle connection makes room") {
  auto cfg = fast_config();
  cfg.max_connections = 4;
  test_server server{cfg};
  // One client holds every slot with idle keep-alive connections.
  std::vector<std::unique_ptr<client>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<client>(server.port()));
    REQUIRE(idle.back()->send(get("/echo")));
    REQUIRE(idle.back()->read());
    std::this_thread::sleep_for(20ms); // a clear order of idleness
  }
  // The newest idle one is used again: now idle[0] is the longest idle.
  REQUIRE(idle[1]->send(get("/echo")));
  REQUIRE(idle[1]->read());
  client newcomer{server.port()};
  REQUIRE(newcomer.send(get("/echo")));
  auto r = newcomer.read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(idle[0]->closed_within(2s));
  // The others were left alone.
  for (int i = 1; i < 4; ++i) {
    INFO("connection " << i);
    REQUIRE(idle[i]->send(get("/echo")));
    auto again = idle[i]->read();
    REQUIRE(again);
    CHECK(again->status == 200);
  }
}

TEST_CASE("a client that reads none of its answers for the idle timeout is "
          "cut off") {
  test_server server{short_timeouts()}; // idle timeout 300 ms
  // A small receive window, so the answers stay in the server's buffers.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  // Eight answers of 900 KiB: far more than the socket buffers hold. Sent
  // from a thread: the server stops reading once a MiB waits unsent, and
  // the send fails once it cuts the connection off.
  std::string body(900 * 1024, 'x');
  std::string requests;
  for (int i = 0; i < 8; ++i)
    requests += post("/echo", body);
  std::thread sender{[fd, &requests] {
    std::string_view left{requests};
    while (!left.empty()) {
      auto n = ::send(fd, left.data(), left.size(), MSG_NOSIGNAL);
      if (n <= 0)
        return;
      left.remove_prefix(static_cast<std::size_t>(n));
    }
  }};
  // Not reading for well over the idle timeout.
  std::this_thread::sleep_for(1500ms);
  std::size_t received = 0;
  bool closed = false;
  char buf[65536];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      received += static_cast<std::size_t>(n);
      continue;
    }
    closed = n == 0 || errno == ECONNRESET;
    break;
  }
  sender.join();
  ::close(fd);
  // Cut off: the connection is closed and most of the answers never came
  // (a server that waits for ever would deliver all of them, then close).
  CHECK(closed);
  CHECK(received < 4 * body.size());
}
