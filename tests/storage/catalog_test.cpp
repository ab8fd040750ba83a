// Genres and books: round trips, soft deletion, ISBN uniqueness, stock deltas.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

std::int64_t stock_of(storage::database& db, model::book_id id) {
  auto& stmt = conn_of(db).cached("SELECT stock_quantity FROM books"
                                  " WHERE id = ?");
  stmt.bind(1, id);
  REQUIRE(stmt.step() == storage::step_result::row);
  const auto stock = stmt.column_int(0);
  stmt.reset();
  return stock;
}

model::book full_book(model::genre_id genre) {
  model::book book = make_book("Dune", 1999, 12);
  book.author = "Frank Herbert";
  book.isbn = "9780441013593";
  book.genre = genre;
  book.description = "Spice.";
  book.cover_image_url = "https://example.com/dune.jpg";
  book.publish_date = "1965-08-01";
  return book;
}

void check_same(const model::book& a, const model::book& b) {
  CHECK(a.id == b.id);
  CHECK(a.title == b.title);
  CHECK(a.author == b.author);
  CHECK(a.price == b.price);
  CHECK(a.isbn == b.isbn);
  CHECK(a.genre == b.genre);
  CHECK(a.description == b.description);
  CHECK(a.cover_image_url == b.cover_image_url);
  CHECK(a.publish_date == b.publish_date);
  CHECK(a.stock_quantity == b.stock_quantity);
}

} // namespace

TEST_CASE("genres are unique in any case and listed by name", "[catalog]") {
  storage::database db(":memory:");
  const auto poetry = storage::insert_genre(db, "Poetry");
  const auto drama = storage::insert_genre(db, "drama");
  CHECK(poetry.id > 0);
  CHECK(drama.id != poetry.id);
  CHECK(kind_of([&] { storage::insert_genre(db, "POETRY"); })
        == failure_kind::unique);

  const auto genres = storage::list_genres(db);
  REQUIRE(genres.size() == 2);
  CHECK(genres[0].name == "drama");
  CHECK(genres[1].name == "Poetry");
  CHECK(storage::genre_exists(db, poetry.id));
  CHECK_FALSE(storage::genre_exists(db, poetry.id + drama.id + 100));
}

TEST_CASE("a book round-trips every field", "[catalog]") {
  storage::database db(":memory:");
  const auto genre = storage::insert_genre(db, "Science Fiction");

  SECTION("with every optional field set") {
    const auto inserted = storage::insert_book(db, full_book(genre.id));
    CHECK(inserted.id > 0);
    const auto found = storage::find_book(db, inserted.id);
    REQUIRE(found);
    check_same(*found, inserted);
  }
  SECTION("with every optional field null") {
    const auto inserted = storage::insert_book(db, make_book("Bare", 1));
    const auto found = storage::find_book(db, inserted.id);
    REQUIRE(found);
    check_same(*found, inserted);
    CHECK_FALSE(found->isbn);
    CHECK_FALSE(found->genre);
  }
  SECTION("unknown ids are not found") {
    CHECK_FALSE(storage::find_book(db, 12345));
  }
}

TEST_CASE("update_book writes every field but the stock", "[catalog]") {
  storage::database db(":memory:");
  const auto genre = storage::insert_genre(db, "Classics");
  auto book = storage::insert_book(db, full_book(genre.id));

  auto changed = book;
  changed.title = "Dune Messiah";
  changed.price = 2499;
  changed.isbn = std::nullopt;
  changed.genre = std::nullopt;
  changed.description = "More spice.";
  changed.stock_quantity = 999; // must be ignored
  storage::update_book(db, changed);

  const auto found = storage::find_book(db, book.id);
  REQUIRE(found);
  CHECK(found->title == "Dune Messiah");
  CHECK(found->price == 2499);
  CHECK_FALSE(found->isbn);
  CHECK_FALSE(found->genre);
  CHECK(found->description == "More spice.");
  CHECK(found->stock_quantity == 12);

  SECTION("bad values are rejected by the schema") {
    changed.price = 0;
    CHECK(kind_of([&] { storage::update_book(db, changed); })
          == failure_kind::check);
    changed.price = 100;
    changed.genre = 777;
    CHECK(kind_of([&] { storage::update_book(db, changed); })
          == failure_kind::foreign_key);
  }
}

TEST_CASE("insert_book rejects what the schema forbids", "[catalog]") {
  storage::database db(":memory:");
  auto book = make_book("Priceless", 0);
  CHECK(kind_of([&] { storage::insert_book(db, book); })
        == failure_kind::check);
  book.price = 100;
  book.genre = 42;
  CHECK(kind_of([&] { storage::insert_book(db, book); })
        == failure_kind::foreign_key);
  book.genre = std::nullopt;
  book.stock_quantity = -1;
  CHECK(kind_of([&] { storage::insert_book(db, book); })
        == failure_kind::check);
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM books") == 0);
}

TEST_CASE("deleting a book hides it but keeps its row", "[catalog]") {
  storage::database db(":memory:");
  const auto book = storage::insert_book(db, make_book("Ephemeral", 500, 3));
  const auto other = storage::insert_book(db, make_book("Stays", 500, 3));

  CHECK(storage::delete_book(db, book.id));
  CHECK_FALSE(storage::find_book(db, book.id));
  CHECK(storage::find_book(db, other.id));
  CHECK_FALSE(storage::delete_book(db, book.id)); // already deleted
  CHECK_FALSE(storage::delete_book(db, 99999));   // never existed
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM books") == 2);

  // A deleted book is no longer updated.
  auto changed = book;
  changed.title = "Revived";
  storage::update_book(db, changed);
  CHECK(query_text(conn_of(db), "SELECT title FROM books WHERE deleted = 1")
        == "Ephemeral");
}

TEST_CASE("an ISBN is unique among live books", "[catalog]") {
  storage::database db(":memory:");
  auto first = make_book("First", 100);
  first.isbn = "0306406152";
  first = storage::insert_book(db, first);

  auto second = make_book("Second", 100);
  second.isbn = "0306406152";
  CHECK(kind_of([&] { storage::insert_book(db, second); })
        == failure_kind::unique);

  // Books without an ISBN never collide.
  storage::insert_book(db, make_book("No ISBN 1", 100));
  storage::insert_book(db, make_book("No ISBN 2", 100));

  SECTION("an update to a taken ISBN is rejected too") {
    auto third = storage::insert_book(db, make_book("Third", 100));
    third.isbn = "0306406152";
    CHECK(kind_of([&] { storage::update_book(db, third); })
          == failure_kind::unique);
  }
  SECTION("a deleted book's ISBN can be used again") {
    REQUIRE(storage::delete_book(db, first.id));
    const auto reused = storage::insert_book(db, second);
    CHECK(storage::find_book(db, reused.id)->isbn == "0306406152");
  }
}

TEST_CASE("add_stock moves stock by a delta and never below zero",
          "[catalog]") {
  storage::database db(":memory:");
  const auto book = storage::insert_book(db, make_book("Stocked", 100, 5));
  storage::add_stock(db, book.id, 10);
  CHECK(stock_of(db, book.id) == 15);
  storage::add_stock(db, book.id, -15);
  CHECK(stock_of(db, book.id) == 0);
  storage::add_stock(db, book.id, 2);

  try {
    storage::add_stock(db, book.id, -3);
    FAIL("stock went below zero");
  } catch (const storage::error& e) {
    CHECK(e.kind() == failure_kind::check);
  }
  CHECK(stock_of(db, book.id) == 2);
}

TEST_CASE("add_stock is a delta: two connections never overwrite each other",
          "[catalog]") {
  temp_file file;
  storage::database first(file.str());
  storage::database second(file.str());
  const auto book = storage::insert_book(first, make_book("Shared", 100, 10));
  storage::add_stock(first, book.id, 5);
  storage::add_stock(second, book.id, -3);
  storage::add_stock(first, book.id, 1);
  CHECK(storage::find_book(second, book.id)->stock_quantity == 13);
}

TEST_CASE("strings are stored verbatim and never run as SQL", "[catalog]") {
  storage::database db(":memory:");
  const std::string injection = "'; DROP TABLE books; --";
  const std::string quotes = R"(O'Brien "the \ bard")";
  const std::string unicode = "📚 Café – 100% _done_ ? ?1 :name";
  const std::string multiline = "line one\nline two\ttab\r\n";

  auto book = make_book(injection, 100);
  book.author = quotes;
  book.description = unicode;
  book.cover_image_url = multiline;
  book = storage::insert_book(db, book);

  const auto found = storage::find_book(db, book.id);
  REQUIRE(found);
  CHECK(found->title == injection);
  CHECK(found->author == quotes);
  CHECK(found->description == unicode);
  CHECK(found->cover_image_url == multiline);
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM books") == 1);

  const auto genre = storage::insert_genre(db, injection);
  CHECK(storage::list_genres(db).front().name == injection);
  CHECK(storage::genre_exists(db, genre.id));

  const auto user =
      storage::insert_user(db, quotes + "@example.com", unicode, "user");
  const auto again = storage::find_user_by_email(db, quotes + "@example.com");
  REQUIRE(again);
  CHECK(again->id == user.id);
  CHECK(again->password_hash == unicode);
  // `%` and `_` are not wildcards here.
  CHECK_FALSE(storage::find_user_by_email(db, "%@example.com"));
}
