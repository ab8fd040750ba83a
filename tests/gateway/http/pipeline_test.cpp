// Answer ordering alone: what makes pipelining safe.

#include <catch2/catch.hpp>

#include "gateway/http/pipeline.hpp"

using namespace bookstore::http;

namespace {

response with_body(std::string body) {
  response r;
  r.body = std::move(body);
  return r;
}

} // namespace

TEST_CASE("answers are released in request order") {
  pipeline p;
  auto a = p.open(true, false);
  auto b = p.open(true, false);
  auto c = p.open(false, true);
  CHECK(p.fulfill(c, with_body("c")));
  CHECK_FALSE(p.pop_ready()); // a is not answered yet
  CHECK(p.fulfill(b, with_body("b")));
  CHECK_FALSE(p.pop_ready());
  CHECK(p.fulfill(a, with_body("a")));
  auto first = p.pop_ready();
  REQUIRE(first);
  CHECK(first->answer->body == "a");
  CHECK(p.pop_ready()->answer->body == "b");
  auto last = p.pop_ready();
  REQUIRE(last);
  CHECK(last->answer->body == "c");
  CHECK_FALSE(last->keep_alive);
  CHECK(last->head);
  CHECK(p.empty());
}

TEST_CASE("answering twice or late or in unknown places is harmless") {
  pipeline p;
  auto a = p.open(true, false);
  CHECK(p.fulfill(a, with_body("1")));
  CHECK_FALSE(p.fulfill(a, with_body("2")));
  REQUIRE(p.pop_ready());
  CHECK_FALSE(p.fulfill(a, with_body("3"))); // already written
  CHECK_FALSE(p.fulfill(a + 7, with_body("4")));
  auto b = p.open(true, false);
  p.clear();
  CHECK_FALSE(p.fulfill(b, with_body("5"))); // dropped with its connection
  CHECK(p.empty());
}

TEST_CASE("fulfill_all answers only the places still waiting") {
  pipeline p;
  auto a = p.open(true, false);
  p.open(true, false);
  CHECK(p.fulfill(a, with_body("mine")));
  p.fulfill_all(with_body("500"));
  CHECK(p.pop_ready()->answer->body == "mine");
  CHECK(p.pop_ready()->answer->body == "500");
  CHECK(p.empty());
}
