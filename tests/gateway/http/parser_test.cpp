// The request parser alone: no sockets, no CAF.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "gateway/http/parser.hpp"

using namespace bookstore::http;

namespace {

// Feeds `data` the way a connection does: again and again after each
// complete request, until everything is consumed or the parser stops.
std::vector<request> feed_all(parser& p, std::string_view data) {
  std::vector<request> out;
  while (!data.empty()) {
    auto used = p.feed(data.data(), data.size());
    data.remove_prefix(used);
    if (auto req = p.next())
      out.push_back(std::move(*req));
    else if (used == 0)
      break;
  }
  return out;
}

// Feeds one byte at a time.
std::vector<request> feed_bytes(parser& p, std::string_view data) {
  std::vector<request> out;
  for (auto c : data) {
    p.feed(&c, 1);
    if (auto req = p.next())
      out.push_back(std::move(*req));
  }
  return out;
}

const std::string simple_get = "GET /books/7 HTTP/1.1\r\n"
                               "Host: localhost\r\n"
                               "X-Trace-ID: abc\r\n"
                               "\r\n";

const std::string simple_post = "POST /cart/items HTTP/1.1\r\n"
                                "Host: localhost\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: 27\r\n"
                                "\r\n"
                                R"({"book_id":7,"quantity":2})"
                                "\n";

} // namespace

TEST_CASE("one request is parsed with method and path and headers and body") {
  parser p;
  auto reqs = feed_all(p, simple_post);
  REQUIRE(reqs.size() == 1);
  auto& r = reqs[0];
  CHECK(r.method == "POST");
  CHECK(r.path == "/cart/items");
  CHECK(r.query.empty());
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.body == "{\"book_id\":7,\"quantity\":2}\n");
  CHECK(r.keep_alive);
  CHECK(p.error() == 0);
  CHECK(p.phase() == parse_phase::idle);
}

TEST_CASE("a request fed byte by byte is parsed the same") {
  parser p;
  auto reqs = feed_bytes(p, simple_post);
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/cart/items");
  CHECK(reqs[0].body == "{\"book_id\":7,\"quantity\":2}\n");
  CHECK(p.error() == 0);
}

TEST_CASE("two pipelined requests in one buffer come out in order") {
  parser p;
  auto data = simple_get + simple_post;
  // The first feed stops after the first request.
  auto used = p.feed(data.data(), data.size());
  CHECK(used == simple_get.size());
  auto first = p.next();
  REQUIRE(first);
  CHECK(first->path == "/books/7");
  CHECK_FALSE(p.next());
  auto rest = feed_all(p, std::string_view{data}.substr(used));
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].method == "POST");
  CHECK(rest[0].path == "/cart/items");
}

TEST_CASE("a body split across feeds is joined") {
  parser p;
  auto cut = simple_post.find("quantity");
  CHECK(feed_all(p, simple_post.substr(0, cut)).empty());
  CHECK(p.phase() == parse_phase::body);
  auto reqs = feed_all(p, simple_post.substr(cut));
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].body == "{\"book_id\":7,\"quantity\":2}\n");
}

TEST_CASE("a request split at every possible byte parses the same") {
  auto data = simple_get + simple_post;
  for (std::size_t cut = 1; cut < data.size(); ++cut) {
    parser p;
    auto reqs = feed_all(p, data.substr(0, cut));
    for (auto& r : feed_all(p, data.substr(cut)))
      reqs.push_back(std::move(r));
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].header("x-trace-id") == "abc");
    CHECK(reqs[1].body.size() == 27);
  }
}

TEST_CASE("chunked bodies are decoded") {
  parser p;
  auto reqs =
      feed_all(p, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n");
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].body == "Wikipedia");
}

TEST_CASE("the path is percent-decoded and the query stays raw") {
  parser p;
  auto reqs = feed_all(
      p, "GET /books/caf%C3%A9%20au%2Flait?q=du%20ne&page=2 HTTP/1.1\r\n\r\n");
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/books/café au/lait");
  CHECK(reqs[0].query == "q=du%20ne&page=2");
}

TEST_CASE("percent_decode leaves malformed escapes and '+' alone") {
  CHECK(percent_decode("/a%2") == "/a%2");
  CHECK(percent_decode("/a%zz+b") == "/a%zz+b");
  CHECK(percent_decode("%41%62") == "Ab");
}

TEST_CASE("an absolute-form target yields its path and query") {
  parser p;
  auto reqs =
      feed_all(p, "GET http://example.com:8080/books?q=x HTTP/1.1\r\n\r\n");
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/books");
  CHECK(reqs[0].query == "q=x");
}

TEST_CASE("header names are lower-cased and values keep their case") {
  parser p;
  auto reqs = feed_all(p, "GET / HTTP/1.1\r\nAuthorization: Bearer AbC  \r\n"
                          "IDEMPOTENCY-KEY: K1\r\n\r\n");
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].header("authorization") == "Bearer AbC");
  CHECK(reqs[0].header("idempotency-key") == "K1");
  CHECK(reqs[0].header("Authorization").empty());
}

TEST_CASE("keep-alive follows the version and the Connection header") {
  SECTION("HTTP/1.1 keeps alive by default") {
    parser p;
    auto reqs = feed_all(p, "GET / HTTP/1.1\r\n\r\n");
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].keep_alive);
    CHECK_FALSE(p.done());
  }
  SECTION("HTTP/1.1 with Connection: close") {
    parser p;
    auto reqs = feed_all(p, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    REQUIRE(reqs.size() == 1);
    CHECK_FALSE(reqs[0].keep_alive);
    CHECK(p.done());
  }
  SECTION("HTTP/1.0 closes by default") {
    parser p;
    auto reqs = feed_all(p, "GET / HTTP/1.0\r\n\r\n");
    REQUIRE(reqs.size() == 1);
    CHECK_FALSE(reqs[0].keep_alive);
  }
  SECTION("HTTP/1.0 with Connection: keep-alive") {
    parser p;
    auto reqs = feed_all(p, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].keep_alive);
  }
}

TEST_CASE("nothing after a closing request is parsed") {
  parser p;
  auto reqs = feed_all(p, "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/a");
  CHECK(p.error() == 0);
}

TEST_CASE("garbage gives 400") {
  parser p;
  feed_all(p, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello");
  CHECK(p.error() == 400);
  CHECK(p.done());
  auto more = std::string{"GET / HTTP/1.1\r\n\r\n"};
  CHECK(p.feed(more.data(), more.size()) == 0);
}

TEST_CASE("a malformed header line gives 400") {
  parser p;
  feed_all(p, "GET / HTTP/1.1\r\nBad Header\r\n\r\n");
  CHECK(p.error() == 400);
}

TEST_CASE("a header section over the limit gives 431") {
  SECTION("one huge header") {
    parser p;
    feed_all(p, "GET / HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a')
                    + "\r\n\r\n");
    CHECK(p.error() == 431);
  }
  SECTION("many small headers, fed in pieces") {
    parser p;
    std::string data = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 3000; ++i)
      data += "X-H" + std::to_string(i) + ": " + std::string(20, 'v') + "\r\n";
    for (std::size_t i = 0; i < data.size() && p.error() == 0; i += 1000)
      feed_all(p, std::string_view{data}.substr(i, 1000));
    CHECK(p.error() == 431);
  }
  SECTION("a configurable limit") {
    parser p{parser_limits{1 << 20, 100}};
    feed_all(p, "GET / HTTP/1.1\r\nX-A: " + std::string(120, 'a') + "\r\n\r\n");
    CHECK(p.error() == 431);
  }
}

TEST_CASE("a Content-Length over the limit gives 413 before any body") {
  parser p{parser_limits{1000, 64 * 1024}};
  auto head = std::string{"POST /x HTTP/1.1\r\nContent-Length: 1001\r\n\r\n"};
  feed_all(p, head);
  CHECK(p.error() == 413);
  SECTION("a body at the limit is fine") {
    parser q{parser_limits{1000, 64 * 1024}};
    auto reqs = feed_all(q, "POST /x HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"
                                + std::string(1000, 'b'));
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].body.size() == 1000);
  }
}

TEST_CASE("a chunked body over the limit gives 413") {
  parser p{parser_limits{10, 64 * 1024}};
  feed_all(p, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
              "8\r\n12345678\r\n8\r\n");
  CHECK(p.error() == 413);
}

TEST_CASE("the body limit is asked per request by method and decoded path") {
  parser_limits limits{10, 64 * 1024};
  std::vector<std::string> asked;
  limits.body_limit = [&](std::string_view method, std::string_view path) {
    asked.push_back(std::string{method} + " " + std::string{path});
    return method == "POST" && path == "/big" ? std::size_t{100}
                                              : std::size_t{10};
  };
  SECTION("a large body on the route that allows it") {
    parser p{limits};
    auto reqs =
        feed_all(p, "POST /%62ig HTTP/1.1\r\nContent-Length: 100\r\n\r\n"
                        + std::string(100, 'b'));
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].body.size() == 100);
    CHECK(asked == std::vector<std::string>{"POST /big"});
  }
  SECTION("the same body elsewhere, or with another method, is 413") {
    for (auto line : {"POST /small", "PUT /big", "POST /big/x"}) {
      CAPTURE(line);
      parser p{limits};
      feed_all(p,
               std::string{line} + " HTTP/1.1\r\nContent-Length: 11\r\n\r\n");
      CHECK(p.error() == 413);
    }
  }
  SECTION("beyond the route's own limit, announced or chunked, is 413") {
    parser p{limits};
    feed_all(p, "POST /big HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
    CHECK(p.error() == 413);
    parser q{limits};
    feed_all(q, "POST /big HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                "40\r\n"
                    + std::string(64, 'x') + "\r\n40\r\n");
    CHECK(q.error() == 413);
  }
  SECTION("each request of a connection gets its own limit") {
    parser p{limits};
    auto reqs =
        feed_all(p, "POST /big HTTP/1.1\r\nContent-Length: 50\r\n\r\n"
                        + std::string(50, 'b')
                        + "POST /small HTTP/1.1\r\nContent-Length: 50\r\n\r\n");
    CHECK(reqs.size() == 1);
    CHECK(p.error() == 413);
  }
}

TEST_CASE("versions other than HTTP/1.0 and 1.1 give 505") {
  for (auto version : {"HTTP/2.0", "HTTP/1.2", "HTTP/3.0"}) {
    CAPTURE(version);
    parser p;
    feed_all(p, std::string{"GET / "} + version + "\r\nHost: x\r\n\r\n");
    CHECK(p.error() == 505);
  }
  SECTION("also without any header") {
    parser p;
    feed_all(p, "GET / HTTP/2.0\r\n\r\n");
    CHECK(p.error() == 505);
  }
}

TEST_CASE("a request line without a version gives 400") {
  // http_parser reads a missing version as HTTP/0.9, which is malformed here.
  for (auto line : {"GET /health\r\n\r\n", "GET / HTTP/0.9\r\n\r\n"}) {
    CAPTURE(line);
    parser p;
    feed_all(p, line);
    CHECK(p.error() == 400);
  }
}

TEST_CASE("the phase tracks headers and body and idle") {
  parser p;
  CHECK(p.phase() == parse_phase::idle);
  feed_all(p, "POST /x HTTP/1.1\r\nContent-");
  CHECK(p.phase() == parse_phase::headers);
  feed_all(p, "Length: 3\r\n\r\nab");
  CHECK(p.phase() == parse_phase::body);
  auto reqs = feed_all(p, "c");
  CHECK(reqs.size() == 1);
  CHECK(p.phase() == parse_phase::idle);
}

TEST_CASE("Expect: 100-continue is reported while the body is awaited") {
  parser p;
  feed_all(p, "POST /x HTTP/1.1\r\nExpect: 100-Continue\r\n"
              "Content-Length: 2\r\n\r\n");
  CHECK(p.expects_continue());
  auto reqs = feed_all(p, "ok");
  REQUIRE(reqs.size() == 1);
  CHECK_FALSE(p.expects_continue());
  SECTION("not without a body") {
    parser q;
    feed_all(q, "GET /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-");
    CHECK_FALSE(q.expects_continue());
  }
}

TEST_CASE("a transfer coding other than chunked alone gives 501") {
  // http_parser takes any list that ends in "chunked" as chunked and would
  // hand over the body still gzipped.
  for (std::string te : {"Transfer-Encoding: gzip, chunked\r\n",
                         "Transfer-Encoding: chunked, chunked\r\n",
                         "Transfer-Encoding: identity, chunked\r\n",
                         "Transfer-Encoding: chunked\r\n"
                         "Transfer-Encoding: chunked\r\n"}) {
    INFO(te);
    parser p;
    auto reqs =
        feed_all(p, "POST /x HTTP/1.1\r\n" + te + "\r\n4\r\nWiki\r\n0\r\n\r\n");
    CHECK(reqs.empty());
    CHECK((p.error() == 501 || p.error() == 400));
  }
  SECTION("chunked alone, in any case, is fine") {
    parser p;
    auto reqs = feed_all(p, "POST /x HTTP/1.1\r\nTransfer-Encoding: Chunked "
                            "\r\n\r\n4\r\nWiki\r\n0\r\n\r\n");
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].body == "Wiki");
  }
}

TEST_CASE("the raw path is kept percent-encoded for the log") {
  parser p;
  auto reqs =
      feed_all(p, "GET /x%0AGET%20/admin?q=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/x\nGET /admin");
  CHECK(reqs[0].raw_path == "/x%0AGET%20/admin");
}

TEST_CASE("log_escape writes every byte outside printable ASCII as %XX") {
  CHECK(log_escape("/books/7") == "/books/7");
  CHECK(log_escape("/x\nGET /a\r\x1b\x7f") == "/x%0AGET%20/a%0D%1B%7F");
  CHECK(log_escape("/caf\xc3\xa9") == "/caf%C3%A9");
}
