// The review tests of the original backend (backend/tests/test_reviews.py),
// each named for what it checks, plus API.md's rules where the contract adds
// to them (one review per user and book for good, updated_at moves on every
// PATCH).

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

// ---- POST /books/{id}/reviews ----------------------------------------------

TEST_CASE("a buyer's review answers 201 as a verified purchase with its author",
          "[reviews]") {
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

TEST_CASE("a review may be a rating without text", "[reviews]") {
  fixture f;
  auto resp = f.c.post(f.reviews_of(f.purchased_book), {{"rating", 3}},
                       f.user.access_token);
  REQUIRE_STATUS(resp, 201);
  CHECK(resp.json().at("rating") == 3);
  CHECK(resp.json().at("text").is_null());
}

TEST_CASE("reviewing a book not bought is 403 NOT_PURCHASED", "[reviews]") {
  fixture f;
  auto resp =
      f.c.post(f.reviews_of(f.sample_book),
               {{"rating", 4}, {"text", "Good book"}}, f.user.access_token);
  check_error(resp, 403, "NOT_PURCHASED");
  CHECK(resp.json().value("field", "") == "book_id");
}

TEST_CASE(
    "a second review of one book is 409 DUPLICATE_REVIEW naming the first",
    "[reviews]") {
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

TEST_CASE("reviewing an unknown book is 404 BOOK_NOT_FOUND", "[reviews]") {
  fixture f;
  check_error(f.c.post("/books/999999999/reviews",
                       {{"rating", 4}, {"text", "Test"}}, f.user.access_token),
              404, "BOOK_NOT_FOUND");
}

TEST_CASE("a rating of 0 is 422 on rating", "[reviews]") {
  fixture f;
  auto resp =
      f.c.post(f.reviews_of(f.purchased_book),
               {{"rating", 0}, {"text", "Bad rating"}}, f.user.access_token);
  check_validation_error(resp);
  CHECK(validation_mentions(resp, "rating"));
}

TEST_CASE("a rating of 6 is 422", "[reviews]") {
  fixture f;
  check_validation_error(f.c.post(f.reviews_of(f.purchased_book),
                                  {{"rating", 6}, {"text", "Too high rating"}},
                                  f.user.access_token));
}

TEST_CASE("review text is at most 2000 code points", "[reviews]") {
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

TEST_CASE("reviewing without a token is 401", "[reviews]") {
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

// ---- GET /books/{id}/reviews -----------------------------------------------

TEST_CASE("a book's reviews list newest first in pages", "[reviews]") {
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

TEST_CASE("a book without reviews and an unknown book list none", "[reviews]") {
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

TEST_CASE("anyone lists a book's reviews without a token", "[reviews]") {
  fixture f;
  create_review(f.c, f.user.access_token, f.purchased_book);
  CHECK_STATUS(f.c.get(f.reviews_of(f.purchased_book)), 200);
}

TEST_CASE("listed reviews carry verified_purchase", "[reviews]") {
  fixture f;
  create_review(f.c, f.user.access_token, f.purchased_book, 4);
  auto resp = f.c.get(f.reviews_of(f.purchased_book));
  REQUIRE_STATUS(resp, 200);
  REQUIRE(resp.json().at("items").size() == 1);
  CHECK(resp.json()["items"][0].at("verified_purchase") == true);
}

TEST_CASE("page and size cut a book's reviews into pages and are validated",
          "[reviews]") {
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

// ---- GET /reviews/{id} -----------------------------------------------------

TEST_CASE("a review read by id equals the created one", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  auto resp = f.c.get(fixture::review_path(id_of(created)));
  REQUIRE_STATUS(resp, 200);
  auto data = resp.json();
  check_review_shape(data);
  CHECK(data == created);
  CHECK(data.at("verified_purchase") == true);
}

TEST_CASE("reading an unknown review is 404 REVIEW_NOT_FOUND", "[reviews]") {
  fixture f;
  check_error(f.c.get("/reviews/999999999"), 404, "REVIEW_NOT_FOUND");
}

// ---- PATCH /reviews/{id} ---------------------------------------------------

TEST_CASE("patching the rating keeps the text", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 3,
                               "Original text");
  auto resp = f.c.patch(fixture::review_path(id_of(created)), {{"rating", 5}},
                        f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("rating") == 5);
  CHECK(resp.json().at("text") == "Original text");
}

TEST_CASE("patching the text or a null rating keeps the rating", "[reviews]") {
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

TEST_CASE("patching rating and text changes both", "[reviews]") {
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

TEST_CASE("patching the text to null clears it", "[reviews]") {
  fixture f;
  auto created =
      create_review(f.c, f.user.access_token, f.purchased_book, 4, "Some text");
  auto resp = f.c.patch(fixture::review_path(id_of(created)),
                        {{"text", nullptr}}, f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("text").is_null());
  CHECK(resp.json().at("rating") == 4);
}

TEST_CASE("a patched review still carries verified_purchase", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 3);
  auto resp = f.c.patch(fixture::review_path(id_of(created)), {{"rating", 4}},
                        f.user.access_token);
  REQUIRE_STATUS(resp, 200);
  CHECK(resp.json().at("verified_purchase") == true);
}

TEST_CASE("patching another's review is 403 NOT_REVIEW_OWNER even for an admin",
          "[reviews]") {
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

TEST_CASE("patching an unknown review is 404 REVIEW_NOT_FOUND", "[reviews]") {
  fixture f;
  check_error(
      f.c.patch("/reviews/999999999", {{"rating", 3}}, f.user.access_token),
      404, "REVIEW_NOT_FOUND");
}

TEST_CASE("patching a review without a token is 401", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  check_error(f.c.patch(fixture::review_path(id_of(created)), {{"rating", 5}}),
              401, "AUTH_REQUIRED");
}

TEST_CASE("a patched review reads back changed", "[reviews]") {
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

TEST_CASE("updated_at moves on every successful PATCH while created_at stays",
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

// ---- DELETE /reviews/{id} by the author ------------------------------------

TEST_CASE("an author deletes their review and it is 404 on every route",
          "[reviews]") {
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

TEST_CASE("a deleted review leaves the book's list", "[reviews]") {
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

TEST_CASE("deleting another user's review is 403 NOT_REVIEW_OWNER",
          "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  check_error(
      f.c.del(fixture::review_path(id_of(created)), f.user2.access_token), 403,
      "NOT_REVIEW_OWNER");
  CHECK_STATUS(f.c.get(fixture::review_path(id_of(created))), 200);
}

TEST_CASE("deleting an unknown review is 404 REVIEW_NOT_FOUND", "[reviews]") {
  fixture f;
  check_error(f.c.del("/reviews/999999999", f.user.access_token), 404,
              "REVIEW_NOT_FOUND");
}

TEST_CASE("deleting a review without a token is 401", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 4);
  check_error(f.c.del(fixture::review_path(id_of(created))), 401,
              "AUTH_REQUIRED");
}

// ---- DELETE /reviews/{id} by an admin --------------------------------------

TEST_CASE("an admin deletes any user's review", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 1);
  CHECK_STATUS(f.c.del(fixture::review_path(id_of(created)), f.admin), 204);
}

TEST_CASE("a review an admin deleted leaves the book's list", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 3);
  CHECK(f.c.get(f.reviews_of(f.purchased_book)).json().at("total") == 1);
  REQUIRE_STATUS(f.c.del(fixture::review_path(id_of(created)), f.admin), 204);
  auto data = f.c.get(f.reviews_of(f.purchased_book)).json();
  CHECK(data.at("total") == 0);
  for (auto& item : data.at("items"))
    CHECK(id_of(item) != id_of(created));
}

TEST_CASE("a review an admin deleted is 404 when read", "[reviews]") {
  fixture f;
  auto created = create_review(f.c, f.user.access_token, f.purchased_book, 5);
  REQUIRE_STATUS(f.c.del(fixture::review_path(id_of(created)), f.admin), 204);
  check_error(f.c.get(fixture::review_path(id_of(created))), 404,
              "REVIEW_NOT_FOUND");
}
