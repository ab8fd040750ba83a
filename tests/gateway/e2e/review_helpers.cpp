#include "review_helpers.hpp"

namespace e2e {

void buy(http_client& c, const std::string& token, std::int64_t book_id) {
  add_to_cart(c, token, book_id, 1);
  REQUIRE_STATUS(checkout(c, token), 201);
}

json bought_book(http_client& c, const std::string& admin,
                 const std::string& token) {
  auto book = stocked_book(c, admin, 10, "14.99");
  buy(c, token, book.at("id").get<std::int64_t>());
  return book;
}

json create_review(http_client& c, const std::string& token,
                   std::int64_t book_id, int rating,
                   std::optional<std::string> text) {
  json body = {{"rating", rating}};
  if (text)
    body["text"] = *text;
  auto r =
      c.post("/books/" + std::to_string(book_id) + "/reviews", body, token);
  REQUIRE_STATUS(r, 201);
  return r.json();
}

void check_review_shape(const json& review) {
  INFO("review: " << review.dump());
  CHECK(keys_of(review)
        == std::set<std::string>{"id", "book_id", "user_id", "rating", "text",
                                 "verified_purchase", "created_at",
                                 "updated_at", "author", "book"});
  CHECK(review.value("id", json{}).is_number_integer());
  CHECK(review.value("rating", json{}).is_number_integer());
  CHECK((review.value("text", json{}).is_null()
         || review.value("text", json{}).is_string()));
  CHECK(review.value("verified_purchase", json{}).is_boolean());
  CHECK(is_utc_timestamp(review.value("created_at", json{})));
  CHECK(is_utc_timestamp(review.value("updated_at", json{})));
  auto author = review.value("author", json::object());
  CHECK(keys_of(author)
        == std::set<std::string>{"user_id", "display_name", "avatar_url"});
  CHECK(author.value("avatar_url", json(1)).is_null());
  CHECK(author.value("user_id", json{}) == review.value("user_id", json{}));
  auto book = review.value("book", json::object());
  CHECK(keys_of(book)
        == std::set<std::string>{"book_id", "title", "cover_image_url"});
  CHECK(book.value("book_id", json{}) == review.value("book_id", json{}));
}

json book_detail(http_client& c, std::int64_t book_id) {
  auto r = c.get("/books/" + std::to_string(book_id));
  REQUIRE_STATUS(r, 200);
  return r.json();
}

} // namespace e2e
