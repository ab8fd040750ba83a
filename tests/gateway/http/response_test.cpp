// The response writer alone.

#include <string>

#include <catch2/catch.hpp>

#include "gateway/http/response.hpp"

using namespace bookstore::http;

namespace {

bool has_line(const std::string& s, const std::string& line) {
  return s.find("\r\n" + line + "\r\n") != std::string::npos;
}

} // namespace

TEST_CASE("a response has a status line and framing headers and a body") {
  response r;
  r.status = 201;
  r.body = R"({"id":1})";
  r.headers.emplace_back("Location", "/orders/1");
  auto s = serialize(r, framing{true, false});
  CHECK(s.rfind("HTTP/1.1 201 Created\r\n", 0) == 0);
  CHECK(has_line(s, "Content-Type: application/json"));
  CHECK(has_line(s, "Content-Length: 8"));
  CHECK(has_line(s, "Connection: keep-alive"));
  CHECK(has_line(s, "Location: /orders/1"));
  CHECK(s.find("\r\nDate: ") != std::string::npos);
  CHECK(s.size() >= 12);
  CHECK(s.substr(s.size() - 12) == "\r\n\r\n{\"id\":1}");
}

TEST_CASE("Connection: close is written when the connection ends") {
  auto s = serialize(response{}, framing{false, false});
  CHECK(has_line(s, "Connection: close"));
  CHECK(has_line(s, "Content-Length: 0"));
}

TEST_CASE("reason phrases cover the statuses the server uses") {
  CHECK(reason_phrase(200) == "OK");
  CHECK(reason_phrase(402) == "Payment Required");
  CHECK(reason_phrase(408) == "Request Timeout");
  CHECK(reason_phrase(413) == "Payload Too Large");
  CHECK(reason_phrase(422) == "Unprocessable Entity");
  CHECK(reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(reason_phrase(503) == "Service Unavailable");
  CHECK(reason_phrase(505) == "HTTP Version Not Supported");
  CHECK(reason_phrase(599) == "Unknown");
}

TEST_CASE("headers that would break the framing are dropped") {
  response r;
  r.body = "abc";
  r.headers = {{"Content-Length", "99"},
               {"transfer-encoding", "chunked"},
               {"X-Evil", "a\r\nSet-Cookie: x=1"},
               {"Date", "yesterday"},
               {"X-Fine", "yes"}};
  auto s = serialize(r, framing{});
  CHECK(has_line(s, "Content-Length: 3"));
  CHECK(s.find("99") == std::string::npos);
  CHECK(s.find("chunked") == std::string::npos);
  CHECK(s.find("Set-Cookie") == std::string::npos);
  CHECK(s.find("yesterday") == std::string::npos);
  CHECK(has_line(s, "X-Fine: yes"));
}

TEST_CASE("204 and HEAD answers carry no body") {
  response r;
  r.status = 204;
  r.body = "ignored";
  auto s = serialize(r, framing{});
  CHECK(s.find("Content-Length") == std::string::npos);
  CHECK(s.substr(s.size() - 4) == "\r\n\r\n");
  response h;
  h.body = "12345";
  auto head = serialize(h, framing{true, true});
  CHECK(has_line(head, "Content-Length: 5"));
  CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
}

TEST_CASE("wants_close sees a handler's Connection: close") {
  response r;
  CHECK_FALSE(wants_close(r));
  r.headers.emplace_back("connection", "Close");
  CHECK(wants_close(r));
}

TEST_CASE("server errors have the project's error shape") {
  auto e = server_error(413);
  CHECK(e.status == 413);
  CHECK(e.content_type == "application/json");
  CHECK(e.body == R"({"detail":"Payload Too Large","code":"HTTP_413"})");
  CHECK(server_error(500).body
        == R"({"detail":"Internal server error","code":"INTERNAL_ERROR"})");
  CHECK(error_response(400, "say \"hi\"\n", "X").body
        == R"({"detail":"say \"hi\"\u000a","code":"X"})");
}
