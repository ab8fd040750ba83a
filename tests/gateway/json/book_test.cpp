// POST /books, PUT /books/{id}, PATCH /books/{id}/stock and POST /genres.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "helpers.hpp"

namespace bj = bookstore::json;
using bj::testing::describe;
using bj::testing::failed;
using bj::testing::has_error;
using bj::testing::only_error;
using bj::testing::repeat;
using nlohmann::json;

namespace {

json minimal() {
  return {{"title", "Dune"}, {"author", "Frank Herbert"}, {"price", "15.99"}};
}

bj::decoded<bookstore::model::book> new_book(const json& body) {
  return bj::decode_new_book(body.dump());
}

// The single error of a new book that is `minimal()` plus `name: value`.
bool rejects(const char* name, const json& value, const char* type) {
  auto body = minimal();
  body[name] = value;
  const auto result = new_book(body);
  INFO(body.dump() << " -> " << describe(result.errors));
  return failed(result) && only_error(result.errors, json{"body", name}, type);
}

} // namespace

TEST_CASE("a new book needs title and author and price only", "[json][book]") {
  const auto result = new_book(minimal());
  REQUIRE(result.ok());
  const auto& book = *result.value;
  CHECK(book.id == 0);
  CHECK(book.title == "Dune");
  CHECK(book.author == "Frank Herbert");
  CHECK(book.price == 1599);
  CHECK_FALSE(book.isbn);
  CHECK_FALSE(book.genre);
  CHECK_FALSE(book.description);
  CHECK_FALSE(book.cover_image_url);
  CHECK_FALSE(book.publish_date);
  CHECK(book.stock_quantity == 0);
}

TEST_CASE("a new book takes every optional field", "[json][book]") {
  auto body = minimal();
  body["isbn"] = "978-0-306-40615-7";
  body["genre_id"] = 3;
  body["description"] = "Spice.";
  body["cover_image_url"] = "https://example.com/dune.jpg";
  body["publish_date"] = "1965-08-01";
  body["stock_quantity"] = 50; // not settable here: new books have stock 0
  body["avg_rating"] = 5;      // unknown: ignored
  const auto result = new_book(body);
  REQUIRE(result.ok());
  const auto& book = *result.value;
  CHECK(book.isbn == "9780306406157"); // normalized
  CHECK(book.genre == 3);
  CHECK(book.description == "Spice.");
  CHECK(book.cover_image_url == "https://example.com/dune.jpg");
  CHECK(book.publish_date == "1965-08-01");
  CHECK(book.stock_quantity == 0);
}

TEST_CASE("nullable fields accept null and a blank ISBN is none",
          "[json][book]") {
  auto body = minimal();
  for (const char* name :
       {"isbn", "genre_id", "description", "cover_image_url", "publish_date"}) {
    body[name] = nullptr;
  }
  const auto result = new_book(body);
  REQUIRE(result.ok());
  CHECK_FALSE(result.value->isbn);
  CHECK_FALSE(result.value->genre);

  for (const char* blank : {"", "   ", "\t"}) {
    body = minimal();
    body["isbn"] = blank;
    const auto blank_isbn = new_book(body);
    REQUIRE(blank_isbn.ok());
    CHECK_FALSE(blank_isbn.value->isbn);
  }
  body = minimal();
  body["isbn"] = "0 306 40615 2";
  CHECK(new_book(body).value->isbn == "0306406152");
  body["isbn"] = "080442957x";
  CHECK(new_book(body).value->isbn == "080442957X");
}

TEST_CASE("a new book's strings decode verbatim with spaces and NUL kept",
          "[json][book]") {
  const std::string title = R"(Robert'); DROP TABLE books;-- "100%" 🚀 _x_)";
  auto body = minimal();
  body["title"] = title;
  body["author"] = " spaced  author ";
  body["description"] = std::string("nul\0inside", 10);
  const auto result = new_book(body);
  REQUIRE(result.ok());
  CHECK(result.value->title == title);
  CHECK(result.value->author == " spaced  author ");
  CHECK(result.value->description == std::string("nul\0inside", 10));
}

TEST_CASE("title and author and price are required", "[json][book]") {
  const auto result = bj::decode_new_book("{}");
  REQUIRE(failed(result));
  INFO(describe(result.errors));
  CHECK(result.errors.size() == 3);
  CHECK(has_error(result.errors, json{"body", "title"}, "missing"));
  CHECK(has_error(result.errors, json{"body", "author"}, "missing"));
  CHECK(has_error(result.errors, json{"body", "price"}, "missing"));

  const auto two =
      new_book({{"title", ""}, {"author", "A"}, {"price", "1.001"}});
  CHECK(two.errors.size() == 2);
  CHECK(has_error(two.errors, json{"body", "title"}, "string_too_short"));
  CHECK(has_error(two.errors, json{"body", "price"}, "decimal_max_places"));
}

TEST_CASE("book fields are range and type checked", "[json][book]") {
  CHECK(rejects("title", "", "string_too_short"));
  CHECK(rejects("title", repeat("t", 501), "string_too_long"));
  CHECK(rejects("title", 42, "string_type"));
  CHECK(rejects("title", nullptr, "string_type"));
  CHECK(rejects("author", "", "string_too_short"));
  CHECK(rejects("author", repeat("a", 256), "string_too_long"));
  CHECK(rejects("author", json::array(), "string_type"));
  CHECK(rejects("isbn", "9780306406158", "value_error")); // bad checksum
  CHECK(rejects("isbn", "12345", "value_error"));
  CHECK(rejects("isbn", 9780306406157, "string_type"));
  CHECK(rejects("genre_id", 0, "greater_than_equal"));
  CHECK(rejects("genre_id", -3, "greater_than_equal"));
  CHECK(rejects("genre_id", "3", "int_type"));
  CHECK(rejects("genre_id", 3.0, "int_type"));
  CHECK(rejects("genre_id", 3.5, "int_from_float"));
  CHECK(rejects("genre_id", true, "int_type"));
  CHECK(rejects("description", repeat("d", 5001), "string_too_long"));
  CHECK(rejects("description", 7, "string_type"));
  CHECK(rejects("cover_image_url", repeat("u", 2049), "string_too_long"));
  CHECK(rejects("publish_date", "2024-02-30", "date_parsing"));
  CHECK(rejects("publish_date", "1965-8-1", "date_parsing"));
  CHECK(rejects("publish_date", "1965-08-01T00:00:00Z", "date_parsing"));
  CHECK(rejects("publish_date", 19650801, "date_type"));
}

TEST_CASE("length limits count code points", "[json][book]") {
  auto body = minimal();
  body["title"] = repeat("\xF0\x9F\x93\x9A", 500); // 2000 bytes
  body["author"] = repeat("\xC3\xA9", 255);
  body["description"] = repeat("d", 5000);
  body["cover_image_url"] = repeat("u", 2048);
  CHECK(new_book(body).ok());
  CHECK(rejects("title", repeat("\xF0\x9F\x93\x9A", 501), "string_too_long"));
  CHECK(rejects("title", repeat("x", 1 << 20), "string_too_long"));
}

TEST_CASE("a patch holds only the members sent", "[json][book]") {
  const auto empty = bj::decode_book_patch("{}");
  REQUIRE(empty.ok());
  const auto& none = *empty.value;
  CHECK_FALSE(none.title);
  CHECK_FALSE(none.author);
  CHECK_FALSE(none.price);
  CHECK_FALSE(none.isbn);
  CHECK_FALSE(none.genre);
  CHECK_FALSE(none.description);
  CHECK_FALSE(none.cover_image_url);
  CHECK_FALSE(none.publish_date);

  const auto some =
      bj::decode_book_patch(R"({"title": "Updated Title", "price": "14.99"})");
  REQUIRE(some.ok());
  CHECK(some.value->title == "Updated Title");
  CHECK(some.value->price == 1499);
  CHECK_FALSE(some.value->author);
  CHECK_FALSE(some.value->isbn);
}

TEST_CASE("a patch clears nullable fields with null", "[json][book]") {
  const auto result = bj::decode_book_patch(
      R"({"isbn": null, "genre_id": null, "description": null,
          "cover_image_url": null, "publish_date": null})");
  REQUIRE(result.ok());
  const auto& patch = *result.value;
  REQUIRE(patch.isbn);
  CHECK_FALSE(*patch.isbn);
  REQUIRE(patch.genre);
  CHECK_FALSE(*patch.genre);
  REQUIRE(patch.description);
  CHECK_FALSE(*patch.description);
  REQUIRE(patch.cover_image_url);
  CHECK_FALSE(*patch.cover_image_url);
  REQUIRE(patch.publish_date);
  CHECK_FALSE(*patch.publish_date);

  const auto blank = bj::decode_book_patch(R"({"isbn": " "})");
  REQUIRE(blank.ok());
  REQUIRE(blank.value->isbn);
  CHECK_FALSE(*blank.value->isbn);
}

TEST_CASE("a patch sets values with the same rules", "[json][book]") {
  const auto result = bj::decode_book_patch(
      R"({"author": "B", "isbn": "0-306-40615-2", "genre_id": 4,
          "description": "", "cover_image_url": "c", "publish_date": "2000-02-29"})");
  REQUIRE(result.ok());
  const auto& patch = *result.value;
  CHECK(patch.author == "B");
  CHECK(patch.isbn == std::optional<std::string>("0306406152"));
  CHECK(patch.genre == std::optional<std::int64_t>(4));
  CHECK(patch.description == std::optional<std::string>(""));
  CHECK(patch.cover_image_url == std::optional<std::string>("c"));
  CHECK(patch.publish_date == std::optional<std::string>("2000-02-29"));
}

TEST_CASE("a patch refuses null or bad values", "[json][book]") {
  CHECK(only_error(bj::decode_book_patch(R"({"title": null})").errors,
                   json{"body", "title"}, "string_type"));
  CHECK(only_error(bj::decode_book_patch(R"({"author": null})").errors,
                   json{"body", "author"}, "string_type"));
  CHECK(only_error(bj::decode_book_patch(R"({"title": ""})").errors,
                   json{"body", "title"}, "string_too_short"));
  CHECK(only_error(bj::decode_book_patch(R"({"isbn": "9780306406158"})").errors,
                   json{"body", "isbn"}, "value_error"));
  CHECK(only_error(bj::decode_book_patch(R"({"genre_id": 0})").errors,
                   json{"body", "genre_id"}, "greater_than_equal"));
  CHECK(only_error(
      bj::decode_book_patch(R"({"publish_date": "2001-02-29"})").errors,
      json{"body", "publish_date"}, "date_parsing"));
  const auto two = bj::decode_book_patch(R"({"title": 1, "price": true})");
  CHECK(failed(two));
  CHECK(two.errors.size() == 2);
  CHECK(failed(bj::decode_book_patch("[]")));
  CHECK(failed(bj::decode_book_patch("")));
}

TEST_CASE("stock is an integer 0..2147483647", "[json][book]") {
  CHECK(bj::decode_stock(R"({"quantity": 0})").value == 0);
  CHECK(bj::decode_stock(R"({"quantity": 25})").value == 25);
  CHECK(bj::decode_stock(R"({"quantity": 2147483647})").value == 2147483647);
  const auto at = json{"body", "quantity"};
  CHECK(only_error(bj::decode_stock(R"({"quantity": 2147483648})").errors, at,
                   "less_than_equal"));
  CHECK(only_error(bj::decode_stock(R"({"quantity": -1})").errors, at,
                   "greater_than_equal"));
  CHECK(only_error(
      bj::decode_stock(R"({"quantity": 18446744073709551615})").errors, at,
      "less_than_equal"));
  CHECK(only_error(
      bj::decode_stock(R"({"quantity": -9223372036854775808})").errors, at,
      "greater_than_equal"));
  CHECK(only_error(bj::decode_stock(R"({"quantity": 5.0})").errors, at,
                   "int_type"));
  CHECK(only_error(bj::decode_stock(R"({"quantity": "5"})").errors, at,
                   "int_type"));
  CHECK(only_error(bj::decode_stock(R"({"quantity": false})").errors, at,
                   "int_type"));
  CHECK(only_error(bj::decode_stock(R"({"quantity": null})").errors, at,
                   "int_type"));
  CHECK(only_error(bj::decode_stock(R"({"quantity": 1e2})").errors, at,
                   "int_type"));
  // Beyond double range the parser refuses the whole body.
  CHECK(bj::decode_stock(R"({"quantity": 1e400})").errors.at(0).type
        == "json_invalid");
  CHECK(only_error(bj::decode_stock(R"({"qty": 5})").errors, at, "missing"));
  CHECK(bj::decode_stock(R"({"quantity": 2147483648})").errors[0].msg
        == "Input should be less than or equal to 2147483647");
  CHECK(bj::decode_stock(R"({"quantity": -1})").errors[0].msg
        == "Input should be greater than or equal to 0");
}

TEST_CASE("a genre name is 1..100 characters kept as sent", "[json][book]") {
  CHECK(bj::decode_genre(R"({"name": "Science Fiction"})").value
        == "Science Fiction");
  CHECK(bj::decode_genre(R"({"name": " padded "})").value == " padded ");
  CHECK(bj::decode_genre(json{{"name", repeat("\xC3\xA9", 100)}}.dump()).ok());
  const auto at = json{"body", "name"};
  CHECK(only_error(bj::decode_genre(R"({"name": ""})").errors, at,
                   "string_too_short"));
  CHECK(only_error(
      bj::decode_genre(json{{"name", repeat("g", 101)}}.dump()).errors, at,
      "string_too_long"));
  CHECK(
      only_error(bj::decode_genre(R"({"name": 5})").errors, at, "string_type"));
  CHECK(only_error(bj::decode_genre(R"({"name": null})").errors, at,
                   "string_type"));
  CHECK(only_error(bj::decode_genre("{}").errors, at, "missing"));
  CHECK(bj::decode_genre(R"({"name": ""})").errors[0].msg
        == "String should have at least 1 character");
  CHECK(bj::decode_genre(json{{"name", repeat("g", 101)}}.dump()).errors[0].msg
        == "String should have at most 100 characters");
}
