// GET /admin/users query string, and AdminUser / its page.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/accounts.hpp"
#include "helpers.hpp"

namespace bj = bookstore::json;
using bj::testing::describe;
using bj::testing::failed;
using bj::testing::only_error;
using nlohmann::json;

namespace {

bookstore::storage::account_filter filter(const std::string& query) {
  const auto result = bj::decode_account_filter(query);
  INFO(query << " -> " << describe(result.errors));
  REQUIRE(result.ok());
  return *result.value;
}

} // namespace

TEST_CASE(
    "the account filter defaults to page 1 of 20 and reads every parameter",
    "[json][accounts]") {
  auto f = filter("");
  CHECK(f.page == 1);
  CHECK(f.per_page == 20);
  CHECK(f.role.empty());
  CHECK(f.active == -1);
  f = filter("page=3&per_page=100&role=admin&is_active=false");
  CHECK(f.page == 3);
  CHECK(f.per_page == 100);
  CHECK(f.role == "admin");
  CHECK(f.active == 0);
  CHECK(filter("role=user").role == "user");
}

TEST_CASE("is_active reads pydantic's boolean words in any case",
          "[json][accounts]") {
  for (const char* yes : {"true", "True", "TRUE", "1", "yes", "on", "t", "y"}) {
    CAPTURE(yes);
    CHECK(filter(std::string{"is_active="} + yes).active == 1);
  }
  for (const char* no : {"false", "0", "No", "off", "f", "n", "FALSE"}) {
    CAPTURE(no);
    CHECK(filter(std::string{"is_active="} + no).active == 0);
  }
  for (const char* bad : {"", "2", "maybe", "truee", "-1", " true"}) {
    CAPTURE(bad);
    const auto r = bj::decode_account_filter(std::string{"is_active="} + bad);
    CHECK(failed(r));
    CHECK(only_error(r.errors, json{"query", "is_active"}, "bool_parsing"));
  }
}

TEST_CASE("bad pages and roles are 422 at their parameter",
          "[json][accounts]") {
  auto fails = [](const std::string& query, const char* name) {
    const auto r = bj::decode_account_filter(query);
    INFO(query << " -> " << describe(r.errors));
    return failed(r) && !r.errors.empty()
           && json(r.errors[0].loc) == json{"query", name};
  };
  CHECK(fails("page=0", "page"));
  CHECK(fails("page=x", "page"));
  CHECK(fails("per_page=0", "per_page"));
  CHECK(fails("per_page=101", "per_page"));
  CHECK(fails("role=superuser", "role"));
  CHECK(fails("role=USER", "role"));
  CHECK(fails("page=99999999999999999999", "page"));
}

TEST_CASE("account_json and account_page_json give an AdminUser and a page of "
          "them with total_pages",
          "[json][accounts]") {
  bookstore::storage::account a{7, "a@x.io", "user", false,
                                "2026-01-02T03:04:05Z"};
  auto j = bj::account_json(a);
  CHECK(j
        == json{{"id", 7},
                {"email", "a@x.io"},
                {"full_name", nullptr},
                {"role", "user"},
                {"is_active", false},
                {"created_at", "2026-01-02T03:04:05Z"}});
  bookstore::storage::account_page page;
  page.items = {a};
  page.total = 5;
  bookstore::storage::account_filter f;
  f.page = 2;
  f.per_page = 2;
  auto p = bj::account_page_json(page, f);
  CHECK(p["total_count"] == 5);
  CHECK(p["page"] == 2);
  CHECK(p["per_page"] == 2);
  CHECK(p["total_pages"] == 3);
  CHECK(p["items"].size() == 1);
  page.items.clear();
  page.total = 0;
  CHECK(bj::account_page_json(page, f)["total_pages"] == 0);
}
