// Admin users (API.md "Admin users", and the 401 / 403
// AUTH_ACCOUNT_DEACTIVATED / 403 AUTH_FORBIDDEN order of "Storefront
// parity"). Ports backend/tests/test_admin_users.py test by test, then
// a lockout during an in-flight request, the refresh order, the bootstrap
// admin and the query parsing.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

const std::string users_url = "/admin/users";

http_client client() {
  return http_client{shared_server("admin_users").port()};
}

std::string deactivate_url(const std::string& id) {
  return users_url + "/" + id + "/deactivate";
}

std::string reactivate_url(const std::string& id) {
  return users_url + "/" + id + "/reactivate";
}

json list(http_client& c, const std::string& admin, const std::string& query) {
  auto r = c.get(users_url + query, admin);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

response login_response(http_client& c, const account& a) {
  return post_auth(c, "/auth/login",
                   json{{"email", a.email}, {"password", a.password}});
}

const std::set<std::string> admin_user_keys{"id",   "email",     "full_name",
                                            "role", "is_active", "created_at"};

void check_admin_user_shape(const json& item) {
  INFO(item.dump());
  CHECK(keys_of(item) == admin_user_keys);
  CHECK(item["id"].is_number_integer());
  CHECK(item["email"].is_string());
  CHECK(item["full_name"].is_null());
  CHECK((item["role"] == "user" || item["role"] == "admin"));
  CHECK(item["is_active"].is_boolean());
  CHECK(is_utc_timestamp(item["created_at"]));
}

// A temp directory for databases that outlive one server.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    path = std::filesystem::temp_directory_path()
           / ("bookstore-e2e-admin-users-" + unique_suffix());
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string db() const { return (path / "store.db").string(); }
};

} // namespace

// ---- GET /admin/users ------------------------------------------------------

TEST_CASE("the user listing is a page of 20 accounts with totals",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  for (int i = 0; i < 3; ++i)
    register_user(c, "listed");
  auto data = list(c, admin, "");
  CHECK(keys_of(data)
        == std::set<std::string>{"items", "total_count", "page", "per_page",
                                 "total_pages"});
  CHECK(data["total_count"].get<std::int64_t>() >= 4);
  REQUIRE(data["items"].is_array());
  CHECK(data["page"] == 1);
  CHECK(data["per_page"] == 20);
  for (const auto& item : data["items"])
    check_admin_user_shape(item);
}

TEST_CASE("role=user lists only users", "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  register_user(c, "role-user");
  auto data = list(c, admin, "?role=user");
  CHECK(data["total_count"].get<std::int64_t>() >= 1);
  for (const auto& item : data["items"])
    CHECK(item["role"] == "user");
}

TEST_CASE("role=admin lists the bootstrap admin", "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto data = list(c, admin, "?role=admin");
  // The bootstrap admin (the original also had a second one made in SQL).
  CHECK(data["total_count"].get<std::int64_t>() >= 1);
  bool found = false;
  for (const auto& item : data["items"]) {
    CHECK(item["role"] == "admin");
    CHECK(item["is_active"] == true);
    found = found || item["email"] == admin_email;
  }
  CHECK(found);
}

TEST_CASE("is_active=false lists deactivated accounts", "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "to-deactivate");
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  auto data = list(c, admin, "?is_active=false");
  CHECK(data["total_count"].get<std::int64_t>() >= 1);
  bool found = false;
  for (const auto& item : data["items"]) {
    CHECK(item["is_active"] == false);
    found = found || std::to_string(item["id"].get<std::int64_t>()) == user.id;
  }
  CHECK(found);
}

TEST_CASE("role and is_active filters combine", "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  register_user(c, "active-user");
  auto inactive = register_user(c, "inactive-user2");
  c.patch(deactivate_url(inactive.id), json::object(), admin);
  auto data = list(c, admin, "?role=user&is_active=true");
  CHECK(data["total_count"].get<std::int64_t>() >= 1);
  for (const auto& item : data["items"]) {
    CHECK(item["role"] == "user");
    CHECK(item["is_active"] == true);
  }
}

TEST_CASE("page and per_page cut the user listing into pages",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  for (int i = 0; i < 3; ++i)
    register_user(c, "paginate-user");
  auto data = list(c, admin, "?page=1&per_page=2");
  CHECK(data["items"].size() == 2);
  CHECK(data["per_page"] == 2);
  CHECK(data["page"] == 1);
  auto total = data["total_count"].get<std::int64_t>();
  CHECK(data["total_pages"] == (total + 1) / 2);
}

TEST_CASE("a user's token on the user listing is 403", "[admin_users]") {
  auto c = client();
  auto user = register_user(c);
  check_error(c.get(users_url, user.access_token), 403, "AUTH_FORBIDDEN");
}

TEST_CASE("the user listing without a token is 401", "[admin_users]") {
  auto c = client();
  check_error(c.get(users_url), 401, "AUTH_REQUIRED");
}

TEST_CASE("an unknown role filter is 422", "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto r = c.get(users_url + "?role=superuser", admin);
  check_validation_error(r);
  CHECK(validation_mentions(r, "role"));
}

// ---- PATCH /admin/users/{id}/deactivate ------------------------------------

TEST_CASE("deactivating a user answers the account with is_active false",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "deactivate-success");
  auto r = c.patch(deactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(r, 200);
  auto data = r.json();
  check_admin_user_shape(data);
  CHECK(std::to_string(data["id"].get<std::int64_t>()) == user.id);
  CHECK(data["is_active"] == false);
  CHECK(data["email"] == user.email);
  CHECK(data["role"] == "user");
}

TEST_CASE("deactivating revokes every refresh token of the account",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "revoke-tokens");
  auto logged_in = login_response(c, user);
  REQUIRE_STATUS(logged_in, 200);
  auto refresh_token = logged_in.json()["refresh_token"].get<std::string>();
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  // Revoked in the deactivation's write: a token of before it is a reuse.
  check_error(c.post("/auth/refresh", json{{"refresh_token", refresh_token}}),
              401, "AUTH_TOKEN_REUSE");
  check_error(
      c.post("/auth/refresh", json{{"refresh_token", user.refresh_token}}), 401,
      "AUTH_TOKEN_REUSE");
}

TEST_CASE("a deactivated account cannot log in but a wrong password stays 401",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "blocked-login");
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  auto r = login_response(c, user);
  check_error(r, 403, "AUTH_ACCOUNT_DEACTIVATED");
  CHECK(r.json()["detail"] == "Account deactivated. Contact support.");
  // A wrong password stays a 401: the account's state is only told to
  // whoever knows the password.
  check_error(
      post_auth(c, "/auth/login",
                json{{"email", user.email}, {"password", "wrong-pass"}}),
      401, "AUTH_INVALID_CREDENTIALS");
}

TEST_CASE(
    "a deactivated account's access token is 403 AUTH_ACCOUNT_DEACTIVATED",
    "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "blocked-token");
  REQUIRE_STATUS(c.get("/cart", user.access_token), 200);
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  auto r = c.get("/cart", user.access_token);
  check_error(r, 403, "AUTH_ACCOUNT_DEACTIVATED");
  CHECK(r.json()["detail"] == "Account deactivated. Contact support.");
}

TEST_CASE("deactivating an admin is 403 ADMN_CANNOT_DEACTIVATE_ADMIN",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto me = jwt_payload(admin)["sub"].get<std::string>();
  auto r = c.patch(deactivate_url(me), json::object(), admin);
  check_error(r, 403, "ADMN_CANNOT_DEACTIVATE_ADMIN");
  CHECK(r.json()["detail"] == "Cannot deactivate admin accounts");
  // Still active, still in.
  REQUIRE_STATUS(c.get(users_url, admin), 200);
}

TEST_CASE("an admin cannot deactivate itself", "[admin_users]") {
  // The admin logs in afresh and tries to deactivate itself.
  auto c = client();
  auto token = login(c, admin_email, admin_password);
  auto me = jwt_payload(token)["sub"].get<std::string>();
  auto r = c.patch(deactivate_url(me), json::object(), token);
  check_error(r, 403, "ADMN_CANNOT_DEACTIVATE_ADMIN");
  REQUIRE_STATUS(c.get(users_url, token), 200);
}

TEST_CASE("deactivating twice answers the same", "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idempotent-deactivate");
  auto first = c.patch(deactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(first, 200);
  CHECK(first.json()["is_active"] == false);
  auto second = c.patch(deactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(second, 200);
  CHECK(second.json()["is_active"] == false);
  CHECK(second.json() == first.json());
}

TEST_CASE("deactivating an unknown account is 404 USER_NOT_FOUND",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto r = c.patch(deactivate_url("999999"), json::object(), admin);
  check_error(r, 404, "USER_NOT_FOUND");
  CHECK(r.json()["detail"] == "User not found");
}

// ---- PATCH /admin/users/{id}/reactivate ------------------------------------

TEST_CASE("reactivating a deactivated account answers it active",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "reactivate-success");
  auto off = c.patch(deactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(off, 200);
  CHECK(off.json()["is_active"] == false);
  auto on = c.patch(reactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(on, 200);
  CHECK(std::to_string(on.json()["id"].get<std::int64_t>()) == user.id);
  CHECK(on.json()["is_active"] == true);
}

TEST_CASE("a reactivated account logs in afresh and its old refresh token "
          "stays revoked",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "fresh-login");
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  check_error(login_response(c, user), 403, "AUTH_ACCOUNT_DEACTIVATED");
  REQUIRE_STATUS(c.patch(reactivate_url(user.id), json::object(), admin), 200);
  auto r = login_response(c, user);
  REQUIRE_STATUS(r, 200);
  CHECK(r.json().contains("access_token"));
  // No token is restored: the refresh token of before stays revoked.
  check_error(
      c.post("/auth/refresh", json{{"refresh_token", user.refresh_token}}), 401,
      "AUTH_TOKEN_REUSE");
}

TEST_CASE(
    "reactivating an active account answers the same and keeps its sessions",
    "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "idempotent-reactivate");
  auto first = c.patch(reactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(first, 200);
  CHECK(first.json()["is_active"] == true);
  auto second = c.patch(reactivate_url(user.id), json::object(), admin);
  REQUIRE_STATUS(second, 200);
  CHECK(second.json()["is_active"] == true);
  // Reactivating an active account leaves its sessions alone.
  REQUIRE_STATUS(c.get("/cart", user.access_token), 200);
}

TEST_CASE("reactivating an unknown account is 404 USER_NOT_FOUND",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  check_error(c.patch(reactivate_url("999999"), json::object(), admin), 404,
              "USER_NOT_FOUND");
}

// ---- beyond the original's file --------------------------------------------

TEST_CASE("a reactivated account's old access token works again",
          "[admin_users]") {
  // The lockout is the account's state, checked on each request; the token
  // itself was never revoked (access tokens are not).
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "old-access");
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  check_error(c.get("/cart", user.access_token), 403,
              "AUTH_ACCOUNT_DEACTIVATED");
  REQUIRE_STATUS(c.patch(reactivate_url(user.id), json::object(), admin), 200);
  CHECK_STATUS(c.get("/cart", user.access_token), 200);
}

TEST_CASE("a bad token is 401 before a deactivated account's 403 before a "
          "missing role's 403",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "order-of-checks");
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  // A broken or expired token of the account: 401 first.
  check_error(c.get(users_url, user.access_token + "x"), 401,
              "AUTH_TOKEN_INVALID");
  auto now = unix_now();
  check_error(
      c.get(users_url, forge_token(user.id, "user", now - 100, now - 1)), 401,
      "AUTH_TOKEN_EXPIRED");
  // A valid token of a deactivated account on an admin route: the
  // deactivation before the missing role.
  check_error(c.get(users_url, user.access_token), 403,
              "AUTH_ACCOUNT_DEACTIVATED");
  check_error(c.get("/admin/orders", user.access_token), 403,
              "AUTH_ACCOUNT_DEACTIVATED");
  // An account that does not exist (a token signed with the right secret).
  check_error(c.get("/cart", forge_token("888888", "user", now, now + 600)),
              403, "AUTH_ACCOUNT_DEACTIVATED");
  // Public routes do not look at the token at all.
  CHECK_STATUS(c.get("/books", user.access_token), 200);
}

TEST_CASE("after a deactivation an unknown refresh token is invalid and every "
          "token of the account is a reuse",
          "[admin_users]") {
  // AUTH_USER_INACTIVE needs a live token of an inactive account, which only
  // a race with the deactivation leaves; tests/actors/accounts_test.cpp
  // plants one.
  auto c = client();
  auto admin = admin_token(c);
  check_error(c.post("/auth/refresh", json{{"refresh_token", "unknown"}}), 401,
              "AUTH_REFRESH_INVALID");
  auto user = register_user(c, "refresh-order");
  // Rotated once: the first token is now revoked, the second live.
  auto rotated =
      c.post("/auth/refresh", json{{"refresh_token", user.refresh_token}});
  REQUIRE_STATUS(rotated, 200);
  auto live = rotated.json()["refresh_token"].get<std::string>();
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  check_error(c.post("/auth/refresh", json{{"refresh_token", live}}), 401,
              "AUTH_TOKEN_REUSE");
  auto r = c.post("/auth/refresh", json{{"refresh_token", user.refresh_token}});
  check_error(r, 401, "AUTH_TOKEN_REUSE");
}

TEST_CASE("is_active accepts pydantic's booleans and bad values are 422",
          "[admin_users]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "bool-parsing");
  REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin), 200);
  for (const char* yes : {"true", "1", "True", "yes", "on", "t", "y"}) {
    CAPTURE(yes);
    auto page = list(c, admin, std::string{"?is_active="} + yes);
    for (const auto& item : page["items"])
      CHECK(item["is_active"] == true);
  }
  for (const char* no : {"false", "0", "FALSE", "no", "off", "f", "n"}) {
    CAPTURE(no);
    auto data = list(c, admin, std::string{"?is_active="} + no);
    CHECK(data["total_count"].get<std::int64_t>() >= 1);
    for (const auto& item : data["items"])
      CHECK(item["is_active"] == false);
  }
  for (const char* bad : {"maybe", "2", ""}) {
    CAPTURE(bad);
    auto r = c.get(users_url + "?is_active=" + bad, admin);
    check_validation_error(r);
    CHECK(validation_mentions(r, "is_active"));
  }
  for (const char* bad : {"page=0", "per_page=0", "per_page=101", "page=x"}) {
    CAPTURE(bad);
    check_validation_error(c.get(users_url + "?" + bad, admin));
  }
}

TEST_CASE(
    "the user listing is newest first with ties by id desc and exact totals",
    "[admin_users]") {
  // A server of its own: the totals cover every account it has.
  http_client c{shared_server("admin_users-listing").port()};
  auto admin = admin_token(c);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(register_user(c, "order").id);
  REQUIRE_STATUS(c.patch(deactivate_url(ids[1]), json::object(), admin), 200);
  auto all = list(c, admin, "?per_page=100");
  CHECK(all["total_count"] == 6);
  CHECK(all["total_pages"] == 1);
  // Registered within a second of each other: created_at ties, id decides.
  std::int64_t previous_id = std::numeric_limits<std::int64_t>::max();
  std::string previous_at = "9999";
  for (const auto& item : all["items"]) {
    auto at = item["created_at"].get<std::string>();
    auto id = item["id"].get<std::int64_t>();
    CHECK(at <= previous_at);
    if (at == previous_at)
      CHECK(id < previous_id);
    previous_at = at;
    previous_id = id;
  }
  CHECK(list(c, admin, "?role=user")["total_count"] == 5);
  CHECK(list(c, admin, "?role=user&is_active=false")["total_count"] == 1);
  CHECK(list(c, admin, "?role=admin&is_active=false")["total_count"] == 0);
  auto page3 = list(c, admin, "?per_page=2&page=3");
  CHECK(page3["items"].size() == 2);
  CHECK(page3["total_pages"] == 3);
  CHECK(list(c, admin, "?per_page=2&page=4")["items"].empty());
  // Ids beyond any account: 404, however large; not an id at all: 404 too.
  check_error(
      c.patch(deactivate_url("9223372036854775807"), json::object(), admin),
      404, "USER_NOT_FOUND");
  CHECK(c.patch(deactivate_url("0"), json::object(), admin).status == 404);
}

TEST_CASE("a deactivation lets an in-flight checkout finish and refuses every "
          "later request",
          "[admin_users]") {
  // Payments take 3 s: a checkout started before the deactivation is still
  // running when the 200 comes; it finishes (201), while a request that
  // starts after the 200 gets 403.
  server_options slow;
  slow.extra_args = {"--payment-latency-ms", "3000"};
  auto& server = shared_server("admin_users-slow", slow);
  http_client c{server.port()};
  auto admin = admin_token(c);
  auto user = register_user(c, "in-flight");
  auto book = stocked_book(c, admin, 5);
  add_to_cart(c, user.access_token, book["id"].get<std::int64_t>(), 1);

  using clock = std::chrono::steady_clock;
  response in_flight;
  clock::time_point checkout_done;
  std::thread buyer([&] {
    http_client own{server.port()};
    in_flight = checkout(own, user.access_token);
    checkout_done = clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  auto off = c.patch(deactivate_url(user.id), json::object(), admin);
  auto deactivated = clock::now();
  auto after = c.get("/cart", user.access_token);
  auto checkout_after = checkout(c, user.access_token);
  buyer.join();

  REQUIRE_STATUS(off, 200);
  check_error(after, 403, "AUTH_ACCOUNT_DEACTIVATED");
  check_error(checkout_after, 403, "AUTH_ACCOUNT_DEACTIVATED");
  // The checkout really was in flight across the deactivation, and it
  // finished as it began.
  CHECK(checkout_done > deactivated);
  CHECK_STATUS(in_flight, 201);
  CHECK(book_stock(c, book["id"].get<std::int64_t>()) == 4);
}

TEST_CASE("the bootstrap admin is always active", "[admin_users]") {
  // A deactivated user named as BOOKSTORE_ADMIN_EMAIL on the next start is
  // promoted and active again.
  temp_dir dir;
  account user;
  {
    server_options first;
    first.db_path = dir.db();
    server_process server{first};
    http_client c{server.port()};
    auto admin = login(c, admin_email, admin_password);
    user = register_user(c, "future-admin");
    REQUIRE_STATUS(c.patch(deactivate_url(user.id), json::object(), admin),
                   200);
    check_error(login_response(c, user), 403, "AUTH_ACCOUNT_DEACTIVATED");
    REQUIRE(server.stop() == 0);
  }
  server_options second;
  second.db_path = dir.db();
  second.extra_env = {{"BOOKSTORE_ADMIN_EMAIL", user.email},
                      {"BOOKSTORE_ADMIN_PASSWORD", user.password}};
  server_process server{second};
  http_client c{server.port()};
  auto token = login(c, user.email, user.password);
  CHECK(jwt_payload(token)["role"] == "admin");
  auto data = list(c, token, "?role=admin&is_active=false");
  CHECK(data["total_count"] == 0);
  REQUIRE_STATUS(c.get(users_url, token), 200);
  REQUIRE(server.stop() == 0);
}
