// The server over real sockets: keep-alive, pipelining, partial writes,
// handler failures, the bound address and the graceful stop.

#include <arpa/inet.h>
#include <fstream>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/gateway/http/client.hpp"
#include "tests/gateway/http/fixture.hpp"

using namespace bookstore::http;
using namespace bookstore::http::testing;
using namespace std::chrono_literals;

namespace {

// Local addresses (hex, as the kernel prints them) of the sockets listening
// on `port` in /proc/net/tcp or tcp6.
std::vector<std::string> listeners(const char* table, std::uint16_t port) {
  std::vector<std::string> out;
  std::ifstream in{table};
  std::string line;
  std::getline(in, line); // header
  char want[8];
  std::snprintf(want, sizeof(want), "%04X", port);
  while (std::getline(in, line)) {
    std::istringstream fields{line};
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    auto colon = local.rfind(':');
    if (state == "0A" && local.substr(colon + 1) == want)
      out.push_back(local.substr(0, colon));
  }
  return out;
}

// The first IPv4 address of this host that is not loopback, if any.
std::string non_loopback_ipv4() {
  ifaddrs* all = nullptr;
  if (getifaddrs(&all) != 0)
    return {};
  std::string result;
  for (auto i = all; i != nullptr && result.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET)
      continue;
    auto addr = reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr;
    if ((ntohl(addr.s_addr) >> 24) == 127)
      continue;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr, buf, sizeof(buf));
    result = buf;
  }
  freeifaddrs(all);
  return result;
}

bool can_connect(const std::string& ip, std::uint16_t port) {
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
  auto ok =
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

} // namespace

TEST_CASE("keep-alive serves several requests on one connection") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.connected());
  for (int i = 0; i < 5; ++i) {
    auto q = "n=" + std::to_string(i);
    REQUIRE(c.send(get("/echo?" + q)));
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "GET /echo?" + q + "|");
    CHECK(r->header("connection") == "keep-alive");
    CHECK(r->header("content-type") == "text/plain");
    CHECK_FALSE(r->header("date").empty());
  }
  REQUIRE(c.send(post("/echo", R"({"a":1})")));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->body == R"(POST /echo?|{"a":1})");
}

TEST_CASE("pipelined answers come back in request order") {
  test_server server;
  client c{server.port()};
  // The first completes last, the second at once, the third in between.
  REQUIRE(c.send(get("/delay/300") + get("/echo?second") + get("/delay/100")));
  auto first = c.read();
  auto second = c.read();
  auto third = c.read();
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(third);
  CHECK(first->body == "delayed 300");
  CHECK(second->body == "GET /echo?second|");
  CHECK(third->body == "delayed 100");
  // The connection is still usable afterwards.
  REQUIRE(c.send(get("/echo?after")));
  auto after = c.read();
  REQUIRE(after);
  CHECK(after->body == "GET /echo?after|");
}

TEST_CASE("large pipelined answers to a client that reads late arrive whole "
          "and in order") {
  // Answers are written straight into the socket until it is full; the
  // rest, and everything after it, must go through CAF's buffers in order.
  test_server server;
  client c{server.port()};
  std::vector<std::string> bodies;
  std::string requests;
  for (char tag : std::string{"abcdefghijklmnop"}) {
    bodies.push_back(std::string(900 * 1024, tag));
    requests += post("/echo", bodies.back());
  }
  // Sent from a thread: once a MiB of answers waits, the server stops
  // reading until they drain, so sending all before reading would stall.
  bool sent = false;
  std::thread sender{[&] { sent = c.send(requests); }};
  // Joined however the test ends (a send blocks at most the client's
  // timeout).
  struct joiner {
    std::thread& t;
    ~joiner() {
      if (t.joinable())
        t.join();
    }
  } join_sender{sender};
  // Not reading yet: the server's sends fill the socket buffers.
  std::this_thread::sleep_for(300ms);
  for (const auto& body : bodies) {
    auto answer = c.read();
    REQUIRE(answer);
    CHECK(answer->body == "POST /echo?|" + body);
  }
  sender.join();
  CHECK(sent);
}

TEST_CASE("many pipelined requests beyond the in-flight limit all get "
          "answered in order") {
  test_server server;
  client c{server.port()};
  std::string batch;
  for (int i = 0; i < 100; ++i)
    batch +=
        i % 10 == 0 ? get("/delay/20") : get("/echo?i=" + std::to_string(i));
  REQUIRE(c.send(batch));
  for (int i = 0; i < 100; ++i) {
    auto r = c.read();
    REQUIRE(r);
    if (i % 10 == 0)
      CHECK(r->body == "delayed 20");
    else
      CHECK(r->body == "GET /echo?i=" + std::to_string(i) + "|");
  }
}

TEST_CASE("a request written in small pieces with pauses is served") {
  test_server server;
  client c{server.port()};
  auto body = std::string(200, 'x');
  REQUIRE(c.send_slowly(post("/echo?slow=1", body), 7, 5ms));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "POST /echo?slow=1|" + body);
}

TEST_CASE("a throwing handler gives 500 and the connection keeps working") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(get("/throw")));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 500);
  CHECK(r->body
        == R"({"detail":"Internal server error","code":"INTERNAL_ERROR"})");
  CHECK(r->header("connection") == "keep-alive");
  REQUIRE(c.send(get("/echo")));
  auto next = c.read();
  REQUIRE(next);
  CHECK(next->status == 200);
}

TEST_CASE("a throwing continuation answers 500 to what waits and then closes") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(get("/throw-later") + get("/delay/300")));
  auto first = c.read();
  auto second = c.read();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->status == 500);
  CHECK(second->status == 500);
  CHECK(second->header("connection") == "close");
  CHECK(c.closed_within(2s));
  // Only that connection ended.
  client next{server.port()};
  REQUIRE(next.send(get("/echo")));
  auto r = next.read();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("unknown routes are the handler's answer") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(get("/nowhere")));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 404);
}

TEST_CASE("answers for a connection the client closed are dropped") {
  test_server server;
  {
    client gone{server.port()};
    REQUIRE(gone.send(get("/delay/150") + get("/delay/50")));
    std::this_thread::sleep_for(50ms); // the requests reach the handler
  }
  std::this_thread::sleep_for(300ms); // both answers come after the close
  client c{server.port()};
  REQUIRE(c.send(get("/echo")));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("the connection closes after a closing request or answer") {
  test_server server;
  SECTION("the request says Connection: close") {
    client c{server.port()};
    REQUIRE(c.send(get("/echo", "Connection: close\r\n")));
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->header("connection") == "close");
    CHECK(c.closed_within(2s));
  }
  SECTION("HTTP/1.0 without keep-alive") {
    client c{server.port()};
    REQUIRE(c.send("GET /echo HTTP/1.0\r\n\r\n"));
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("connection") == "close");
    CHECK(c.closed_within(2s));
  }
  SECTION("HTTP/1.0 with keep-alive stays open") {
    client c{server.port()};
    auto req =
        std::string{"GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"};
    REQUIRE(c.send(req));
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->header("connection") == "keep-alive");
    REQUIRE(c.send(req));
    CHECK(c.read());
  }
  SECTION("the handler answers with Connection: close") {
    client c{server.port()};
    REQUIRE(c.send(get("/close")));
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->body == "closing");
    CHECK(r->header("connection") == "close");
    CHECK(c.closed_within(2s));
  }
}

TEST_CASE("Expect: 100-continue gets an interim answer before the body") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                 "Content-Length: 4\r\n\r\n"));
  auto interim = c.read();
  REQUIRE(interim);
  CHECK(interim->status == 100);
  REQUIRE(c.send("body"));
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "POST /echo?|body");
}

TEST_CASE("HEAD answers carry headers only") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send("HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n" + get("/echo?2")));
  // The next answer must follow the HEAD answer's blank line directly.
  auto r = c.read(true);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->header("content-length") == "12"); // of "HEAD /echo?|"
  auto next = c.read();
  REQUIRE(next);
  CHECK(next->body == "GET /echo?2|");
}

TEST_CASE("the server listens on 127.0.0.1 only") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.connected());
  CHECK(c.peer_address() == "127.0.0.1");
  auto v4 = listeners("/proc/net/tcp", server.port());
  REQUIRE(v4.size() == 1);
  CHECK(v4[0] == "0100007F"); // 127.0.0.1, not 0.0.0.0
  CHECK(listeners("/proc/net/tcp6", server.port()).empty());
  auto other = non_loopback_ipv4();
  if (!other.empty())
    CHECK_FALSE(can_connect(other, server.port()));
}

TEST_CASE("a graceful stop answers in-flight requests and then closes") {
  test_server server;
  client busy{server.port()};
  client idle{server.port()};
  REQUIRE(idle.send(get("/echo")));
  REQUIRE(idle.read());
  REQUIRE(busy.send(get("/delay/400")));
  std::this_thread::sleep_for(100ms); // the request reaches the handler
  server.stop(5s);
  // The idle connection goes at once, the busy one after its answer.
  CHECK(idle.closed_within(1s));
  auto r = busy.read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "delayed 400");
  CHECK(r->header("connection") == "close");
  CHECK(busy.closed_within(2s));
  CHECK(server.wait_stopped(2s));
  client late{server.port()};
  CHECK_FALSE(late.connected());
}

TEST_CASE("a graceful stop kills connections still busy after the grace") {
  test_server server;
  client busy{server.port()};
  REQUIRE(busy.send(get("/delay/3000")));
  std::this_thread::sleep_for(100ms);
  auto started = std::chrono::steady_clock::now();
  server.stop(200ms);
  CHECK(server.wait_stopped(2s));
  CHECK(busy.closed_within(2s));
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);
}

TEST_CASE("a port already in use is an error and not a second listener") {
  test_server first;
  auto cfg = fast_config();
  cfg.port = first.port();
  CHECK_THROWS(test_server{cfg});
  client c{first.port()};
  REQUIRE(c.send(get("/echo")));
  CHECK(c.read());
}

TEST_CASE("a client that half-closes after its requests gets every answer") {
  // CAF reports the FIN as a closed connection; the answers still due, the
  // late ones and those beyond the in-flight limit, must go out anyway.
  test_server server;
  client c{server.port()};
  std::string batch;
  for (int i = 0; i < 100; ++i)
    batch +=
        i % 10 == 0 ? get("/delay/20") : get("/echo?i=" + std::to_string(i));
  REQUIRE(c.send(batch));
  c.half_close();
  for (int i = 0; i < 100; ++i) {
    INFO("answer " << i);
    auto r = c.read();
    REQUIRE(r);
    if (i % 10 == 0)
      CHECK(r->body == "delayed 20");
    else
      CHECK(r->body == "GET /echo?i=" + std::to_string(i) + "|");
  }
  CHECK(c.closed_within(2s));
}

TEST_CASE("an HTTP/1.0 request answered late reaches a half-closed client") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send("GET /delay/100 HTTP/1.0\r\n\r\n"));
  c.half_close();
  auto r = c.read();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "delayed 100");
  CHECK(c.closed_within(2s));
}
