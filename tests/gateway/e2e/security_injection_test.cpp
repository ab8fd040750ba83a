// Security pass, injection: SQL- and FTS5-shaped input in every place a
// string reaches the store is either refused with a 4xx or kept and
// returned verbatim; never a 5xx, never more rows than asked for, and the
// tables are intact afterwards.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("security").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

const std::vector<std::string> nasty = {
    "' OR 1=1 --",
    "'; DROP TABLE books; --",
    "\"; DROP TABLE books; --",
    "Robert'); DELETE FROM users; --",
    "1' UNION SELECT email, password_hash FROM users --",
    "\" OR \"\"=\"",
    "title:*",
    "\"",
    "NEAR(",
    "NEAR(a b, 2)",
    "* OR *",
    "a AND NOT b",
    "{title author}: x",
    "^start",
    "-minus",
    "%_\\",
    "')) OR ((1=1",
};

std::string query_escape(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

/// A 4xx or a 2xx, never a 5xx; shows the response when it fails.
void check_no_server_error(const response& r) {
  INFO(describe(r));
  CHECK(r.status >= 200);
  CHECK(r.status < 500);
}

} // namespace

TEST_CASE("injection-shaped titles and authors and genres are stored verbatim",
          "[security]") {
  auto c = client();
  auto admin = admin_token(c);
  for (auto& s : nasty) {
    CAPTURE(s);
    auto tag = unique_word();
    auto created = c.post("/books",
                          {{"title", s + " " + tag},
                           {"author", tag + " " + s},
                           {"price", "3.00"},
                           {"description", s}},
                          admin);
    REQUIRE_STATUS(created, 201);
    auto got = c.get("/books/" + std::to_string(id_of(created.json())));
    REQUIRE_STATUS(got, 200);
    CHECK(got.json()["title"] == s + " " + tag);
    CHECK(got.json()["author"] == tag + " " + s);
    CHECK(got.json()["description"] == s);
    // The unique word finds exactly this book, whatever surrounds it.
    auto found = c.get("/books?q=" + tag);
    REQUIRE_STATUS(found, 200);
    CHECK(found.json()["total"] == 1);

    auto genre = c.post("/genres", {{"name", s + " " + tag}}, admin);
    REQUIRE_STATUS(genre, 201);
    CHECK(genre.json()["name"] == s + " " + tag);
  }
}

TEST_CASE("injection-shaped search words and filters match only what they "
          "say",
          "[security]") {
  auto c = client();
  auto admin = admin_token(c);
  // Enough books that "everything" and "something" differ.
  for (int i = 0; i < 3; ++i)
    create_book(c, admin, book_fields());
  auto all = c.get("/books?size=1");
  REQUIRE_STATUS(all, 200);
  auto everything = all.json()["total"].get<long long>();
  REQUIRE(everything >= 3);

  for (auto& s : nasty) {
    CAPTURE(s);
    auto by_q = c.get("/books?q=" + query_escape(s));
    check_no_server_error(by_q);
    if (by_q.status != 200) {
      check_validation_error(by_q);
    } else if (std::any_of(s.begin(), s.end(),
                           [](unsigned char ch) { return std::isalnum(ch); })) {
      // Words are matched as words: no operator widens the search.
      CHECK(by_q.json()["total"].get<long long>() < everything);
    } // else: no word at all, so no search (the whole list), like q=""

    // The author filter is a plain substring: every answer contains it.
    auto by_author = c.get("/books?size=100&author=" + query_escape(s));
    REQUIRE_STATUS(by_author, 200);
    CHECK(by_author.json()["total"].get<long long>() < everything);
    const auto found = by_author.json(); // named: see security_access_test
    for (auto& b : found["items"]) {
      auto author = b["author"].get<std::string>();
      std::string lower_author, lower_s;
      for (char ch : author)
        lower_author += static_cast<char>(std::tolower(ch));
      for (char ch : s)
        lower_s += static_cast<char>(std::tolower(ch));
      CHECK(lower_author.find(lower_s) != std::string::npos);
    }

    // Numbers and enums are validated, so SQL never gets that far.
    for (const char* param : {"genre_id", "min_price", "max_price", "page",
                              "size", "sort", "sort_dir"}) {
      CAPTURE(param);
      check_validation_error(
          c.get(std::string("/books?") + param + "=" + query_escape(s)));
    }
    check_validation_error(
        c.get("/admin/sales/summary?period=" + query_escape(s), admin));
    check_validation_error(
        c.get("/admin/sales/top-books?sort_by=" + query_escape(s), admin));
    check_validation_error(c.get(
        "/admin/inventory/low-stock?threshold=" + query_escape(s), admin));
  }
}

TEST_CASE("injection-shaped emails and passwords and keys log nobody in",
          "[security]") {
  auto c = client();
  auto admin_email_inject = std::string(admin_email) + "' --";
  for (auto& s : nasty) {
    CAPTURE(s);
    // As an email: refused as invalid, or simply unknown.
    auto r = c.post("/auth/login", {{"email", s}, {"password", "whatever12"}});
    INFO(describe(r));
    CHECK((r.status == 401 || r.status == 422));
    // As a password of the admin: wrong.
    check_error(
        c.post("/auth/login", {{"email", admin_email}, {"password", s}}), 401,
        "AUTH_INVALID_CREDENTIALS");
    // As a refresh token: unknown.
    auto rt = c.post("/auth/refresh", {{"refresh_token", s}});
    check_error(rt, 401, "AUTH_REFRESH_INVALID");
    // As a registration: refused as invalid, or a new account of its own.
    auto reg =
        c.post("/auth/register", {{"email", s}, {"password", "password-" + s}});
    INFO(describe(reg));
    CHECK((reg.status == 201 || reg.status == 422));
  }
  for (auto& email : {admin_email_inject, std::string("' OR 1=1 --@x.com"),
                      std::string(admin_email) + "\" OR \"1\"=\"1"}) {
    CAPTURE(email);
    auto r =
        c.post("/auth/login", {{"email", email}, {"password", "whatever12"}});
    INFO(describe(r));
    CHECK((r.status == 401 || r.status == 422));
  }

  // A quote-laden but valid address round-trips: it logs in with its own
  // password and no other.
  auto quoted = "o'brien'--or'1'='1." + unique_suffix() + "@example.com";
  auto reg = c.post("/auth/register",
                    {{"email", quoted}, {"password", "' OR 1=1 --"}});
  REQUIRE_STATUS(reg, 201);
  check_token_pair(
      c.post("/auth/login", {{"email", quoted}, {"password", "' OR 1=1 --"}}),
      200);
  check_error(
      c.post("/auth/login", {{"email", quoted}, {"password", "' OR 1=2 --"}}),
      401, "AUTH_INVALID_CREDENTIALS");

  // An injection-shaped idempotency key is just a key.
  auto user = register_user(c, "inject");
  auto book = stocked_book(c, admin_token(c), 5, "2.00");
  add_to_cart(c, user.access_token, id_of(book), 1);
  const std::string key = "'OR'1'='1';--";
  auto first = checkout(c, user.access_token, false, key);
  REQUIRE_STATUS(first, 201);
  auto again = checkout(c, user.access_token, false, key);
  CHECK_STATUS(again, 201);
  CHECK(again.body == first.body);
  CHECK(book_stock(c, id_of(book)) == 4);
}

TEST_CASE("the tables are intact after the injection attempts", "[security]") {
  auto c = client();
  // Runs after the cases above in this file's order: every table still
  // answers and the bootstrap admin still logs in as admin.
  auto admin = login(c, admin_email, admin_password);
  CHECK(jwt_payload(admin)["role"] == "admin");
  auto books = c.get("/books?size=100");
  REQUIRE_STATUS(books, 200);
  CHECK(books.json()["total"].get<long long>() >= 3);
  CHECK_STATUS(c.get("/genres"), 200);
  CHECK_STATUS(c.get("/admin/orders", admin), 200);
  auto user = register_user(c, "intact");
  CHECK_STATUS(c.get("/cart", user.access_token), 200);
  CHECK_STATUS(c.get("/orders", user.access_token), 200);
}
