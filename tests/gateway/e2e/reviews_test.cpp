// The review tests of the original backend (backend/tests/test_reviews.py),
// under the same names, plus API.md's rules where the contract adds to them
// (one review per user and book for good, updated_at moves on every PATCH).

#include <catch2/catch.hpp>

#include <string>

#include "review_helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("reviews").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

/// The original's fixtures: rev_user who bought purchased_book, rev_user2,
/// a sample_book nobody bought, and the admin.
struct fixture {
  http_client c = client();
  std::string admin = admin_token(c);
  account user = register_user(c, "rev_user");
  account user2 = register_user(c, "rev_user2");
  std::int64_t purchased_book = id_of(bought_book(c, admin, user.access_token));
  std::int64_t sample_book = id_of(stocked_book(c, admin, 10, "9.99"));

  std::string reviews_of(std::int64_t book) const {
    return "/books/" + std::to_string(book) + "/reviews";
  }
  static std::string review_path(std::int64_t id) {
    return "/reviews/" + std::to_string(id);
  }
};

} // namespace

// ---- TestCreateReview -------------------------------------------------------

TEST_CASE("test_create_review_success", "[reviews]") {
  fixture f;
  auto resp = f.c.post(f.reviews_of(f.purchased_book),
                       {{"rating", 5}, {"text", "Absolutely fantastic!"}},
                       f.user.access_token);
  REQUIRE_STATUS(resp, 201);
  auto data = resp.json();
  check_review_shape(data);
  CHECK(data.at("rating") == 5);
  CHECK(data.at("text") == "Absolutely fantastic!");
  CHECK(data.at("verified_purchase") == true);
  CHECK(data.at("book_id") == f.purchased_book);
  CHECK(std::to_string(data.at("user_id").get<long long>()) == f.user.id);
  CHECK(data.at("author").at("display_name")
        == f.user.email.substr(0, f.user.email.find('@')));
  CHECK(data.at("created_at") == data.at("updated_at"));
}

TEST_CASE("test_create_review_rating_only", "[reviews]") {
  fixture f;
  auto resp = f.c.post(f.reviews_of(f.purchased_book), {{"rating", 3}},
                       f.user.access_token);
  REQUIRE_STATUS(resp, 201);
  CHECK(resp.json().at("rating") == 3);
  CHECK(resp.json().at("text").is_null());
}

TEST_CASE("test_create_review_403_not_purchased", "[reviews]") {
  fixture f;
  auto resp =
      f.c.post(f.reviews_of(f.sample_book),
               {{"rating", 4}, {"text", "Good book"}}, f.user.access_token);
  check_error(resp, 403, "NOT_PURCHASED");
  CHECK(resp.json().value("field", "") == "book_id");
}

TEST_CASE("test_create_review_409_duplicate", "[reviews]") {
  fixture f;
  auto first = create_review(f.c, f.user.access_token, f.purchased_book);
  auto resp = f.c.post(f.reviews_of(f.purchased_book),
                       {{"rating", 2}, {"text", "Changed my mind"}},
                       f.user.access_token);
  REQUIRE_STATUS(resp, 409);
  CHECK(resp.json()
        == json{{"detail", "You have already reviewed this book"},
                {"code", "DUPLICATE_REVIEW"},
                {"existing_review_id", id_of(first)}});
}

TEST_CASE("test_create_review_404_book_not_found", "[reviews]") {
  fixture f;
  check_error(f.c.post("/books/999999999/reviews",
                       {{"rating", 4}, {"text", "Test"}}, f.user.access_token),
              404, "BOOK_NOT_FOUND");
}

TEST_CASE("test_create_review_422_rating_out_of_range", "[reviews]") {
  fixture f;
  auto resp =
      f.c.post(f.reviews_of(f.purchased_book),
               {{"rating", 0}, {"text", "Bad rating"}}, f.user.access_token);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "rating"));
}

TEST_CASE("test_create_review_422_rating_too_high", "[reviews]") {
  fixture f;
  check_validation_error(f.c.post(f.reviews_of(f.purchased_book),
                                  {{"rating", 6}, {"text", "Too high rating"}},
                                  f.user.access_token));
}

TEST_CASE("test_create_review_422_text_too_long", "[reviews]") {
  fixture f;
  auto resp = f.c.post(f.reviews_of(f.purchased_book),
                       {{"rating", 4}, {"text", std::string(2001, 'x')}},
                       f.user.access_token);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "text"));
  // 2000 characters (code points, not bytes) are fine.
  std::string emoji;
  for (int i = 0; i < 2000; ++i)
    emoji += "\xF0\x9F\x93\x9A";
  CHECK_STATUS(f.c.post(f.reviews_of(f.purchased_book),
                        {{"rating", 4}, {"text", emoji}}, f.user.access_token),
               201);
}

TEST_CASE("test_create_review_401_unauthenticated", "[reviews]") {
  fixture f;
  check_error(
      f.c.post(f.reviews_of(f.purchased_book), {{"rating", 4}, {"text", "x"}}),
      401, "AUTH_REQUIRED");
}

TEST_CASE("a rating that is not an integer 1..5 is a 422", "[reviews]") {
  fixture f;
  for (const json& rating : {json(4.5), json("4"), json(nullptr), json(true)}) {
    CAPTURE(rating.dump());
    check_validation_error(f.c.post(f.reviews_of(f.purchased_book),
                                    {{"rating", rating}}, f.user.access_token));
  }
  check_validation_error(f.c.post(f.reviews_of(f.purchased_book),
                                  json::object(), f.user.access_token));
  check_validation_error(f.c.post(f.reviews_of(f.purchased_book),
                                  {{"rating", 4}, {"text", 5}},
                                  f.user.access_token));
}

TEST_CASE("after a delete the same user cannot review the book again: 409 "
          "REVIEW_DUPLICATE",
          "[reviews]") {
  fixture f;
  auto first = create_review(f.c, f.user.access_token, f.purchased_book);
  REQUIRE_STATUS(
      f.c.del(fixture::review_path(id_of(first)), f.user.access_token), 204);
  auto again = f.c.post(f.reviews_of(f.purchased_book), {{"rating", 5}},
                        f.user.access_token);
  check_error(again, 409, "REVIEW_DUPLICATE");
  CHECK(again.json().value("field", "") == "book_id");
  // Nor after an admin's delete.
  buy(f.c, f.user2.access_token, f.purchased_book);
  auto second = create_review(f.c, f.user2.access_token, f.purchased_book);
  REQUIRE_STATUS(f.c.del(fixture::review_path(id_of(second)), f.admin), 204);
  check_error(f.c.post(f.reviews_of(f.purchased_book), {{"rating", 5}},
                       f.user2.access_token),
              409, "REVIEW_DUPLICATE");
}

// ---- TestListReviews --------------------------------------------------------

TEST_CASE("test_list_reviews_returns_paginated", "[reviews]") {
  fixture f;
  buy(f.c, f.user2.access_token, f.purchased_book);
  auto first =
      create_review(f.c, f.user.access_token, f.purchased_book, 5, "Great!");
  auto second =
      create_review(f.c, f.user2.access_token, f.purchased_book, 3, "OK");
  auto resp = f.c.get(f.reviews_of(f.purchased_book));
  REQUIRE_STATUS(resp, 200);
  auto data = resp.json();
  CHECK(data.at("total") == 2);
  CHECK(data.at("page") == 1);
  CHECK(data.at("size") == 20);
  REQUIRE(data.at("items").size() == 2);
  for (auto& item : data.at("items"))
    check_review_shape(item);
  // Newest first.
  CHECK(id_of(data["items"][0]) == id_of(second));
  CHECK(id_of(data["items"][1]) == id_of(first));
}

TEST_CASE("test_list_reviews_empty_book", "[reviews]") {
  fixture f;
  auto resp = f.c.get(f.reviews_of(f.sample_book));
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("items") == json::array());
  CHECK(resp.json().at("total") == 0);
  // An unknown book lists nothing.
  auto unknown = f.c.get("/books/999999999/reviews");
  REQUIRE_STATUS(unknown, 200);
  CHECK(unknown.json().at("total") == 0);
}

TEST_CASE("test_list_reviews_public_no_auth", "[reviews]") {
  fixture f;
  create_review(f.c, f.user.access_token, f.purchased_book);
  CHECK_STATUS(f.c.get(f.reviews_of(f.purchased_book)), 200);
}

TEST_CASE("test_list_reviews_verified_purchase_flag", "[reviews]") {
  fixture f;
  create_review(f.c, f.user.access_token, f.purchased_book, 4);
  auto resp = f.c.get(f.reviews_of(f.purchased_book));
  REQUIRE_STATUS(resp, 200);
  REQUIRE(resp.json().at("items").size() == 1);
  CHECK(resp.json()["items"][0].at("verified_purchase") == true);
}

TEST_CASE("test_list_reviews_pagination", "[reviews]") {
  fixture f;
  create_review(f.c, f.user.access_token, f.purchased_book, 5, "First");
  auto resp = f.c.get(f.reviews_of(f.purchased_book) + "?page=1&size=1");
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("page") == 1);
  CHECK(resp.json().at("size") == 1);
  CHECK(resp.json().at("items").size() == 1);
  auto resp2 = f.c.get(f.reviews_of(f.purchased_book) + "?page=2&size=1");
  REQUIRE_STATUS(resp2, 200);
  CHECK(resp2.json().at("total") == 1);
  CHECK(resp2.json().at("items").empty());
  check_validation_error(f.c.get(f.reviews_of(f.purchased_book) + "?size=0"));
  check_validation_error(f.c.get(f.reviews_of(f.purchased_book) + "?size=101"));
  check_validation_error(f.c.get(f.reviews_of(f.purchased_book) + "?page=0"));
}

// ---- TestGetReview ----------------------------------------------------------

TEST_CASE("test_get_review_success", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  auto resp = f.c.get(fixture::review_path(id_of(created)));
  REQUIRE_STATUS(resp, 200);
  auto data = resp.json();
  check_review_shape(data);
  CHECK(data == created);
  CHECK(data.at("verified_purchase") == true);
}

TEST_CASE("test_get_review_404_not_found", "[reviews]") {
  fixture f;
  check_error(f.c.get("/reviews/999999999"), 404, "REVIEW_NOT_FOUND");
}

// ---- TestUpdateReview -------------------------------------------------------

TEST_CASE("test_update_rating_only", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 3,
                               "Original text");
  auto resp = f.c.patch(fixture::review_path(id_of(created)), {{"rating", 5}},
                        f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("rating") == 5);
  CHECK(resp.json().at("text") == "Original text");
}

TEST_CASE("test_update_text_only", "[reviews]") {
  fixture f;
  auto created =
      create_review(f.c, f.user.access_token, f.purchased_book, 4, "Old text");
  auto resp = f.c.patch(fixture::review_path(id_of(created)),
                        {{"text", "Updated text"}}, f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("rating") == 4);
  CHECK(resp.json().at("text") == "Updated text");
  // A null rating keeps it too.
  resp = f.c.patch(fixture::review_path(id_of(created)), {{"rating", nullptr}},
                   f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("rating") == 4);
  CHECK(resp.json().at("text") == "Updated text");
}

TEST_CASE("test_update_both", "[reviews]") {
  fixture f;
  auto created =
      create_review(f.c, f.user.access_token, f.purchased_book, 2, "Mediocre");
  auto resp = f.c.patch(fixture::review_path(id_of(created)),
                        {{"rating", 5}, {"text", "Actually amazing!"}},
                        f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("rating") == 5);
  CHECK(resp.json().at("text") == "Actually amazing!");
}

TEST_CASE("test_update_clear_text", "[reviews]") {
  fixture f;
  auto created =
      create_review(f.c, f.user.access_token, f.purchased_book, 4, "Some text");
  auto resp = f.c.patch(fixture::review_path(id_of(created)),
                        {{"text", nullptr}}, f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("text").is_null());
  CHECK(resp.json().at("rating") == 4);
}

TEST_CASE("test_update_response_has_verified_purchase", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 3);
  auto resp = f.c.patch(fixture::review_path(id_of(created)), {{"rating", 4}},
                        f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("verified_purchase") == true);
}

TEST_CASE("test_update_403_not_owner", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  auto path = fixture::review_path(id_of(created));
  check_error(f.c.patch(path, {{"rating", 1}}, f.user2.access_token), 403,
              "NOT_REVIEW_OWNER");
  // Admins too may not edit another's review.
  check_error(f.c.patch(path, {{"rating", 1}}, f.admin), 403,
              "NOT_REVIEW_OWNER");
  CHECK(f.c.get(path).json().at("rating") == 4);
}

TEST_CASE("test_update_404_not_found", "[reviews]") {
  fixture f;
  check_error(
      f.c.patch("/reviews/999999999", {{"rating", 3}}, f.user.access_token),
      404, "REVIEW_NOT_FOUND");
}

TEST_CASE("test_update_401_unauthenticated", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  check_error(f.c.patch(fixture::review_path(id_of(created)), {{"rating", 5}}),
              401, "AUTH_REQUIRED");
}

TEST_CASE("test_update_reflects_in_get", "[reviews]") {
  fixture f;
  auto created =
      create_review(f.c, f.user.access_token, f.purchased_book, 2, "Bad");
  auto path = fixture::review_path(id_of(created));
  REQUIRE_STATUS(f.c.patch(path,
                           {{"rating", 5}, {"text", "Changed my mind, great!"}},
                           f.user.access_token),
                 200);
  auto data = f.c.get(path).json();
  CHECK(data.at("rating") == 5);
  CHECK(data.at("text") == "Changed my mind, great!");
}

TEST_CASE("updated_at moves on every successful PATCH, created_at stays",
          "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 2);
  auto path = fixture::review_path(id_of(created));
  auto last = created.at("updated_at").get<std::string>();
  for (int i = 0; i < 3; ++i) {
    // The same values again still count as a change.
    auto resp = f.c.patch(path, {{"rating", 2}}, f.user.access_token);
    REQUIRE_STATUS(resp, 200);
    auto now = resp.json().at("updated_at").get<std::string>();
    CHECK(now != last);
    CHECK(resp.json().at("created_at") == created.at("created_at"));
    last = now;
  }
  check_validation_error(f.c.patch(path, {{"rating", 0}}, f.user.access_token));
  check_validation_error(
      f.c.patch(path, {{"text", std::string(2001, 'y')}}, f.user.access_token));
  CHECK(f.c.get(path).json().at("updated_at") == last);
}

// ---- TestDeleteReview -------------------------------------------------------

TEST_CASE("test_delete_own_review", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  auto path = fixture::review_path(id_of(created));
  REQUIRE_STATUS(f.c.del(path, f.user.access_token), 204);
  check_error(f.c.get(path), 404, "REVIEW_NOT_FOUND");
  // Gone everywhere: PATCH and DELETE too.
  check_error(f.c.patch(path, {{"rating", 3}}, f.user.access_token), 404,
              "REVIEW_NOT_FOUND");
  check_error(f.c.del(path, f.user.access_token), 404, "REVIEW_NOT_FOUND");
}

TEST_CASE("test_delete_excluded_from_list", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 5);
  CHECK(f.c.get(f.reviews_of(f.purchased_book)).json().at("total") == 1);
  REQUIRE_STATUS(
      f.c.del(fixture::review_path(id_of(created)), f.user.access_token), 204);
  auto resp = f.c.get(f.reviews_of(f.purchased_book));
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("total") == 0);
  CHECK(resp.json().at("items") == json::array());
}

TEST_CASE("test_delete_403_not_owner", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  check_error(
      f.c.del(fixture::review_path(id_of(created)), f.user2.access_token), 403,
      "NOT_REVIEW_OWNER");
  CHECK_STATUS(f.c.get(fixture::review_path(id_of(created))), 200);
}

TEST_CASE("test_delete_404_not_found", "[reviews]") {
  fixture f;
  check_error(f.c.del("/reviews/999999999", f.user.access_token), 404,
              "REVIEW_NOT_FOUND");
}

TEST_CASE("test_delete_401_unauthenticated", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  check_error(f.c.del(fixture::review_path(id_of(created))), 401,
              "AUTH_REQUIRED");
}

// ---- TestAdminModeration ----------------------------------------------------

TEST_CASE("test_admin_delete_any_review", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 1);
  CHECK_STATUS(f.c.del(fixture::review_path(id_of(created)), f.admin), 204);
}

TEST_CASE("test_admin_delete_then_list_excludes", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 3);
  CHECK(f.c.get(f.reviews_of(f.purchased_book)).json().at("total") == 1);
  REQUIRE_STATUS(f.c.del(fixture::review_path(id_of(created)), f.admin), 204);
  auto data = f.c.get(f.reviews_of(f.purchased_book)).json();
  CHECK(data.at("total") == 0);
  for (auto& item : data.at("items"))
    CHECK(id_of(item) != id_of(created));
}

TEST_CASE("test_admin_delete_get_returns_404", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 5);
  REQUIRE_STATUS(f.c.del(fixture::review_path(id_of(created)), f.admin), 204);
  check_error(f.c.get(fixture::review_path(id_of(created))), 404,
              "REVIEW_NOT_FOUND");
}
