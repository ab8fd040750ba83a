#include <catch2/catch.hpp>

#include <string>

#include "model/book.hpp"

using namespace bookstore::model;

namespace {

book valid_book() {
  book b;
  b.title = "Dune";
  b.author = "Frank Herbert";
  b.price = 1499;
  return b;
}

std::string repeat(const std::string& unit, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += unit;
  }
  return out;
}

void require_rejected(book b, const std::string& field) {
  const failure f = validate_new_book(b);
  CHECK(f.code == error_code::validation_error);
  CHECK(f.field == field);
  CHECK_FALSE(f.detail.empty());
}

const std::string emoji = "\xF0\x9F\x93\x9A";

} // namespace

TEST_CASE("a minimal book is valid", "[book]") {
  book b = valid_book();
  const failure f = validate_new_book(b);
  CHECK(f.code == error_code::none);
  CHECK(f.field.empty());
}

TEST_CASE("a fully filled book is valid", "[book]") {
  book b = valid_book();
  b.isbn = "978-0-306-40615-7";
  b.genre = 3;
  b.description = repeat("d", 5000);
  b.cover_image_url = repeat("u", 2048);
  b.publish_date = "2024-02-29";
  b.stock_quantity = max_stock;
  CHECK(validate_new_book(b).code == error_code::none);
}

TEST_CASE("title length is 1..500 code points", "[book]") {
  book b = valid_book();
  b.title = repeat("t", 500);
  CHECK(validate_new_book(b).code == error_code::none);
  // 500 emoji are 2000 bytes, still 500 characters.
  b.title = repeat(emoji, 500);
  CHECK(validate_new_book(b).code == error_code::none);

  b.title = repeat("t", 501);
  require_rejected(b, "title");
  b.title = repeat(emoji, 501);
  require_rejected(b, "title");
  b.title = "";
  require_rejected(b, "title");
  b.title = "bad \xC0\xAF utf8";
  require_rejected(b, "title");
}

TEST_CASE("author length is 1..255 code points", "[book]") {
  book b = valid_book();
  b.author = repeat("a", 255);
  CHECK(validate_new_book(b).code == error_code::none);
  b.author = repeat("a", 256);
  require_rejected(b, "author");
  b.author = "";
  require_rejected(b, "author");
  b.author = "\xED\xA0\x80";
  require_rejected(b, "author");
}

TEST_CASE("price is 0.01..1000000.00", "[book]") {
  book b = valid_book();
  b.price = 1;
  CHECK(validate_new_book(b).code == error_code::none);
  b.price = max_price;
  CHECK(validate_new_book(b).code == error_code::none);

  b.price = 0;
  require_rejected(b, "price");
  b.price = -1;
  require_rejected(b, "price");
  b.price = max_price + 1;
  require_rejected(b, "price");
}

TEST_CASE("isbn is checked and stored normalized", "[book]") {
  book b = valid_book();
  b.isbn = "0-8044-2957-x";
  REQUIRE(validate_new_book(b).code == error_code::none);
  CHECK(b.isbn == std::string("080442957X"));

  b.isbn = "978-0-306-40615-8";
  require_rejected(b, "isbn");
  b.isbn = "";
  require_rejected(b, "isbn");
}

TEST_CASE("the optional fields of a book are validated when present",
          "[book]") {
  book b = valid_book();
  SECTION("publish_date must be a real date") {
    b.publish_date = "2023-02-29";
    require_rejected(b, "publish_date");
    b.publish_date = "yesterday";
    require_rejected(b, "publish_date");
  }
  SECTION("description at most 5000 code points") {
    b.description = "";
    CHECK(validate_new_book(b).code == error_code::none);
    b.description = repeat("d", 5001);
    require_rejected(b, "description");
    b.description = "\xFF";
    require_rejected(b, "description");
  }
  SECTION("cover_image_url at most 2048 code points") {
    b.cover_image_url = repeat("u", 2049);
    require_rejected(b, "cover_image_url");
  }
  SECTION("stock is 0..2147483647") {
    b.stock_quantity = 0;
    CHECK(validate_new_book(b).code == error_code::none);
    b.stock_quantity = -1;
    require_rejected(b, "stock_quantity");
    b.stock_quantity = max_stock + 1;
    require_rejected(b, "stock_quantity");
  }
  SECTION("genre id is positive") {
    b.genre = 0;
    require_rejected(b, "genre_id");
    b.genre = -5;
    require_rejected(b, "genre_id");
  }
}

TEST_CASE("the first violation in field order is reported", "[book]") {
  book b = valid_book();
  b.title = "";
  b.price = 0;
  require_rejected(b, "title");
}

TEST_CASE("valid_stock accepts 0..max_stock only", "[book]") {
  CHECK(valid_stock(0));
  CHECK(valid_stock(max_stock));
  CHECK_FALSE(valid_stock(-1));
  CHECK_FALSE(valid_stock(max_stock + 1));
}

TEST_CASE("apply_patch changes only the fields sent", "[book][patch]") {
  book target = valid_book();
  target.id = 7;
  target.isbn = "0306406152";
  target.description = "old";
  target.stock_quantity = 12;

  book_patch patch;
  patch.price = 999;
  patch.isbn = std::string("978-0-306-40615-7");
  patch.description = std::optional<std::string>{}; // sets null
  patch.genre = std::optional<genre_id>{4};

  const failure f = apply_patch(target, patch);
  REQUIRE(f.code == error_code::none);
  CHECK(target.id == 7);
  CHECK(target.title == "Dune");
  CHECK(target.author == "Frank Herbert");
  CHECK(target.price == 999);
  CHECK(target.isbn == std::string("9780306406157"));
  CHECK_FALSE(target.description.has_value());
  CHECK(target.genre == genre_id{4});
  CHECK(target.stock_quantity == 12);
}

TEST_CASE("an empty patch changes nothing", "[book][patch]") {
  book target = valid_book();
  CHECK(apply_patch(target, book_patch{}).code == error_code::none);
  CHECK(target.title == "Dune");
  CHECK(target.price == 1499);
}

TEST_CASE("a rejected patch leaves the target unchanged", "[book][patch]") {
  book target = valid_book();
  target.isbn = "0306406152";

  book_patch patch;
  patch.title = std::string("New title"); // valid, but must not stick
  patch.isbn = std::string("0306406153"); // invalid checksum
  const failure f = apply_patch(target, patch);
  CHECK(f.code == error_code::validation_error);
  CHECK(f.field == "isbn");
  CHECK(target.title == "Dune");
  CHECK(target.isbn == std::string("0306406152"));

  book_patch price_patch;
  price_patch.price = max_price + 1;
  CHECK(apply_patch(target, price_patch).field == "price");
  CHECK(target.price == 1499);
}
