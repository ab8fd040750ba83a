// The auth tests of the original backend (backend/tests/test_auth.py), each
// named for what it checks, plus API.md's token, email and password rules.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("auth").port()};
}

response register_raw(http_client& c, const std::string& email,
                      const std::string& password) {
  return c.post("/auth/register", {{"email", email}, {"password", password}});
}

response login_raw(http_client& c, const std::string& email,
                   const std::string& password) {
  return c.post("/auth/login", {{"email", email}, {"password", password}});
}

const std::string valid_password = "securepass123";

} // namespace

// ---- POST /auth/register ---------------------------------------------------

TEST_CASE("registering answers 201 with a token pair", "[auth]") {
  auto c = client();
  auto resp = register_raw(c, unique_email("test"), valid_password);
  check_token_pair(resp, 201);
}

TEST_CASE("registering a taken email in any case is 409 AUTH_EMAIL_CONFLICT",
          "[auth]") {
  auto c = client();
  auto email = unique_email("test");
  REQUIRE_STATUS(register_raw(c, email, valid_password), 201);
  check_error(register_raw(c, email, valid_password), 409,
              "AUTH_EMAIL_CONFLICT");
  // Emails compare case-insensitively.
  std::string upper = email;
  std::transform(
      upper.begin(), upper.end(), upper.begin(),
      [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  check_error(register_raw(c, upper, valid_password), 409,
              "AUTH_EMAIL_CONFLICT");
}

TEST_CASE("a password shorter than 8 characters is 422", "[auth]") {
  auto c = client();
  auto resp = register_raw(c, unique_email("short"), "short");
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "password"));
  check_validation_error(register_raw(c, unique_email("short"), "1234567"));
  CHECK_STATUS(register_raw(c, unique_email("short"), "12345678"), 201);
}

TEST_CASE("registering a malformed email is 422", "[auth]") {
  auto c = client();
  auto resp = register_raw(c, "not-an-email", valid_password);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "email"));
  for (const char* bad : {"", "@example.com", "user@", "user@@example.com",
                          "user example@example.com", "user@exa mple.com"}) {
    CAPTURE(bad);
    check_validation_error(register_raw(c, bad, valid_password));
  }
}

// ---- POST /auth/login ------------------------------------------------------

TEST_CASE("logging in with the right password answers 200 with a token pair",
          "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  check_token_pair(login_raw(c, user.email, user.password), 200);
}

TEST_CASE("a wrong password is 401 AUTH_INVALID_CREDENTIALS", "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  auto resp = login_raw(c, user.email, "wrongpassword123");
  check_error(resp, 401, "AUTH_INVALID_CREDENTIALS");
  CHECK(resp.json().value("detail", "") == "Invalid email or password");
}

TEST_CASE("an unknown email gets the same 401 as a wrong password", "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  auto unknown = login_raw(c, unique_email("nobody"), valid_password);
  check_error(unknown, 401, "AUTH_INVALID_CREDENTIALS");
  CHECK(unknown.json().value("detail", "") == "Invalid email or password");
  // The same answer as for a wrong password: no email enumeration.
  auto wrong = login_raw(c, user.email, "wrongpassword123");
  CHECK(unknown.body == wrong.body);
}

TEST_CASE("the access token is an HS256 JWT with sub and role and jti and a 15 "
          "minute life",
          "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  auto resp = login_raw(c, user.email, user.password);
  REQUIRE_STATUS(resp, 200);
  auto token = resp.json()["access_token"].get<std::string>();
  auto header = jwt_header(token);
  CHECK(header.value("alg", "") == "HS256");
  auto payload = jwt_payload(token);
  INFO("payload: " << payload.dump());
  CHECK(payload.value("role", "") == "user");
  REQUIRE(payload.contains("sub"));
  REQUIRE(payload["sub"].is_string());
  auto sub = payload["sub"].get<std::string>();
  CHECK(!sub.empty());
  CHECK(std::all_of(sub.begin(), sub.end(),
                    [](char ch) { return ch >= '0' && ch <= '9'; }));
  CHECK(sub == user.id);
  CHECK(payload.value("jti", json{}).is_string());
  REQUIRE(payload.value("iat", json{}).is_number_integer());
  REQUIRE(payload.value("exp", json{}).is_number_integer());
  CHECK(payload["exp"].get<std::int64_t>() - payload["iat"].get<std::int64_t>()
        == 900);
  CHECK(std::llabs(payload["iat"].get<std::int64_t>() - unix_now()) <= 60);
  // Every token has its own jti.
  auto again = login_raw(c, user.email, user.password);
  REQUIRE_STATUS(again, 200);
  CHECK(jwt_payload(again.json()["access_token"].get<std::string>())["jti"]
        != payload["jti"]);
}

TEST_CASE("login compares emails case-insensitively", "[auth]") {
  auto c = client();
  auto user = register_user(c, "MixedCase");
  std::string upper = user.email;
  std::transform(
      upper.begin(), upper.end(), upper.begin(),
      [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  auto resp = login_raw(c, upper, user.password);
  check_token_pair(resp, 200);
  CHECK(jwt_payload(resp.json()["access_token"].get<std::string>())["sub"]
        == user.id);
}

// Login timing for unknown emails and wrong passwords: security_test.cpp
// (interleaved attempts; a 3-sample version here failed once under load).

TEST_CASE("the bootstrap admin logs in with role admin", "[auth]") {
  auto c = client();
  auto resp = login_raw(c, admin_email, admin_password);
  check_token_pair(resp, 200);
  CHECK(jwt_payload(resp.json()["access_token"].get<std::string>())["role"]
        == "admin");
}

TEST_CASE("registration always creates role user", "[auth]") {
  auto c = client();
  auto resp = c.post("/auth/register", {{"email", unique_email("sneaky")},
                                        {"password", valid_password},
                                        {"role", "admin"}});
  REQUIRE(resp.status != 500);
  if (resp.status == 201) {
    auto token = resp.json()["access_token"].get<std::string>();
    CHECK(jwt_payload(token)["role"] == "user");
    check_error(c.get("/admin/orders", token), 403, "AUTH_FORBIDDEN");
  } else {
    check_validation_error(resp);
  }
}

TEST_CASE("email syntax follows API.md's RFC 5322 subset", "[auth]") {
  auto c = client();
  auto tag = unique_word();
  CHECK_STATUS(
      register_raw(c, "o'brien--x" + tag + "@example.com", valid_password),
      201);
  // Local part at most 64 characters.
  std::string local64 = tag + std::string(64 - tag.size(), 'a');
  CHECK_STATUS(register_raw(c, local64 + "@example.com", valid_password), 201);
  check_validation_error(
      register_raw(c, local64 + "b@example.com", valid_password));
  // Whole address at most 254 characters.
  auto domain = [](std::size_t total_len, const std::string& local) {
    // local@<labels>.com with labels of at most 63 characters.
    std::string d;
    std::size_t need = total_len - local.size() - 1 - 4; // "@", ".com"
    while (need > 0) {
      std::size_t take = std::min<std::size_t>(need, 63);
      if (need - take == 1)
        --take; // avoid a lone dot at the end
      d += std::string(take, 'd');
      need -= take;
      if (need > 0) {
        d += '.';
        --need;
      }
    }
    return local + "@" + d + ".com";
  };
  auto local = "x" + unique_word();
  auto ok = domain(254, local);
  REQUIRE(ok.size() == 254);
  CHECK_STATUS(register_raw(c, ok, valid_password), 201);
  auto local2 = "y" + unique_word();
  auto too_long = domain(255, local2);
  REQUIRE(too_long.size() == 255);
  check_validation_error(register_raw(c, too_long, valid_password));
}

TEST_CASE("register and login validate their bodies", "[auth]") {
  auto c = client();
  auto r = c.post("/auth/register", {{"email", unique_email("x")}});
  check_validation_error(r);
  CHECK(validation_mentions(r, "password"));
  auto r2 = c.post("/auth/register", {{"password", valid_password}});
  check_validation_error(r2);
  CHECK(validation_mentions(r2, "email"));
  check_validation_error(
      c.post("/auth/register", {{"email", 42}, {"password", valid_password}}));
  check_validation_error(c.post("/auth/register", {{"email", unique_email("x")},
                                                   {"password", 12345678}}));
  check_validation_error(c.send_text("POST", "/auth/register", "{\"email\": "));
  check_validation_error(c.send_text("POST", "/auth/login", "not json at all"));
  check_validation_error(c.post("/auth/login", {{"email", "a@example.com"}}));
  check_validation_error(c.post("/auth/login", json::array()));
}

// ---- POST /auth/refresh ----------------------------------------------------

TEST_CASE(
    "refreshing rotates the refresh token and issues a working access token",
    "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  auto resp = c.post("/auth/refresh", {{"refresh_token", user.refresh_token}});
  check_token_pair(resp, 200);
  auto data = resp.json();
  CHECK(data["refresh_token"] != user.refresh_token);
  auto access = data["access_token"].get<std::string>();
  CHECK(jwt_payload(access)["sub"] == user.id);
  CHECK_STATUS(c.get("/cart", access), 200);
}

TEST_CASE("reusing a rotated-out refresh token is 401 AUTH_TOKEN_REUSE and "
          "revokes its family",
          "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  auto old_rt = user.refresh_token;
  auto resp1 = c.post("/auth/refresh", {{"refresh_token", old_rt}});
  REQUIRE_STATUS(resp1, 200);
  auto new_rt = resp1.json()["refresh_token"].get<std::string>();

  // Reusing the rotated-out token is a reuse: the whole family is revoked.
  check_error(c.post("/auth/refresh", {{"refresh_token", old_rt}}), 401,
              "AUTH_TOKEN_REUSE");
  auto after = c.post("/auth/refresh", {{"refresh_token", new_rt}});
  CHECK(after.status == 401);
  auto code = after.json().value("code", "");
  CHECK((code == "AUTH_TOKEN_REUSE" || code == "AUTH_REFRESH_INVALID"));
}

TEST_CASE("an unknown refresh token is 401 AUTH_REFRESH_INVALID and a missing "
          "one 422",
          "[auth]") {
  auto c = client();
  check_error(c.post("/auth/refresh", {{"refresh_token", "nonexistent-token"}}),
              401, "AUTH_REFRESH_INVALID");
  check_validation_error(c.post("/auth/refresh", json::object()));
  check_validation_error(c.post("/auth/refresh", {{"refresh_token", 7}}));
}

// ---- POST /auth/logout -----------------------------------------------------

TEST_CASE("logging out answers 204 with no body", "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  auto resp = c.post("/auth/logout", {{"refresh_token", user.refresh_token}});
  REQUIRE_STATUS(resp, 204);
  CHECK(resp.body.empty());
}

TEST_CASE("a refresh token cannot be used after logging out", "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  REQUIRE_STATUS(
      c.post("/auth/logout", {{"refresh_token", user.refresh_token}}), 204);
  auto resp = c.post("/auth/refresh", {{"refresh_token", user.refresh_token}});
  INFO(describe(resp));
  CHECK(resp.status == 401);
  auto code = resp.json().value("code", "");
  CHECK((code == "AUTH_REFRESH_INVALID" || code == "AUTH_TOKEN_REUSE"));
}

TEST_CASE("logging out twice or with an unknown token is still 204", "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  CHECK_STATUS(c.post("/auth/logout", {{"refresh_token", user.refresh_token}}),
               204);
  CHECK_STATUS(c.post("/auth/logout", {{"refresh_token", user.refresh_token}}),
               204);
  CHECK_STATUS(c.post("/auth/logout", {{"refresh_token", "never-issued"}}),
               204);
}

// ---- roles: 401 without a token and 403 for a user on admin routes ---------

TEST_CASE("a protected route without a token is 401 AUTH_REQUIRED", "[auth]") {
  auto c = client();
  check_error(c.get("/cart"), 401, "AUTH_REQUIRED");
  check_error(c.get("/admin/orders"), 401, "AUTH_REQUIRED");
  check_error(c.post("/books", book_fields()), 401, "AUTH_REQUIRED");
}

TEST_CASE("a user's token on an admin route is 403 AUTH_FORBIDDEN", "[auth]") {
  auto c = client();
  auto user = register_user(c, "test");
  check_error(c.get("/admin/orders", user.access_token), 403, "AUTH_FORBIDDEN");
  check_error(
      c.post("/genres", {{"name", "G " + unique_word()}}, user.access_token),
      403, "AUTH_FORBIDDEN");
}

TEST_CASE("an admin's token opens an admin route", "[auth]") {
  auto c = client();
  CHECK_STATUS(c.get("/admin/orders", admin_token(c)), 200);
}
