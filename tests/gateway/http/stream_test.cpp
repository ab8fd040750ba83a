// Streamed answers (a body sent in pieces, as GET /admin/orders sends every
// order): framing, order among pipelined answers, backpressure, failure
// midway and the graceful stop.

#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/gateway/http/client.hpp"
#include "tests/gateway/http/fixture.hpp"

using namespace bookstore::http::testing;
using namespace std::chrono_literals;

namespace {

// The body /stream/<n>/<size> sends.
std::string pieces(int n, std::size_t size) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += std::string(size, static_cast<char>('a' + i % 26));
  return out;
}

int pulled_so_far(std::uint16_t port) {
  client c{port};
  REQUIRE(c.send(get("/stream-pulled")));
  auto answer = c.read();
  REQUIRE(answer);
  return std::stoi(answer->body);
}

} // namespace

TEST_CASE("a streamed body arrives chunked and whole and in order") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(get("/stream/5/1000")));
  auto answer = c.read();
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->header("transfer-encoding") == "chunked");
  CHECK(answer->header("content-length").empty());
  CHECK(answer->header("connection") == "keep-alive");
  CHECK(answer->body == pieces(5, 1000));
}

TEST_CASE("answers pipelined behind a streamed one wait for its last piece") {
  test_server server;
  client c{server.port()};
  // The echo is ready at once, long before the stream's pieces.
  REQUIRE(
      c.send(get("/stream/4/100") + get("/echo?after") + get("/stream/1/10")));
  auto streamed = c.read();
  auto after = c.read();
  auto single = c.read();
  REQUIRE(streamed);
  REQUIRE(after);
  REQUIRE(single);
  CHECK(streamed->body == pieces(4, 100));
  CHECK(after->body == "GET /echo?after|");
  // A stream of one piece is an ordinary answer.
  CHECK(single->header("content-length") == "10");
  CHECK(single->body == pieces(1, 10));
}

TEST_CASE("a streamed body is read from its source only as fast as the "
          "client takes it") {
  test_server server;
  client c{server.port(), 10s};
  // 400 pieces of 128 KiB: 50 MiB, far more than the sockets' buffers.
  constexpr int n = 400;
  constexpr std::size_t size = 128 * 1024;
  REQUIRE(c.send(get("/stream/400/131072")));
  std::this_thread::sleep_for(500ms); // not reading: the socket fills
  // Without backpressure every piece would have been asked for by now; with
  // it, what the kernel's buffers hold (a few MiB) and one more.
  auto early = pulled_so_far(server.port());
  CHECK(early < n / 4); // 30 pieces here; without backpressure 399
  auto answer = c.read();
  REQUIRE(answer);
  CHECK(answer->body.size() == n * size);
  CHECK((answer->body == pieces(n, size))); // (no 50 MiB expansion)
  CHECK(pulled_so_far(server.port()) == n - 1);
}

TEST_CASE(
    "to HTTP/1.0 a streamed body is sent as it is and the close ends it") {
  test_server server;
  client c{server.port()};
  REQUIRE(
      c.send("GET /stream/3/10 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto raw = c.read_until_close();
  REQUIRE(raw);
  auto head_end = raw->find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  auto head = raw->substr(0, head_end);
  CHECK(head.find("Transfer-Encoding") == std::string::npos);
  CHECK(head.find("Content-Length") == std::string::npos);
  CHECK(head.find("Connection: close") != std::string::npos);
  CHECK(raw->substr(head_end + 4) == pieces(3, 10));
}

TEST_CASE("HEAD of a streamed answer gets its headers only") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send("HEAD /stream/3/10 HTTP/1.1\r\nHost: x\r\n\r\n"
                 + get("/echo?after")));
  auto head = c.read(true);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->header("transfer-encoding") == "chunked");
  auto after = c.read();
  REQUIRE(after);
  CHECK(after->body == "GET /echo?after|");
}

TEST_CASE("a stream that fails midway cuts the connection before the last "
          "chunk") {
  test_server server;
  client c{server.port()};
  REQUIRE(c.send(get("/stream-fail/3/10") + get("/echo?never")));
  auto raw = c.read_until_close();
  REQUIRE(raw);
  // Two pieces as chunks, no last chunk, no answer after it.
  auto body = raw->substr(raw->find("\r\n\r\n") + 4);
  CHECK(body == "a\r\naaaaaaaaaa\r\na\r\nbbbbbbbbbb\r\n");
}

TEST_CASE("a graceful stop lets a streamed answer finish and then closes") {
  test_server server;
  client c{server.port(), 10s};
  REQUIRE(c.send(get("/stream/40/131072")));
  std::this_thread::sleep_for(200ms); // the stream is under way
  server.stop(5s);
  auto answer = c.read();
  REQUIRE(answer);
  CHECK((answer->body == pieces(40, 131072)));
  CHECK(c.closed_within(2s));
}
