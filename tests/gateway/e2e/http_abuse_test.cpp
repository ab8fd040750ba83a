// API.md "Fine print: abuse and edge cases", the HTTP half, from the
// outside: a client that pipelines and never reads, clients that half-close,
// a path that tries to forge request-log lines, transfer codings we do not
// know. Raw sockets throughout: the point is what a careless or hostile
// client does, which a polite client library never would.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "tests/support/timeouts.hpp"

using namespace e2e;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

http_client client() {
  return http_client{shared_server("http_abuse").port()};
}

// The server's resident set size in KiB, from /proc/PID/status.
long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

// A connection to 127.0.0.1:port whose receive buffer is small (set before
// connect, so the window stays small): the server's answers pile up on its
// side of the connection, not in our kernel.
int small_window_connection(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// Sends what the socket takes now from `data` at `sent`; false on an error.
bool send_some(int fd, const std::string& data, std::size_t& sent) {
  while (sent < data.size()) {
    auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

// Everything the server sends on a fresh connection after `bytes` and our
// half-close (shutdown SHUT_WR), up to its close or `timeout`.
struct half_closed_result {
  std::string data;
  bool closed = false; // the server closed (FIN) in time
};
half_closed_result
send_and_half_close(std::uint16_t port, const std::string& bytes,
                    std::chrono::milliseconds timeout = 10s) {
  auto c = http_client{port};
  int fd = c.open_connection();
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    REQUIRE(n > 0);
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  half_closed_result out;
  auto deadline = steady::now() + test_support::scaled(timeout);
  char buf[16384];
  while (steady::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      out.data.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    out.closed = true; // FIN or reset
    break;
  }
  ::close(fd);
  return out;
}

// Every complete response at the front of `data`, in order.
std::vector<response> responses_in(std::string_view data) {
  std::vector<response> out;
  std::size_t used = 0;
  while (auto r = parse_response(data, &used)) {
    out.push_back(std::move(*r));
    data.remove_prefix(used);
  }
  return out;
}

} // namespace

TEST_CASE("a client that pipelines and never reads costs bounded memory",
          "[http_abuse]") {
  server_process server;
  http_client c{server.port()};
  // Warm-up: the document is built and the allocator has its arenas.
  auto doc = c.get("/openapi.json");
  REQUIRE_STATUS(doc, 200);
  auto health = c.get("/health");
  REQUIRE_STATUS(health, 200);
  c.close();
  std::this_thread::sleep_for(200ms);
  auto before = rss_kib(server.pid());
  REQUIRE(before > 0);

  // 6,000 requests in one go, every 100th a /health so that the order of
  // the answers can be checked; the answers come to about 300 MB.
  constexpr int count = 6000;
  const std::string doc_req = "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string health_req = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string wire;
  for (int i = 0; i < count; ++i)
    wire += i % 100 == 99 ? health_req : doc_req;

  int fd = small_window_connection(server.port());
  std::size_t sent = 0;
  // Send what the server takes, without reading, for 3 s: a server that
  // stops reading leaves the rest unsent; sample its RSS all along.
  long peak = before;
  auto until = steady::now() + 3s;
  while (steady::now() < until) {
    REQUIRE(send_some(fd, wire, sent));
    peak = std::max(peak, rss_kib(server.pid()));
    std::this_thread::sleep_for(50ms);
  }
  peak = std::max(peak, rss_kib(server.pid()));
  INFO("RSS before " << before << " KiB, peak while not reading " << peak
                     << " KiB; request bytes sent " << sent << " of "
                     << wire.size());
  CHECK(peak - before < 64 * 1024);

  // Now read everything (sending the rest as room appears): every answer
  // whole and in order.
  std::string data;
  std::size_t parsed = 0;
  int answered = 0;
  char buf[65536];
  auto deadline = steady::now() + test_support::scaled(60s);
  while (answered < count && steady::now() < deadline) {
    REQUIRE(send_some(fd, wire, sent));
    pollfd p{fd, POLLIN, 0};
    if (sent < wire.size())
      p.events |= POLLOUT;
    if (::poll(&p, 1, 100) <= 0)
      continue;
    for (;;) {
      auto n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) {
        REQUIRE((n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)));
        break;
      }
      data.append(buf, static_cast<std::size_t>(n));
    }
    std::size_t used = 0;
    while (auto r =
               parse_response(std::string_view{data}.substr(parsed), &used)) {
      parsed += used;
      bool is_health = answered % 100 == 99;
      INFO("answer " << answered);
      REQUIRE(r->status == 200);
      REQUIRE(r->body == (is_health ? health.body : doc.body));
      ++answered;
    }
    if (parsed > (1 << 20)) {
      data.erase(0, parsed);
      parsed = 0;
    }
  }
  ::close(fd);
  CHECK(answered == count);
  CHECK(server.stop() == 0);
}

TEST_CASE("a checkout sent with Connection: close and a half-close is "
          "answered",
          "[http_abuse]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "halfclose");
  auto book = stocked_book(c, admin, 5);
  auto id = book.at("id").get<std::int64_t>();
  add_to_cart(c, user.access_token, id, 2);
  std::string body = "{}";
  std::string req = "POST /orders/checkout HTTP/1.1\r\nHost: x\r\n"
                    "Authorization: Bearer "
                    + user.access_token
                    + "\r\nContent-Type: application/json\r\n"
                      "Content-Length: "
                    + std::to_string(body.size())
                    + "\r\nConnection: close\r\n\r\n" + body;
  auto out = send_and_half_close(c.port(), req);
  INFO("received: " << out.data.substr(0, 400));
  auto answers = responses_in(out.data);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 201);
  CHECK(answers[0].json().at("status") == "confirmed");
  CHECK(out.closed);
  CHECK(book_stock(c, id) == 3);
}

TEST_CASE("an HTTP/1.0 request followed by a half-close is answered",
          "[http_abuse]") {
  auto c = client();
  auto out = send_and_half_close(c.port(), "GET /books HTTP/1.0\r\n\r\n");
  INFO("received: " << out.data.substr(0, 400));
  auto answers = responses_in(out.data);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 200);
  CHECK(answers[0].json().contains("items"));
  CHECK(out.closed);
}

TEST_CASE(
    "pipelined requests followed by a half-close are all answered in order",
    "[http_abuse]") {
  auto c = client();
  auto admin = admin_token(c);
  auto book = stocked_book(c, admin, 7);
  auto id = std::to_string(book.at("id").get<std::int64_t>());
  std::string req;
  for (int i = 0; i < 5; ++i)
    req += (i % 2 == 0 ? "GET /books/" + id : std::string("GET /books"))
           + " HTTP/1.1\r\nHost: x\r\n\r\n";
  auto out = send_and_half_close(c.port(), req);
  INFO("received: " << out.data.substr(0, 400));
  auto answers = responses_in(out.data);
  REQUIRE(answers.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(answers[i].status == 200);
    if (i % 2 == 0)
      CHECK(answers[i].json().at("id") == book.at("id"));
    else
      CHECK(answers[i].json().contains("items"));
  }
  CHECK(out.closed);
}

TEST_CASE("a path cannot forge a line of the request log", "[http_abuse]") {
  auto& server = shared_server("http_abuse");
  auto c = client();
  auto r = c.get("/x%0AGET%20/admin/orders%20200%200.100ms");
  CHECK(r.status == 404);
  auto forged = c.get("/y%0D%0AGET%20/forged%20200%201.000ms%1B[2J");
  CHECK(forged.status == 404);
  // The line is written before the answer goes out.
  auto log = server.stderr_tail(1 << 20);
  INFO("log tail: " << log.substr(log.size() > 2000 ? log.size() - 2000 : 0));
  std::istringstream lines(log);
  std::string line;
  bool logged_as_received = false;
  while (std::getline(lines, line)) {
    CHECK(line.rfind("GET /admin/orders 200", 0) != 0);
    CHECK(line.rfind("GET /forged 200", 0) != 0);
    INFO("line: " << line);
    CHECK(std::all_of(line.begin(), line.end(), [](char ch) {
      return static_cast<unsigned char>(ch) >= 0x20 || ch == '\t';
    }));
    if (line.rfind("GET /x%0AGET%20/admin/orders%20200%200.100ms 404 ", 0) == 0)
      logged_as_received = true;
  }
  CHECK(logged_as_received);
}

TEST_CASE("a Transfer-Encoding other than chunked alone is refused",
          "[http_abuse]") {
  auto c = client();
  // A registration that, read as plain text, would create an account.
  auto email = unique_email("gzip");
  std::string body = R"({"email":")" + email + R"(","password":"password123"})";
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", body.size());
  auto chunked = std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n";
  for (std::string coding : {"gzip, chunked", "chunked, chunked"}) {
    INFO("Transfer-Encoding: " << coding);
    auto raw = c.raw("POST /auth/register HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: application/json\r\n"
                     "Transfer-Encoding: "
                     + coding + "\r\n\r\n" + chunked);
    INFO("received: " << raw.data.substr(0, 300));
    auto r = raw.first_response();
    REQUIRE(r);
    CHECK((r->status == 501 || r->status == 400));
  }
  // Nothing was registered: a login with that email fails.
  auto login =
      c.post("/auth/login", {{"email", email}, {"password", "password123"}});
  CHECK(login.status == 401);
  // Plain chunked still works.
  auto raw = c.raw("POST /auth/register HTTP/1.1\r\nHost: x\r\n"
                   "Content-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"
                   + chunked);
  auto r = raw.first_response();
  REQUIRE(r);
  CHECK(r->status == 201);
}
