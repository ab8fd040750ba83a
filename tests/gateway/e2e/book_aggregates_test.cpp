// The book aggregate tests of the original backend
// (backend/tests/test_book_aggregates.py), each named for what it checks,
// plus API.md's "Ratings on books": half-to-even rounding, sort=avg_rating.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "review_helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("book_aggregates").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

} // namespace

TEST_CASE(
    "a book without reviews has a null avg_rating and a review_count of 0",
    "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto book = stocked_book(c, admin, 5, "14.99");
  auto data = book_detail(c, id_of(book));
  check_book_shape(data, true);
  CHECK(data.at("avg_rating").is_null());
  CHECK(data.at("review_count") == 0);
  CHECK(data.at("in_stock") == true);
}

TEST_CASE("one review's rating is the book's avg_rating", "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "agg_user");
  auto book_id = id_of(bought_book(c, admin, user.access_token));
  create_review(c, user.access_token, book_id, 4, "Good book");
  auto data = book_detail(c, book_id);
  CHECK(data.at("avg_rating") == 4.0);
  CHECK(data.at("review_count") == 1);
}

TEST_CASE("two reviews average to their mean", "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "agg_user");
  auto user2 = register_user(c, "agg_user2");
  auto book_id = id_of(bought_book(c, admin, user.access_token));
  buy(c, user2.access_token, book_id);
  create_review(c, user.access_token, book_id, 4, "Great read");
  create_review(c, user2.access_token, book_id, 5, "Excellent");
  auto data = book_detail(c, book_id);
  CHECK(data.at("avg_rating") == 4.5);
  CHECK(data.at("review_count") == 2);
}

TEST_CASE(
    "a new review shows in the book's avg_rating and review_count at once",
    "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "agg_user");
  auto book_id = id_of(bought_book(c, admin, user.access_token));
  auto before = book_detail(c, book_id);
  CHECK(before.at("avg_rating").is_null());
  CHECK(before.at("review_count") == 0);
  create_review(c, user.access_token, book_id, 3, "Average book");
  auto after = book_detail(c, book_id);
  CHECK(after.at("avg_rating") == 3.0);
  CHECK(after.at("review_count") == 1);
}

TEST_CASE("avg_rating is shown with one decimal", "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "agg_user");
  auto user2 = register_user(c, "agg_user2");
  auto book_id = id_of(bought_book(c, admin, user.access_token));
  buy(c, user2.access_token, book_id);
  create_review(c, user.access_token, book_id, 3, std::nullopt);
  create_review(c, user2.access_token, book_id, 5, std::nullopt);
  CHECK(book_detail(c, book_id).at("avg_rating") == 4.0);
}

TEST_CASE("a deleted review leaves the book's avg_rating and review_count",
          "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "agg_user");
  auto user2 = register_user(c, "agg_user2");
  auto book_id = id_of(bought_book(c, admin, user.access_token));
  buy(c, user2.access_token, book_id);
  auto review_id =
      id_of(create_review(c, user.access_token, book_id, 2, "Not great"));
  create_review(c, user2.access_token, book_id, 4, "Pretty good");
  auto before = book_detail(c, book_id);
  CHECK(before.at("avg_rating") == 3.0);
  CHECK(before.at("review_count") == 2);
  REQUIRE_STATUS(
      c.del("/reviews/" + std::to_string(review_id), user.access_token), 204);
  auto after = book_detail(c, book_id);
  CHECK(after.at("avg_rating") == 4.0);
  CHECK(after.at("review_count") == 1);
}

// ---- avg_rating on GET /books/{id} and GET /books?sort=avg_rating ----------

TEST_CASE("avg_rating rounds half to even (4.25 shows 4.2) and follows edits "
          "and deletes",
          "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  std::vector<account> users;
  auto book = stocked_book(c, admin, 10, "9.99");
  auto book_id = id_of(book);
  for (int i = 0; i < 4; ++i) {
    users.push_back(register_user(c, "half_even"));
    buy(c, users.back().access_token, book_id);
  }
  std::vector<std::int64_t> reviews;
  for (int rating : {5, 4, 4, 4}) // 17 / 4 = 4.25
    reviews.push_back(id_of(
        create_review(c, users[reviews.size()].access_token, book_id, rating)));
  auto data = book_detail(c, book_id);
  CHECK(data.at("avg_rating").dump() == "4.2");
  CHECK(data.at("review_count") == 4);

  // 5 + 4 + 4 + 2 = 15 / 4 = 3.75 -> 3.8
  auto id = std::to_string(reviews[3]);
  REQUIRE_STATUS(
      c.patch("/reviews/" + id, {{"rating", 2}}, users[3].access_token), 200);
  CHECK(book_detail(c, book_id).at("avg_rating").dump() == "3.8");

  // An admin's delete counts too: 5 + 4 + 4 = 13 / 3 = 4.33 -> 4.3
  REQUIRE_STATUS(c.del("/reviews/" + id, admin), 204);
  data = book_detail(c, book_id);
  CHECK(data.at("avg_rating").dump() == "4.3");
  CHECK(data.at("review_count") == 3);

  // A bulk delete too: 5 -> 5.0
  auto bulk = c.request("DELETE", "/admin/reviews/bulk",
                        json{{"review_ids", {reviews[1], reviews[2]}}}.dump(),
                        {}, admin);
  REQUIRE_STATUS(bulk, 200);
  CHECK(bulk.json().at("deleted_count") == 2);
  data = book_detail(c, book_id);
  CHECK(data.at("avg_rating") == 5.0);
  CHECK(data.at("review_count") == 1);
}

TEST_CASE("sort=avg_rating orders by the mean with books without reviews last "
          "in both directions and ties by id",
          "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto word = unique_word();
  auto make = [&](const std::string& name) {
    return id_of(create_book(
        c, admin, book_fields(word + " " + name, "Sorter", "5.00"), 10));
  };
  auto none = make("none");
  auto low = make("low");   // 2
  auto high = make("high"); // 4.5
  auto tie1 = make("tie1"); // 3
  auto tie2 = make("tie2"); // 3
  auto rate = [&](std::int64_t book, std::vector<int> ratings) {
    for (int r : ratings) {
      auto u = register_user(c, "sorter");
      buy(c, u.access_token, book);
      create_review(c, u.access_token, book, r);
    }
  };
  rate(low, {2});
  rate(high, {4, 5});
  rate(tie1, {3});
  rate(tie2, {2, 4});
  auto ids = [&](const std::string& dir) {
    auto r = c.get("/books?q=" + word + "&sort=avg_rating&size=100" + dir);
    REQUIRE_STATUS(r, 200);
    const auto body = r.json(); // alive for the loop
    std::vector<std::int64_t> out;
    for (auto& b : body.at("items"))
      out.push_back(id_of(b));
    return out;
  };
  CHECK(ids("") == std::vector<std::int64_t>{low, tie1, tie2, high, none});
  CHECK(ids("&sort_dir=asc")
        == std::vector<std::int64_t>{low, tie1, tie2, high, none});
  CHECK(ids("&sort_dir=desc")
        == std::vector<std::int64_t>{high, tie1, tie2, low, none});
  // The storefront's home page query.
  CHECK_STATUS(c.get("/books?sort=avg_rating&sort_dir=desc&size=8"), 200);
}

TEST_CASE("deleting a book deletes its reviews", "[book_aggregates]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "agg_user");
  auto book_id = id_of(bought_book(c, admin, user.access_token));
  auto review_id = id_of(create_review(c, user.access_token, book_id, 5));
  REQUIRE_STATUS(c.del("/books/" + std::to_string(book_id), admin), 204);
  check_error(c.get("/reviews/" + std::to_string(review_id)), 404,
              "REVIEW_NOT_FOUND");
  auto list = c.get("/books/" + std::to_string(book_id) + "/reviews");
  REQUIRE_STATUS(list, 200);
  CHECK(list.json().at("total") == 0);
  auto admin_list =
      c.get("/admin/reviews?book_id=" + std::to_string(book_id), admin);
  REQUIRE_STATUS(admin_list, 200);
  CHECK(admin_list.json().at("total_count") == 0);
}
