// The CORS policy alone: which origins, methods and headers a preflight
// allows, and what the answers carry.

#include <string>

#include <catch2/catch.hpp>

#include "gateway/http/cors.hpp"

using namespace bookstore::http;

namespace {

cors_policy storefront() {
  std::string error;
  auto policy =
      parse_cors_origins("http://localhost:3000, http://127.0.0.1:3000", error);
  REQUIRE(policy);
  return *policy;
}

request preflight(std::string origin, std::string method,
                  std::string headers = "") {
  request req;
  req.method = "OPTIONS";
  req.path = "/cart";
  req.headers.emplace_back("origin", std::move(origin));
  req.headers.emplace_back("access-control-request-method", std::move(method));
  if (!headers.empty())
    req.headers.emplace_back("access-control-request-headers",
                             std::move(headers));
  return req;
}

std::string header_of(const response& res, const std::string& name) {
  for (auto& [k, v] : res.headers)
    if (k == name)
      return v;
  return "<none>";
}

} // namespace

TEST_CASE("origins compare exactly") {
  auto policy = storefront();
  CHECK(policy.allows("http://localhost:3000"));
  CHECK(policy.allows("http://127.0.0.1:3000"));
  CHECK_FALSE(policy.allows("http://localhost:3001"));
  CHECK_FALSE(policy.allows("https://localhost:3000"));
  CHECK_FALSE(policy.allows("http://localhost:3000/"));
  CHECK_FALSE(policy.allows("http://LOCALHOST:3000"));
  CHECK_FALSE(policy.allows("http://localhost:3000.evil.example"));
  CHECK_FALSE(policy.allows(""));
}

TEST_CASE("a star allows every origin but null and an empty list allows none") {
  std::string error;
  auto any = parse_cors_origins("*", error);
  REQUIRE(any);
  CHECK(any->allows("https://shop.example"));
  CHECK_FALSE(any->allows("null"));
  auto none = parse_cors_origins("", error);
  REQUIRE(none);
  CHECK_FALSE(none->allows("http://localhost:3000"));
}

TEST_CASE("an entry that is not an origin is refused at start") {
  for (auto bad : {"localhost:3000", "http://", "http://a/b", "ftp://a",
                   "http://a:port", "http://a:123456", "http://a b"}) {
    std::string error;
    CAPTURE(bad);
    CHECK_FALSE(parse_cors_origins(bad, error));
    CHECK(error.find("--cors-origins") != std::string::npos);
  }
}

TEST_CASE("a preflight from an allowed origin gets every allowing header") {
  auto res = preflight_answer(
      storefront(), preflight("http://localhost:3000", "POST",
                              "content-type, Authorization,IDEMPOTENCY-KEY"));
  CHECK(res.status == 200);
  CHECK(header_of(res, "Access-Control-Allow-Origin")
        == "http://localhost:3000");
  CHECK(header_of(res, "Access-Control-Allow-Credentials") == "true");
  CHECK(header_of(res, "Access-Control-Allow-Methods")
        == "GET, POST, PUT, DELETE, PATCH, OPTIONS");
  CHECK(header_of(res, "Access-Control-Allow-Headers")
        == "Accept, Accept-Language, Authorization, Content-Language, "
           "Content-Type, Idempotency-Key");
  CHECK(header_of(res, "Access-Control-Max-Age") == "600");
  CHECK(header_of(res, "Vary") == "Origin");
}

TEST_CASE("a preflight is refused for another origin or method or header") {
  auto policy = storefront();
  for (auto req :
       {preflight("http://evil.example", "GET"), preflight("null", "GET"),
        preflight("http://localhost:3000", "TRACE"),
        preflight("http://localhost:3000", "get"),
        preflight("http://localhost:3000", "POST", "content-type, x-evil")}) {
    auto res = preflight_answer(policy, req);
    CHECK(res.status == 400);
    CHECK(res.body.find("CORS_REJECTED") != std::string::npos);
    CHECK(header_of(res, "Access-Control-Allow-Origin") == "<none>");
  }
}

TEST_CASE("only OPTIONS with Origin and a requested method is a preflight") {
  CHECK(is_preflight(preflight("http://localhost:3000", "GET")));
  auto no_method = preflight("http://localhost:3000", "GET");
  no_method.headers.pop_back();
  CHECK_FALSE(is_preflight(no_method));
  auto no_origin = preflight("http://localhost:3000", "GET");
  no_origin.headers.erase(no_origin.headers.begin());
  CHECK_FALSE(is_preflight(no_origin));
  auto get = preflight("http://localhost:3000", "GET");
  get.method = "GET";
  CHECK_FALSE(is_preflight(get));
}

TEST_CASE("an allowed origin's answer may be read with credentials") {
  response res;
  allow_origin(res, "http://localhost:3000");
  CHECK(header_of(res, "Access-Control-Allow-Origin")
        == "http://localhost:3000");
  CHECK(header_of(res, "Access-Control-Allow-Credentials") == "true");
  CHECK(header_of(res, "Vary") == "Origin");
}
