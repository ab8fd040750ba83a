// CORS (API.md): the storefront's browser preflights every call that sends
// JSON or a token, and reads an answer only if it names the page's origin.

#include <catch2/catch.hpp>

#include <string>

#include "helpers.hpp"

using namespace e2e;

namespace {

const std::string storefront = "http://localhost:3000";

http_client client() {
  return http_client{shared_server("cors").port()};
}

response preflight(http_client& c, const std::string& path,
                   const std::string& origin, const std::string& method,
                   const std::string& headers) {
  header_list extra{{"Origin", origin},
                    {"Access-Control-Request-Method", method}};
  if (!headers.empty())
    extra.emplace_back("Access-Control-Request-Headers", headers);
  return c.request("OPTIONS", path, {}, extra);
}

} // namespace

TEST_CASE("a preflight from the storefront is allowed on any path", "[cors]") {
  auto c = client();
  for (auto path : {"/cart/items", "/orders/checkout", "/no/such/route"}) {
    CAPTURE(path);
    auto r =
        preflight(c, path, storefront, "POST", "authorization,content-type");
    CHECK_STATUS(r, 200);
    CHECK(r.header("Access-Control-Allow-Origin") == storefront);
    CHECK(r.header("Access-Control-Allow-Credentials") == "true");
    CHECK(r.header("Access-Control-Allow-Methods")
          == "GET, POST, PUT, DELETE, PATCH, OPTIONS");
    CHECK(r.header("Access-Control-Max-Age") == "600");
    CHECK(r.header("Vary") == "Origin");
  }
}

TEST_CASE("a preflight from another origin or for another method or header is "
          "refused",
          "[cors]") {
  auto c = client();
  for (auto r : {preflight(c, "/cart", "http://evil.example", "GET", ""),
                 preflight(c, "/cart", "null", "GET", ""),
                 preflight(c, "/cart", storefront, "TRACE", ""),
                 preflight(c, "/cart", storefront, "GET", "x-forged")}) {
    check_error(r, 400, "CORS_REJECTED");
    CHECK_FALSE(r.header("Access-Control-Allow-Origin"));
  }
}

TEST_CASE("the storefront may read every answer including errors", "[cors]") {
  auto c = client();
  header_list from_storefront{{"Origin", storefront}};
  auto books = c.request("GET", "/books", {}, from_storefront);
  CHECK_STATUS(books, 200);
  CHECK(books.header("Access-Control-Allow-Origin") == storefront);
  CHECK(books.header("Access-Control-Allow-Credentials") == "true");
  auto cart = c.request("GET", "/cart", {}, from_storefront);
  check_error(cart, 401, "AUTH_REQUIRED");
  CHECK(cart.header("Access-Control-Allow-Origin") == storefront);
  auto missing = c.request("GET", "/nowhere", {}, from_storefront);
  CHECK_STATUS(missing, 404);
  CHECK(missing.header("Access-Control-Allow-Origin") == storefront);
}

TEST_CASE("another origin's answers carry no CORS header", "[cors]") {
  auto c = client();
  auto r = c.request("GET", "/books", {}, {{"Origin", "http://evil.example"}});
  CHECK_STATUS(r, 200);
  CHECK_FALSE(r.header("Access-Control-Allow-Origin"));
  CHECK_FALSE(r.header("Access-Control-Allow-Credentials"));
}

TEST_CASE("OPTIONS without Origin is an ordinary request", "[cors]") {
  auto c = client();
  auto known = c.request("OPTIONS", "/books");
  CHECK_STATUS(known, 405);
  CHECK_FALSE(known.header("Access-Control-Allow-Origin"));
  CHECK_STATUS(c.request("OPTIONS", "/nowhere"), 404);
}

TEST_CASE("--cors-origins replaces the allowed origins", "[cors]") {
  server_options options;
  options.extra_args = {"--cors-origins", "https://shop.example"};
  server_process server{options};
  http_client c{server.port()};
  CHECK_STATUS(preflight(c, "/cart", "https://shop.example", "GET", ""), 200);
  check_error(preflight(c, "/cart", storefront, "GET", ""), 400,
              "CORS_REJECTED");
  auto bad = run_binary({"serve", "--cors-origins", "localhost:3000"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--cors-origins") != std::string::npos);
}
