// The moderation tests of the original backend
// (backend/tests/test_review_moderation.py), each named for what it checks.
// The original counts every review in its database, so each test here runs its
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

// ---- GET /admin/reviews: who may list --------------------------------------

TEST_CASE("the moderation list without a token is 401", "[review_moderation]") {
  review_data d;
  check_error(d.c.get(list_url), 401, "AUTH_REQUIRED");
}

TEST_CASE("the moderation list with a user's token is 403",
          "[review_moderation]") {
  review_data d;
  check_error(d.c.get(list_url, d.user1.access_token), 403, "AUTH_FORBIDDEN");
}

// ---- GET /admin/reviews ----------------------------------------------------

TEST_CASE("the moderation list counts every review that is not deleted",
          "[review_moderation]") {
  review_data d;
  auto data = d.list();
  CHECK(data.at("total_count") == 4);
  CHECK(data.at("items").size() == 4);
}

TEST_CASE("a moderation page past the end, near or far, is empty with the "
          "count",
          "[review_moderation]") {
  review_data d;
  auto near = d.list("?per_page=100&page=2");
  CHECK(near.at("items").empty());
  CHECK(near.at("total_count") == 4);
  // Far enough that a cluster asks its nodes for their counts first.
  auto far = d.list("?per_page=100&page=1000000");
  near["page"] = 1000000;
  CHECK(far == near);
  // One book's reviews: in a cluster, that book's node alone.
  auto one_book = "&book_id=" + std::to_string(d.book_a);
  auto near_a = d.list("?per_page=100&page=2" + one_book);
  CHECK(near_a.at("total_count") == 3);
  auto far_a = d.list("?per_page=100&page=1000000" + one_book);
  near_a["page"] = 1000000;
  CHECK(far_a == near_a);
}

TEST_CASE("the moderation list leaves out a deleted review",
          "[review_moderation]") {
  review_data d;
  CHECK_FALSE(contains(ids_of(d.list()), d.deleted_review));
}

TEST_CASE("a moderation list item has its author and book and timestamps",
          "[review_moderation]") {
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

TEST_CASE("the moderation list defaults to page 1 of 20",
          "[review_moderation]") {
  review_data d;
  auto data = d.list();
  CHECK(data.at("page") == 1);
  CHECK(data.at("per_page") == 20);
  CHECK(data.at("total_pages") == 1);
}

// ---- GET /admin/reviews?page=&per_page= ------------------------------------

TEST_CASE("per_page limits the moderation list and sets total_pages",
          "[review_moderation]") {
  review_data d;
  auto data = d.list("?per_page=2&page=1");
  CHECK(data.at("items").size() == 2);
  CHECK(data.at("total_count") == 4);
  CHECK(data.at("total_pages") == 2);
  CHECK(d.list("?per_page=3").at("total_pages") == 2);
}

TEST_CASE("the second moderation page repeats nothing of the first",
          "[review_moderation]") {
  review_data d;
  auto first = ids_of(d.list("?per_page=2&page=1"));
  auto second = ids_of(d.list("?per_page=2&page=2"));
  CHECK(second.size() == 2);
  for (auto id : second)
    CHECK_FALSE(contains(first, id));
}

TEST_CASE("a moderation page beyond the last is empty and keeps the total",
          "[review_moderation]") {
  review_data d;
  auto data = d.list("?per_page=2&page=3");
  CHECK(data.at("items").empty());
  CHECK(data.at("total_count") == 4);
}

// ---- GET /admin/reviews?book_id=&user_id=&rating_min=&rating_max= ----------

TEST_CASE("book_id keeps the reviews of one book", "[review_moderation]") {
  review_data d;
  auto data = d.list("?book_id=" + std::to_string(d.book_a));
  CHECK(data.at("total_count") == 3);
  for (auto& item : data.at("items"))
    CHECK(item.at("book").at("book_id") == d.book_a);
}

TEST_CASE("user_id keeps the reviews of one author", "[review_moderation]") {
  review_data d;
  auto data = d.list("?user_id=" + d.user1.id);
  CHECK(data.at("total_count") == 2);
  for (auto& item : data.at("items"))
    CHECK(std::to_string(item.at("author").at("user_id").get<long long>())
          == d.user1.id);
}

TEST_CASE("rating_min keeps the reviews rated at least that",
          "[review_moderation]") {
  review_data d;
  auto data = d.list("?rating_min=4");
  CHECK(data.at("total_count") == 2);
  for (auto& item : data.at("items"))
    CHECK(item.at("rating").get<int>() >= 4);
}

TEST_CASE("rating_max keeps the reviews rated at most that",
          "[review_moderation]") {
  review_data d;
  auto data = d.list("?rating_max=2");
  CHECK(data.at("total_count") == 1);
  for (auto& item : data.at("items"))
    CHECK(item.at("rating").get<int>() <= 2);
}

TEST_CASE("rating_min and rating_max together keep a range of ratings",
          "[review_moderation]") {
  review_data d;
  auto data = d.list("?rating_min=2&rating_max=4");
  CHECK(data.at("total_count") == 3);
  for (auto& item : data.at("items")) {
    CHECK(item.at("rating").get<int>() >= 2);
    CHECK(item.at("rating").get<int>() <= 4);
  }
}

TEST_CASE("moderation filters combine with and", "[review_moderation]") {
  review_data d;
  auto data = d.list("?book_id=" + std::to_string(d.book_a) + "&rating_min=4");
  CHECK(data.at("total_count") == 2);
  for (auto& item : data.at("items")) {
    CHECK(item.at("book").at("book_id") == d.book_a);
    CHECK(item.at("rating").get<int>() >= 4);
  }
}

TEST_CASE("a bad rating_min or page or per_page or book_id is 422",
          "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?rating_min=0", d.admin));
  check_validation_error(d.c.get(list_url + "?rating_min=x", d.admin));
  check_validation_error(d.c.get(list_url + "?per_page=101", d.admin));
  check_validation_error(d.c.get(list_url + "?page=0", d.admin));
  check_validation_error(
      d.c.get(list_url + "?book_id=9223372036854775808", d.admin));
}

TEST_CASE("a rating_max above 5 is 422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?rating_max=6", d.admin));
}

// ---- GET /admin/reviews?sort_by=&sort_dir= ---------------------------------

TEST_CASE("the moderation list is newest first by default",
          "[review_moderation]") {
  review_data d;
  // Created r1, r2, r3, r5 in that order: newest first.
  CHECK(ids_of(d.list())
        == std::vector<std::int64_t>{d.reviews[4], d.reviews[2], d.reviews[1],
                                     d.reviews[0]});
}

TEST_CASE("sort_by=rating with sort_dir=asc lists the lowest rating first",
          "[review_moderation]") {
  review_data d;
  auto items = d.list("?sort_by=rating&sort_dir=asc").at("items");
  std::vector<int> ratings;
  for (auto& item : items)
    ratings.push_back(item.at("rating").get<int>());
  CHECK(ratings == std::vector<int>{2, 3, 4, 5});
}

TEST_CASE("sort_by=rating with sort_dir=desc lists the highest rating first",
          "[review_moderation]") {
  review_data d;
  auto items = d.list("?sort_by=rating&sort_dir=desc").at("items");
  std::vector<int> ratings;
  for (auto& item : items)
    ratings.push_back(item.at("rating").get<int>());
  CHECK(ratings == std::vector<int>{5, 4, 3, 2});
}

TEST_CASE("sort_by=date with sort_dir=asc lists the oldest review first",
          "[review_moderation]") {
  review_data d;
  CHECK(ids_of(d.list("?sort_by=date&sort_dir=asc"))
        == std::vector<std::int64_t>{d.reviews[0], d.reviews[1], d.reviews[2],
                                     d.reviews[4]});
}

TEST_CASE("an unknown sort_by is 422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?sort_by=invalid", d.admin));
}

TEST_CASE("an unknown sort_dir is 422", "[review_moderation]") {
  review_data d;
  check_validation_error(d.c.get(list_url + "?sort_dir=invalid", d.admin));
}

// ---- DELETE /admin/reviews/bulk: who may delete ----------------------------

TEST_CASE("a bulk delete without a token is 401", "[review_moderation]") {
  review_data d;
  check_error(d.bulk({1}, {}), 401, "AUTH_REQUIRED");
}

TEST_CASE("a bulk delete with a user's token is 403 and deletes nothing",
          "[review_moderation]") {
  review_data d;
  check_error(d.bulk({d.reviews[0]}, d.user1.access_token), 403,
              "AUTH_FORBIDDEN");
  CHECK(d.list().at("total_count") == 4);
}

// ---- DELETE /admin/reviews/bulk --------------------------------------------

TEST_CASE("a bulk delete removes the reviews everywhere and updates the books' "
          "ratings",
          "[review_moderation]") {
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

TEST_CASE("a bulk delete does not count a review already deleted",
          "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.deleted_review}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 0);
}

TEST_CASE("a bulk delete does not count an unknown id", "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({99999}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 0);
}

TEST_CASE("a bulk delete counts only the live reviews among its ids",
          "[review_moderation]") {
  review_data d;
  auto resp = d.bulk({d.reviews[0], d.deleted_review, 99999}, d.admin);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("deleted_count") == 1);
}

TEST_CASE("a bulk delete of no ids is 422 on review_ids",
          "[review_moderation]") {
  review_data d;
  auto resp = d.bulk(json::array(), d.admin);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "review_ids"));
}

TEST_CASE("a bulk delete takes at most 50 ids", "[review_moderation]") {
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

TEST_CASE("a review deleted in bulk leaves the moderation list",
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
