// API.md's error contract from the outside: unknown routes and methods,
// oversized, malformed, garbage and truncated requests, wrong types and
// ranges, forged and expired tokens, odd path ids. Nothing may answer 500
// or leak internals, and the server must keep serving afterwards.

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "gateway/auth/base64url.hpp"
#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("errors").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

// The server still answers normally.
void check_alive() {
  auto c = client();
  auto r = c.get("/health");
  REQUIRE_STATUS(r, 200);
}

// 400, or no answer at all and a closed connection; never a hang.
void check_rejected_or_closed(const raw_result& raw, int status = 400) {
  INFO("received " << raw.data.size() << " bytes: " << raw.data.substr(0, 300)
                   << (raw.peer_closed ? " (closed)" : "")
                   << (raw.timed_out ? " (timed out)" : ""));
  CHECK_FALSE(raw.timed_out);
  if (auto r = raw.first_response()) {
    CHECK(r->status == status);
  } else {
    CHECK(raw.peer_closed);
    CHECK(raw.data.empty());
  }
}

std::string user_token(http_client& c) {
  static std::string token;
  if (token.empty())
    token = register_user(c, "errors").access_token;
  return token;
}

} // namespace

TEST_CASE("unknown routes are 404 HTTP_404", "[errors]") {
  auto c = client();
  for (const char* path :
       {"/nope", "/", "/books/1/nope", "/admin", "/auth", "/cart/items/1/extra",
        "/orders/1/items", "/BOOKS"}) {
    CAPTURE(path);
    check_error(c.get(path), 404, "HTTP_404");
  }
  check_error(c.post("/nope", json::object()), 404, "HTTP_404");
  check_error(c.del("/admin/nope"), 404, "HTTP_404");
}

TEST_CASE("a wrong method on a known route is 405 HTTP_405", "[errors]") {
  auto c = client();
  check_error(c.post("/health", json::object()), 405, "HTTP_405");
  check_error(c.del("/genres"), 405, "HTTP_405");
  check_error(c.get("/auth/login"), 405, "HTTP_405");
  check_error(c.put("/auth/register", json::object()), 405, "HTTP_405");
  check_error(c.patch("/cart", json::object()), 405, "HTTP_405");
  check_error(c.del("/books"), 405, "HTTP_405");
  check_error(c.post("/books/1", json::object()), 405, "HTTP_405");
  check_error(c.get("/books/1/stock"), 405, "HTTP_405");
  check_error(c.get("/cart/items"), 405, "HTTP_405");
  check_error(c.post("/admin/orders", json::object()), 405, "HTTP_405");
  check_error(c.del("/metrics"), 405, "HTTP_405");
}

TEST_CASE("a body over 1 MiB is a readable 413 HTTP_413", "[errors]") {
  auto c = client();
  std::string body(1024 * 1024 + 1, 'x');
  std::string req = "POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: "
                    + std::to_string(body.size()) + "\r\n\r\n" + body;
  auto raw = c.raw(req, false, std::chrono::milliseconds(8000));
  INFO("received: " << raw.data.substr(0, 500));
  auto r = raw.first_response();
  REQUIRE(r.has_value());
  check_error(*r, 413, "HTTP_413");

  // Through the keep-alive client too (it may close the connection after).
  auto r2 = c.send_text("POST", "/books", std::string(2 * 1024 * 1024, ' '),
                        admin_token(c));
  check_error(r2, 413, "HTTP_413");

  // Exactly 1 MiB is within the limit: validated, not refused.
  std::string pad(1024 * 1024, ' ');
  std::string json_body = R"({"email": "x@example.com", "password": "p"})";
  pad.replace(0, json_body.size(), json_body);
  auto r3 = c.send_text("POST", "/auth/register", pad);
  check_validation_error(r3);
  check_alive();
}

TEST_CASE("malformed JSON is 422 VALIDATION_ERROR with a detail list",
          "[errors]") {
  auto c = client();
  for (const std::string& body : std::vector<std::string>{
           "{", "}", "{\"email\": ", "{\"email\": \"a@example.com\",}", "nul",
           "\"just a string\"", "[]", "null", "42", "{'email': 'x'}",
           "{\"email\": \"a@example.com\", \"password\": \"12345678\"} "
           "trailing",
           std::string("{\"email\": \"\xff\xfe\", \"password\": \"12345678\"}"),
           std::string("{\"email\": \"a@example.com\", \"password\": "
                       "\"\xc3\x28zzzzzzzz\"}")}) {
    CAPTURE(body);
    check_validation_error(c.send_text("POST", "/auth/register", body));
  }
  check_validation_error(c.send_text("POST", "/auth/login", ""));
  check_alive();
}

TEST_CASE("wrong types and missing fields are 422", "[errors]") {
  auto c = client();
  auto admin = admin_token(c);
  auto token = user_token(c);
  auto book = stocked_book(c, admin, 5);
  auto cart_item = add_to_cart(c, token, id_of(book), 1);
  auto item_path = "/cart/items/" + std::to_string(id_of(cart_item));
  auto book_path = "/books/" + std::to_string(id_of(book));

  check_validation_error(
      c.post("/auth/login", {{"email", true}, {"password", "x"}}));
  check_validation_error(
      c.post("/auth/login", {{"email", "a@b.co"}, {"password", nullptr}}));
  check_validation_error(
      c.post("/auth/refresh", {{"refresh_token", json::array()}}));
  check_validation_error(c.post("/auth/logout", json::object()));
  check_validation_error(c.post("/cart/items", {{"book_id", 1.5}}, token));
  check_validation_error(
      c.post("/cart/items", {{"book_id", json::object()}}, token));
  check_validation_error(c.post(
      "/cart/items", {{"book_id", id_of(book)}, {"quantity", "2x"}}, token));
  check_validation_error(
      c.put(item_path, {{"quantity", json::array({1})}}, token));
  check_validation_error(c.put(book_path, {{"price", json::object()}}, admin));
  check_validation_error(c.put(book_path, {{"genre_id", 1.25}}, admin));
  check_validation_error(c.patch(book_path + "/stock", {{"qty", 5}}, admin));
  check_validation_error(c.post("/genres", {{"name", json::array()}}, admin));
  check_validation_error(c.post("/books", json::object(), admin));
  // Nothing changed.
  CHECK(book_stock(c, id_of(book)) == 5);
  CHECK(get_cart(c, token)["items"][0]["quantity"] == 1);
}

TEST_CASE("out-of-range numbers are 422 and never wrap around", "[errors]") {
  auto c = client();
  auto admin = admin_token(c);
  auto token = user_token(c);
  auto book = stocked_book(c, admin, 5);
  auto book_path = "/books/" + std::to_string(id_of(book));
  for (const std::string& q : std::vector<std::string>{
           "0", "-1", "10001", "4294967297", "99999999999999999999",
           "-99999999999999999999", "1e400", "1.0000001"}) {
    CAPTURE(q);
    check_validation_error(
        c.send_text("POST", "/cart/items",
                    "{\"book_id\": " + std::to_string(id_of(book))
                        + ", \"quantity\": " + q + "}",
                    token));
  }
  for (const std::string& q : std::vector<std::string>{
           "-1", "2147483648", "4294967296", "9223372036854775808",
           "-9223372036854775809", "1e10"}) {
    CAPTURE(q);
    check_validation_error(c.send_text("PATCH", book_path + "/stock",
                                       "{\"quantity\": " + q + "}", admin));
  }
  for (const std::string& p : std::vector<std::string>{
           "0", "-0.01", "1000000.01", "1e308", "\"1e2\"", "\"12.345\"",
           "\"NaN\"", "\"Infinity\"", "\" 5.00\"", "\"5,00\"",
           "99999999999999999999.99"}) {
    CAPTURE(p);
    check_validation_error(c.send_text(
        "POST", "/books",
        R"({"title": "t", "author": "a", "price": )" + p + "}", admin));
  }
  CHECK(book_stock(c, id_of(book)) == 5);
  // A body id that is not a positive integer: 404 or 422, never 500.
  for (const std::string& id :
       std::vector<std::string>{"0", "-1", "99999999999999999999"}) {
    CAPTURE(id);
    auto r = c.send_text("POST", "/cart/items",
                         "{\"book_id\": " + id + ", \"quantity\": 1}", token);
    INFO(describe(r));
    CHECK((r.status == 404 || r.status == 422));
  }
}

TEST_CASE("forged and tampered and expired tokens are 401", "[errors]") {
  auto c = client();
  auto user = register_user(c, "tokens");
  auto sub = user.id;
  auto now = unix_now();

  // Missing.
  check_error(c.get("/cart"), 401, "AUTH_REQUIRED");

  // Garbage.
  for (const std::string& t : std::vector<std::string>{
           "abc", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.e30.",
           std::string(10000, 'A') + ".x.y"}) {
    CAPTURE(t.substr(0, 40));
    check_error(c.get("/cart", t), 401, "AUTH_TOKEN_INVALID");
  }

  // Signed with another key.
  check_error(c.get("/cart", forge_token(sub, "user", now, now + 900,
                                         "not-the-server-secret")),
              401, "AUTH_TOKEN_INVALID");

  // Expired, but authentic.
  auto expired = forge_token(sub, "user", now - 2000, now - 1100);
  check_error(c.get("/cart", expired), 401, "AUTH_TOKEN_EXPIRED");
  check_error(
      c.get("/admin/orders", forge_token("1", "admin", now - 2000, now - 1100)),
      401, "AUTH_TOKEN_EXPIRED");

  // Tampered payload: the user's token with role admin, old signature.
  auto token = user.access_token;
  auto dot1 = token.find('.');
  auto dot2 = token.find('.', dot1 + 1);
  auto payload = jwt_payload(token);
  payload["role"] = "admin";
  auto tampered = token.substr(0, dot1 + 1)
                  + bookstore::auth::base64url_encode(payload.dump())
                  + token.substr(dot2);
  check_error(c.get("/admin/orders", tampered), 401, "AUTH_TOKEN_INVALID");

  // alg "none" with no signature.
  auto none = bookstore::auth::base64url_encode(R"({"alg":"none","typ":"JWT"})")
              + "." + bookstore::auth::base64url_encode(payload.dump()) + ".";
  check_error(c.get("/admin/orders", none), 401, "AUTH_TOKEN_INVALID");

  // The signature of another token.
  auto other = register_user(c, "tokens").access_token;
  auto spliced =
      token.substr(0, token.rfind('.')) + other.substr(other.rfind('.'));
  check_error(c.get("/cart", spliced), 401, "AUTH_TOKEN_INVALID");

  // Authentic and fresh tokens signed with BOOKSTORE_SECRET_KEY pass.
  CHECK_STATUS(c.get("/cart", forge_token(sub, "user", now, now + 900)), 200);
}

TEST_CASE("an Authorization header that is not Bearer <token> is 401",
          "[errors]") {
  auto c = client();
  auto user = register_user(c, "authz");
  for (const std::string& value : std::vector<std::string>{
           "Basic dXNlcjpwYXNzd29yZA==", "Token " + user.access_token,
           user.access_token, "Bearer", "Bearer ", "Bearer  ", "",
           "Bearer " + user.access_token + " extra", "Digest x"}) {
    CAPTURE(value.substr(0, 30));
    auto r = c.get("/cart", {}, {{"Authorization", value}});
    INFO(describe(r));
    CHECK(r.status == 401);
    auto code = r.json().value("code", "");
    CHECK((code == "AUTH_REQUIRED" || code == "AUTH_TOKEN_INVALID"));
  }
  CHECK_STATUS(c.get("/cart", user.access_token), 200);
}

TEST_CASE("path ids that are not positive 63-bit integers are 404 or 422",
          "[errors]") {
  auto c = client();
  auto admin = admin_token(c);
  auto token = user_token(c);
  const std::vector<std::string> ids = {"abc",
                                        "0",
                                        "-1",
                                        "99999999999999999999",
                                        "9223372036854775808",
                                        "18446744073709551616",
                                        "1.5",
                                        "1e3",
                                        "%20",
                                        "0x10",
                                        "00000000000000000000001a"};
  struct route {
    const char* method;
    std::string prefix, suffix;
    std::string token;
    std::string body;
  };
  const std::vector<route> routes = {
      {"GET", "/books/", "", "", ""},
      {"PUT", "/books/", "", admin, R"({"title": "x"})"},
      {"DELETE", "/books/", "", admin, ""},
      {"PATCH", "/books/", "/stock", admin, R"({"quantity": 1})"},
      {"PUT", "/cart/items/", "", token, R"({"quantity": 1})"},
      {"DELETE", "/cart/items/", "", token, ""},
      {"GET", "/orders/", "", token, ""},
  };
  for (auto& rt : routes) {
    for (auto& id : ids) {
      auto path = rt.prefix + id + rt.suffix;
      CAPTURE(rt.method, path);
      auto r = c.send_text(rt.method, path, rt.body, rt.token);
      INFO(describe(r));
      CHECK((r.status == 404 || r.status == 422));
      auto j = r.json();
      CHECK(j.contains("code"));
      CHECK(j.contains("detail"));
    }
  }
  // The largest 63-bit id is a real (absent) id.
  check_error(c.get("/books/9223372036854775807"), 404, "BOOK_NOT_FOUND");
  check_error(c.get("/orders/9223372036854775807", token), 404,
              "ORDER_NOT_FOUND");
  check_error(
      c.put("/cart/items/9223372036854775807", {{"quantity", 1}}, token), 404,
      "CART_ITEM_NOT_FOUND");
  check_alive();
}

TEST_CASE("garbage bytes get 400 or a closed connection", "[errors]") {
  auto c = client();
  std::mt19937 rng{12345};
  std::string binary(2000, '\0');
  for (auto& ch : binary)
    ch = static_cast<char>(rng() & 0xff);
  for (const std::string& bytes : std::vector<std::string>{
           std::string("GARBAGE\r\n\r\n"),
           std::string("\x00\x01\x02\x03\r\n\r\n", 8),
           std::string("GET\r\n\r\n"), std::string("GET /health\r\n\r\n"),
           std::string("GET /health HTTP/1.1\r\nNoColonHere\r\n\r\n"),
           std::string("GET /health HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
           std::string(
               "POST /auth/login HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
           std::string("POST /auth/login HTTP/1.1\r\nContent-Length: 5\r\n"
                       "Content-Length: 7\r\n\r\n12345"),
           std::string("G\xc3\xa9T /health HTTP/1.1\r\n\r\n"),
           std::string("GET /he\x01lth HTTP/1.1\r\nHost: x\r\n\r\n"),
           binary + "\r\n\r\n"}) {
    CAPTURE(bytes.substr(0, 60));
    check_rejected_or_closed(c.raw(bytes, true));
  }
  check_alive();
}

TEST_CASE("an unsupported HTTP version is 505", "[errors]") {
  auto c = client();
  for (const char* v : {"HTTP/2.0", "HTTP/3.0"}) {
    CAPTURE(v);
    auto raw =
        c.raw(std::string("GET /health ") + v + "\r\nHost: x\r\n\r\n", true);
    INFO("received: " << raw.data.substr(0, 300));
    auto r = raw.first_response();
    REQUIRE(r.has_value());
    CHECK(r->status == 505);
  }
  // HTTP/1.0 is still served.
  auto raw = c.raw("GET /health HTTP/1.0\r\n\r\n", true);
  auto r = raw.first_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
}

TEST_CASE("truncated requests get a close or a 400 but never an answer",
          "[errors]") {
  auto c = client();
  for (const std::string& bytes : std::vector<std::string>{
           std::string(
               "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: "
               "100\r\nContent-Type: application/json\r\n\r\n{\"email\""),
           std::string("GET /health HTTP/1.1\r\nHo"), std::string("GET /hea"),
           std::string("POST /orders/checkout HTTP/1.1\r\nContent-Length: 2\r\n"
                       "Authorization: Bearer x\r\n\r\n{")}) {
    CAPTURE(bytes);
    check_rejected_or_closed(c.raw(bytes, /*half_close=*/true));
  }
  check_alive();
}

TEST_CASE("a header section over 64 KiB gets 431 or a close", "[errors]") {
  auto c = client();
  std::string big = "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + std::string(70 * 1024, 'a') + "\r\n\r\n";
  check_rejected_or_closed(c.raw(big), 431);
  std::string many = "GET /health HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 3000; ++i)
    many += "X-H-" + std::to_string(i) + ": value-value-value\r\n";
  many += "\r\n";
  REQUIRE(many.size() > 64 * 1024);
  check_rejected_or_closed(c.raw(many), 431);
  std::string long_target = "GET /books?q=" + std::string(70 * 1024, 'a')
                            + " HTTP/1.1\r\nHost: x\r\n\r\n";
  auto raw = c.raw(long_target);
  INFO("received: " << raw.data.substr(0, 300));
  CHECK_FALSE(raw.timed_out);
  if (auto r = raw.first_response())
    CHECK((r->status == 414 || r->status == 431 || r->status == 400));
  check_alive();
}

TEST_CASE("slow clients cannot hold the server", "[errors]") {
  auto c = client();
  std::vector<int> slow;
  for (int i = 0; i < 24; ++i) {
    int fd = c.open_connection();
    std::string partial = i % 2 == 0 ? "GET /health HTTP/1.1\r\nHost: x\r\n"
                                     : "POST /auth/login HTTP/1.1\r\n"
                                       "Content-Length: 50\r\n\r\n{";
    ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  auto t0 = std::chrono::steady_clock::now();
  http_client fresh{c.port(), std::chrono::milliseconds(3000)};
  for (int i = 0; i < 5; ++i)
    CHECK_STATUS(fresh.get("/health"), 200);
  auto user = register_user(fresh, "slow");
  CHECK_STATUS(fresh.get("/cart", user.access_token), 200);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(elapsed < std::chrono::seconds(5));
  for (int fd : slow)
    ::close(fd);
  check_alive();
}

TEST_CASE("odd bodies on every write route never give a 5xx", "[errors]") {
  auto c = client();
  auto admin = admin_token(c);
  auto token = register_user(c, "odd").access_token;
  auto book = stocked_book(c, admin, 3);
  auto bp = "/books/" + std::to_string(id_of(book));
  const std::vector<std::string> bodies = {
      "",
      "{}",
      "[]",
      "null",
      "true",
      "\"x\"",
      "1e999",
      "{\"a\":{\"b\":{\"c\":[1,2,3]}}}",
      std::string(50, '[') + std::string(50, ']'),
      std::string(5000, '[') + std::string(5000, ']'),
      "{\"email\":\"\\u0000@example.com\",\"password\":\"\\ud800xxxxxxxx\"}",
      "{\"title\":\"\\u0000\",\"author\":\"a\",\"price\":\"1.00\"}",
      "{\"quantity\":1,\"quantity\":2}",
      "{\"force_payment_failure\":null}"};
  struct route {
    const char* method;
    std::string path;
    std::string token;
  };
  const std::vector<route> routes = {
      {"POST", "/auth/register", ""},     {"POST", "/auth/login", ""},
      {"POST", "/auth/refresh", ""},      {"POST", "/auth/logout", ""},
      {"POST", "/books", admin},          {"PUT", bp, admin},
      {"PATCH", bp + "/stock", admin},    {"POST", "/genres", admin},
      {"POST", "/cart/items", token},     {"PUT", "/cart/items/1", token},
      {"POST", "/orders/checkout", token}};
  for (auto& rt : routes)
    for (auto& body : bodies) {
      CAPTURE(rt.method, rt.path, body.substr(0, 60));
      auto r = c.send_text(rt.method, rt.path, body, rt.token);
      INFO(describe(r));
      CHECK(r.status < 500);
      CHECK(r.status >= 200);
      if (r.status >= 400) {
        auto j = r.json();
        CHECK(j.contains("code"));
      }
    }
  check_alive();
}
