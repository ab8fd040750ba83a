// The moderation tests of the original backend
// (backend/tests/test_review_moderation.py), under the same names. The
// original counts every review in its database, so each test here runs its
// own server with the original's review_data: books Alpha and Beta, three
// users, five reviews (r4 soft-deleted).

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "review_helpers.hpp"

using namespace e2e;

namespace {

const std::string list_url = "/admin/reviews";
const std::string bulk_url = "/admin/reviews/bulk";

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

struct review_data {
  server_process server;
  http_client c{server.port()};
  std::string admin = login(c, admin_email, admin_password);
  account user1 = register_user(c, "revmod_user");
  account user2 = register_user(c, "revmod_reviewer");
  account user3 = register_user(c, "revmod_reader");
  std::int64_t book_a = 0;
  std::int64_t book_b = 0;
  std::vector<std::int64_t> reviews; // r1 .. r5
  std::int64_t deleted_review = 0;   // r4

  review_data() {
    book_a = id_of(create_book(
        c, admin, book_fields("Book Alpha", "Author A", "10.00"), 100));
    book_b = id_of(create_book(
        c, admin, book_fields("Book Beta", "Author B", "20.00"), 100));
    buy(c, user1.access_token, book_a);
    buy(c, user1.access_token, book_b);
    buy(c, user2.access_token, book_a);
    buy(c, user2.access_token, book_b);
    buy(c, user3.access_token, book_a);
    reviews.push_back(
        id_of(create_review(c, user1.access_token, book_a, 5, "Excellent")));
    reviews.push_back(
        id_of(create_review(c, user1.access_token, book_b, 2, "Poor")));
    reviews.push_back(
        id_of(create_review(c, user2.access_token, book_a, 3, "Average")));
    reviews.push_back(
        id_of(create_review(c, user2.access_token, book_b, 1, "Terrible")));
    reviews.push_back(
        id_of(create_review(c, user3.access_token, book_a, 4, std::nullopt)));
    deleted_review = reviews[3];
    REQUIRE_STATUS(
        c.del("/reviews/" + std::to_string(deleted_review), user2.access_token),
        204);
  }

  json list(const std::string& query = {}) {
    auto r = c.get(list_url + query, admin);
    REQUIRE_STATUS(r, 200);
    return r.json();
  }

  response bulk(const json& ids, const std::string& token) {
    return c.request("DELETE", bulk_url, json{{"review_ids", ids}}.dump(), {},
                     token);
  }
};

std::vector<std::int64_t> ids_of(const json& page) {
  std::vector<std::int64_t> out;
  for (auto& item : page.at("items"))
    out.push_back(id_of(item));
  return out;
}

bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

// ---- TestAdminReviewListAuth ------------------------------------------------

TEST_CASE("test_list_reviews_requires_auth", "[review_moderation]") {
  review_data d;
  check_error(d.c.get(list_url), 401, "AUTH_REQUIRED");
}

TEST_CASE("test_list_reviews_requires_admin", "[review_moderation]") {
  review_data d;
  check_error(d.c.get(list_url, d.user1.access_token), 403, "AUTH_FORBIDDEN");
}

// ---- TestAdminReviewListBasic -----------------------------------------------

TEST_CASE("test_list_reviews_returns_all_active", "[review_moderation]") {
  review_data d;
  auto data = d.list();
  CHECK(data.at("total_count") == 4);
  CHECK(data.at("items").size() == 4);
}

TEST_CASE("test_soft_deleted_review_excluded", "[review_moderation]") {
  review_data d;
  CHECK_FALSE(contains(ids_of(d.list()), d.deleted_review));
}

TEST_CASE("test_response_schema_fields", "[review_moderation]") {
  review_data d;
  auto data = d.list();
  CHECK(keys_of(data)
        == std::set<std::string>{"items", "total_count", "page", "per_page",
                                 "total_pages"});
  REQUIRE_FALSE(data.at("items").empty());
  for (auto& item : data.at("items")) {
    CHECK(keys_of(item)
          == std::set<std::string>{"id", "rating", "text", "created_at",
                                   "updated_at", "author", "book"});
    CHECK(keys_of(item.at("author"))
          == std::set<std::string>{"user_id", "display_name"});
    CHECK(keys_of(item.at("book"))
          == std::set<std::string>{"book_id", "title"});
    CHECK(is_utc_timestamp(item.at("created_at")));
  }
  // The rating-only review r5, by revmod_reader on Book Alpha: newest first.
  auto& r5 = data["items"][0];
  CHECK(id_of(r5) == d.reviews[4]);
  CHECK(r5.at("text").is_null());
  CHECK(r5.at("author").at("display_name")
        == d.user3.email.substr(0, d.user3.email.find('@')));
  CHECK(r5.at("book") == json{{"book_id", d.book_a}, {"title", "Book Alpha"}});
}

TEST_CASE("test_default_pagination", "[review_moderation]") {
  review_data d;
  auto data = d.list();
  CHECK(data.at("page") == 1);
  CHECK(data.at("per_page") == 20);
  CHECK(data.at("total_pages") == 1);
}

// ---- TestAdminReviewListPagination ------------------------------------------

TEST_CASE("test_pagination_limits_items", "[review_moderation]") {
  review_data d;
  auto data = d.list("?per_page=2&page=1");
  CHECK(data.at("items").size() == 2);
  CHECK(data.at("total_count") == 4);
  CHECK(data.at("total_pages") == 2);
  CHECK(d.list("?per_page=3").at("total_pages") == 2);
}

TEST_CASE("test_pagination_page_2", "[review_moderation]") {
  review_data d;
  auto first = ids_of(d.list("?per_page=2&page=1"));
  auto second = ids_of(d.list("?per_page=2&page=2"));
  CHECK(second.size() == 2);
  for (auto id : second)
    CHECK_FALSE(contains(first, id));
}

TEST_CASE("test_pagination_beyond_last_page", "[review_moderation]") {
  review_data d;
  auto data = d.list("?per_page=2&page=3");
  CHECK(data.at("items").empty());
  CHECK(data.at("total_count") == 4);
}

// ---- TestAdminReviewListFilters ---------------------------------------------

TEST_CASE("test_filter_by_book_id", "[review_moderation]") {
  review_data d;
  auto data = d.list("?book_id=" + std::to_string(d.book_a));
  CHECK(data.at("total_count") == 3);
  for (auto& item : data.at("items"))
    CHECK(item.at("book").at("book_id") == d.book_a);
}

TEST_CASE("test_filter_by_user_id", "[review_moderation]") {
  review_data d;
  auto data = d.list("?user_id=" + d.user1.id);
  CHECK(data.at("total_count") == 2);
  for (auto& item : data.at("items"))
    CHECK(std::to_string(item.at("author").at("user_id").get<long long>())
          == d.user1.id);
}

TEST_CASE("test_filter_by_rating_min", "[review_moderation]") {
  review_data d;
  auto data = d.list("?rating_min=4");
  CHECK(data.at("total_count") == 2);
  for (auto& item : data.at("items"))
    CHECK(item.at("rating").get<int>() >= 4);
}

TEST_CASE("test_filter_by_rating_max", "[review_moderation]") {
  review_data d;
  auto data = d.list("?rating_max=2");
  CHECK(data.at("total_count") == 1);
  for (auto& item : data.at("items"))
    CHECK(item.at("rating").get<int>() <= 2);
}

TEST_CASE("test_filter_by_rating_range", "[review_moderation]") {
  review_data d;
  auto data = d.list("?rating_min=2&rating_max=4");
  CHECK(data.at("total_count") == 3);
  for (auto& item : data.at("items")) {
    CHECK(item.at("rating").get<int>() >= 2);
    CHECK(item.at("rating").get<int>() <= 4);
  }
}

TEST_CASE("test_combined_filters_are_and", "[review_moderation]") {
  review_data d;
  auto data = d.list("?book_id=" + std::to_string(d.book_a) + "&rating_min=4");
  CHECK(data.at("total_count") == 2);
  for (auto& item : data.at("items")) {
    CHECK(item.at("book").at("book_id") == d.book_a);
    CHECK(item.at("rating").get<int>() >= 4);
  }
}

TEST_CASE("test_invalid_rating_min_returns_422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?rating_min=0", d.admin));
  check_validation_error(d.c.get(list_url + "?rating_min=x", d.admin));
  check_validation_error(d.c.get(list_url + "?per_page=101", d.admin));
  check_validation_error(d.c.get(list_url + "?page=0", d.admin));
  check_validation_error(
      d.c.get(list_url + "?book_id=9223372036854775808", d.admin));
}

TEST_CASE("test_invalid_rating_max_returns_422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?rating_max=6", d.admin));
}

// ---- TestAdminReviewListSorting ---------------------------------------------

TEST_CASE("test_default_sort_is_date_desc", "[review_moderation]") {
  review_data d;
  // Created r1, r2, r3, r5 in that order: newest first.
  CHECK(ids_of(d.list())
        == std::vector<std::int64_t>{d.reviews[4], d.reviews[2], d.reviews[1],
                                     d.reviews[0]});
}

TEST_CASE("test_sort_by_rating_asc", "[review_moderation]") {
  review_data d;
  auto items = d.list("?sort_by=rating&sort_dir=asc").at("items");
  std::vector<int> ratings;
  for (auto& item : items)
    ratings.push_back(item.at("rating").get<int>());
  CHECK(ratings == std::vector<int>{2, 3, 4, 5});
}

TEST_CASE("test_sort_by_rating_desc", "[review_moderation]") {
  review_data d;
  auto items = d.list("?sort_by=rating&sort_dir=desc").at("items");
  std::vector<int> ratings;
  for (auto& item : items)
    ratings.push_back(item.at("rating").get<int>());
  CHECK(ratings == std::vector<int>{5, 4, 3, 2});
}

TEST_CASE("test_sort_by_date_asc", "[review_moderation]") {
  review_data d;
  CHECK(ids_of(d.list("?sort_by=date&sort_dir=asc"))
        == std::vector<std::int64_t>{d.reviews[0], d.reviews[1], d.reviews[2],
                                     d.reviews[4]});
}

TEST_CASE("test_invalid_sort_by_returns_422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?sort_by=invalid", d.admin));
}

TEST_CASE("test_invalid_sort_dir_returns_422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?sort_dir=invalid", d.admin));
}

// ---- TestBulkDeleteAuth -----------------------------------------------------

TEST_CASE("test_bulk_delete_requires_auth", "[review_moderation]") {
  review_data d;
  check_error(d.bulk({1}, {}), 401, "AUTH_REQUIRED");
}

TEST_CASE("test_bulk_delete_requires_admin", "[review_moderation]") {
  review_data d;
  check_error(d.bulk({d.reviews[0]}, d.user1.access_token), 403,
              "AUTH_FORBIDDEN");
  CHECK(d.list().at("total_count") == 4);
}

// ---- TestBulkDeleteBehavior -------------------------------------------------

TEST_CASE("test_bulk_delete_soft_deletes_reviews", "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.reviews[0], d.reviews[1]}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json() == json{{"deleted_count", 2}});
  auto list = d.list();
  auto ids = ids_of(list);
  CHECK_FALSE(contains(ids, d.reviews[0]));
  CHECK_FALSE(contains(ids, d.reviews[1]));
  CHECK(list.at("total_count") == 2);
  // Gone everywhere, aggregates included: Alpha keeps 3 and 4.
  check_error(d.c.get("/reviews/" + std::to_string(d.reviews[0])), 404,
              "REVIEW_NOT_FOUND");
  auto alpha = book_detail(d.c, d.book_a);
  CHECK(alpha.at("avg_rating") == 3.5);
  CHECK(alpha.at("review_count") == 2);
  auto beta = book_detail(d.c, d.book_b);
  CHECK(beta.at("avg_rating").is_null());
  CHECK(beta.at("review_count") == 0);
}

TEST_CASE("test_bulk_delete_skips_already_deleted", "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.deleted_review}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 0);
}

TEST_CASE("test_bulk_delete_skips_nonexistent_ids", "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({99999}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 0);
}

TEST_CASE("test_bulk_delete_mixed_valid_invalid", "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.reviews[0], d.deleted_review, 99999}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 1);
}

TEST_CASE("test_bulk_delete_empty_list_returns_422", "[review_moderation]") {
  review_data d;
  auto resp = d.bulk(json::array(), d.admin);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "review_ids"));
}

TEST_CASE("test_bulk_delete_exceeds_max_returns_422", "[review_moderation]") {
  review_data d;
  json ids = json::array();
  for (int i = 1; i <= 51; ++i)
    ids.push_back(i);
  check_validation_error(d.bulk(ids, d.admin));
  CHECK(d.list().at("total_count") == 4);
  // 50 is the limit, not above it.
  ids.erase(ids.size() - 1);
  CHECK_STATUS(d.bulk(ids, d.admin), 200);
}

TEST_CASE("test_deleted_reviews_not_in_subsequent_list",
          "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.reviews[2]}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 1);
  CHECK_FALSE(contains(ids_of(d.list()), d.reviews[2]));
}

TEST_CASE("bulk delete counts a repeated id once and refuses ids that are "
          "not 64-bit integers",
          "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.reviews[0], d.reviews[0], d.reviews[0]}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 1);
  for (const char* body :
       {R"({"review_ids": [1.5]})", R"({"review_ids": ["1"]})",
        R"({"review_ids": [18446744073709551615]})",
        R"({"review_ids": [99999999999999999999999]})", R"({"review_ids": 3})",
        R"({})", R"([])"}) {
    CAPTURE(body);
    check_validation_error(d.c.request("DELETE", bulk_url, body, {}, d.admin));
  }
  CHECK(d.list().at("total_count") == 3);
}
