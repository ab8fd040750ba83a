// Catalog search (search_books): word-prefix q, filters, sorts, pages, and
// the FTS index kept in step with books.

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storage/fts_query.hpp"
#include "storage/queries.hpp"
#include "storage/sqlite.hpp"

using namespace storage_test;
using storage::book_query;
using storage::book_sort;
using namespace std::string_literals;

namespace {

struct search_fixture {
  storage::database db{":memory:"};

  model::book_id add(std::string title, std::string author,
                     model::cents price = 1000) {
    auto book = make_book(std::move(title), price);
    book.author = std::move(author);
    return storage::insert_book(db, book).id;
  }

  storage::book_page search(const book_query& query) {
    return storage::search_books(db, query);
  }

  std::vector<model::book_id> ids(const book_query& query) {
    std::vector<model::book_id> result;
    for (const auto& book : search(query).items)
      result.push_back(book.id);
    return result;
  }

  std::vector<model::book_id> ids_for_q(std::string q) {
    book_query query;
    query.q = std::move(q);
    return ids(query);
  }

  std::vector<model::book_id> ids_for_author(std::string author) {
    book_query query;
    query.author = std::move(author);
    return ids(query);
  }

  void set_text(const char* sql, const std::string& value, model::book_id id) {
    conn_of(db).prepare(sql).bind(1, value).bind(2, id).run();
  }
};

using ids_t = std::vector<model::book_id>;

} // namespace

TEST_CASE_METHOD(search_fixture, "q matches word prefixes of title and author",
                 "[queries][search]") {
  const auto dune = add("Dune", "Frank Herbert");
  const auto messiah = add("Dune Messiah", "Frank Herbert");
  const auto emma = add("Emma", "Jane Austen");
  const auto rebecca = add("Rebecca", "Daphne du Maurier");

  CHECK(ids_for_q("du") == ids_t{dune, messiah, rebecca});
  CHECK(ids_for_q("dun") == ids_t{dune, messiah});
  CHECK(ids_for_q("dun mess") == ids_t{messiah});
  CHECK(ids_for_q("  mess \t dun  ") == ids_t{messiah}); // any order, blanks
  CHECK(ids_for_q("une").empty());                       // not a prefix
  CHECK(ids_for_q("ssiah").empty());
  CHECK(ids_for_q("dunes").empty()); // longer than the word
  CHECK(ids_for_q("DUNE") == ids_t{dune, messiah});
  CHECK(ids_for_q("dUnE mEsSiAh") == ids_t{messiah});
  CHECK(ids_for_q("herb") == ids_t{dune, messiah});         // author words too
  CHECK(ids_for_q("dune herbert") == ids_t{dune, messiah}); // across fields
  CHECK(ids_for_q("emma austen") == ids_t{emma});
  CHECK(ids_for_q("emma herbert").empty()); // every word must match
  CHECK(search(book_query{}).total == 4);   // no q: everything
}

TEST_CASE_METHOD(search_fixture, "q folds case beyond ASCII",
                 "[queries][search]") {
  const auto cafe = add("Café Société", "Émile Zola");
  CHECK(ids_for_q("SOCIÉ") == ids_t{cafe});
  CHECK(ids_for_q("émile") == ids_t{cafe});
  CHECK(ids_for_q("ÉMILE café") == ids_t{cafe});
  // Diacritics are kept: a word matches only what it spells.
  CHECK(ids_for_q("emile").empty());
}

TEST_CASE_METHOD(search_fixture,
                 "punctuation inside a word is split as in the index",
                 "[queries][search]") {
  const auto sartre = add("Jean-Paul Sartre: A Life", "O'Brien");
  const auto cpp = add("C++ Primer", "Lippman");
  CHECK(ids_for_q("jean-paul") == ids_t{sartre});
  CHECK(ids_for_q("jean-pa") == ids_t{sartre});
  CHECK(ids_for_q("o'brien") == ids_t{sartre});
  CHECK(ids_for_q("sartre:") == ids_t{sartre});
  CHECK(ids_for_q("c++") == ids_t{cpp});
}

TEST_CASE_METHOD(search_fixture, "q input never breaks the query",
                 "[queries][search]") {
  const auto dune = add("Dune", "Frank Herbert");
  const auto andromeda = add("The Andromeda Strain", "Michael Crichton");
  const auto notes = add("Notes on \"Dune\"", "Critic");
  const auto smile = add("Smile 🙂 Please", "Emoji Author");
  const ids_t all{dune, andromeda, notes, smile};

  // FTS5 operators and syntax are plain words here.
  CHECK(ids_for_q("and") == ids_t{andromeda});
  CHECK(ids_for_q("NOT dune") == ids_t{notes}); // "Notes", not NOT
  CHECK(ids_for_q("dune OR andromeda").empty());
  CHECK(ids_for_q("title:dune").empty());         // no word starts with "title"
  CHECK(ids_for_q("NEAR(dune herbert)").empty()); // "near dune"*, "herbert"*
  CHECK(ids_for_q("dune*") == ids_t{dune, notes});
  CHECK(ids_for_q("^dune") == ids_t{dune, notes});
  CHECK(ids_for_q("\"dune\"") == ids_t{dune, notes});
  CHECK(ids_for_q("du\"ne") == ids_t{});
  CHECK(ids_for_q("\"notes on") == ids_t{notes});
  CHECK(ids_for_q("'; DROP TABLE books; --").empty()); // "drop", "table"...
  CHECK(search(book_query{}).total == 4);              // books still there
  // The index's tokenizer (SQLite 3.40 unicode61) takes this emoji for a
  // word of its own, so it is searched like one.
  CHECK(ids_for_q("smile 🙂") == ids_t{smile});
  CHECK(ids_for_q("🙂") == ids_t{smile});
  CHECK(ids_for_q("dune 🙂").empty());

  // Words the tokenizer finds nothing in (punctuation, symbols) are dropped;
  // with none left, q is treated as absent, as the original does.
  CHECK(ids_for_q("dune !!! -- — … € «»") == ids_t{dune, notes});
  CHECK(ids_for_q("!!!") == all);
  CHECK(ids_for_q("\"") == all);
  CHECK(ids_for_q("★ →") == all);
  CHECK(ids_for_q("* - ( ) : ^ + \"\"") == all);
  CHECK(ids_for_q("   ") == all);

  // NUL is a blank; a stray byte that is not UTF-8 is no error.
  CHECK(ids_for_q("dune\0herbert"s) == ids_t{dune});
  CHECK_NOTHROW(ids_for_q("\xff\xfe dune"));
}

TEST_CASE("the MATCH expression quotes every word", "[queries][search]") {
  storage::database db(":memory:");
  auto& conn = conn_of(db);
  CHECK(storage::fts_match_expression(conn, "du") == "\"du\"*");
  CHECK(storage::fts_match_expression(conn, " dun  mess ")
        == "\"dun\"* AND \"mess\"*");
  CHECK(storage::fts_match_expression(conn, "du\"ne") == "\"du\"\"ne\"*");
  CHECK(storage::fts_match_expression(conn, "a !!! b") == "\"a\"* AND \"b\"*");
  CHECK_FALSE(storage::fts_match_expression(conn, ""));
  CHECK_FALSE(storage::fts_match_expression(conn, " \t\n"));
  CHECK_FALSE(storage::fts_match_expression(conn, "!!! — \"\""));
  CHECK(storage::fts_match_expression(conn, "-- 🙂") == "\"🙂\"*");
}

TEST_CASE_METHOD(search_fixture,
                 "author is a case-insensitive substring with % and _ literal",
                 "[queries][search]") {
  const auto herbert = add("Dune", "Frank Herbert");
  const auto percent = add("Sure", "100% Real");
  const auto underscore = add("Under", "A_B");
  const auto axb = add("Axb", "AxB");
  const auto backslash = add("Slash", "Back\\slash");
  const auto quote = add("Quote", "O'Brien");

  CHECK(ids_for_author("erber") == ids_t{herbert});
  CHECK(ids_for_author("FRANK HERBERT") == ids_t{herbert});
  CHECK(ids_for_author("%") == ids_t{percent});
  CHECK(ids_for_author("0% r") == ids_t{percent});
  CHECK(ids_for_author("_") == ids_t{underscore});
  CHECK(ids_for_author("a_b") == ids_t{underscore}); // not AxB
  CHECK(ids_for_author("axb") == ids_t{axb});
  CHECK(ids_for_author("\\") == ids_t{backslash});
  CHECK(ids_for_author("o'b") == ids_t{quote});
  CHECK(ids_for_author("' OR '1'='1").empty());
  CHECK(ids_for_author("Herbert Frank").empty());
  CHECK(ids_for_author("").size() == 6); // empty: no filter
}

TEST_CASE_METHOD(search_fixture, "price range is inclusive and genre exact",
                 "[queries][search]") {
  const auto fiction = storage::insert_genre(db, "Fiction").id;
  const auto poetry = storage::insert_genre(db, "Poetry").id;
  auto with_genre = [&](std::string title, model::cents price,
                        model::genre_id genre) {
    auto book = make_book(std::move(title), price);
    book.genre = genre;
    return storage::insert_book(db, book).id;
  };
  const auto p999 = with_genre("A", 999, fiction);
  const auto p1000 = with_genre("B", 1000, poetry);
  const auto p1500 = with_genre("C", 1500, fiction);
  const auto p2000 = with_genre("D", 2000, fiction);
  const auto p2001 = with_genre("E", 2001, poetry);
  const auto none = add("F", "No Genre", 1500);

  book_query query;
  query.min_price = 1000;
  query.max_price = 2000;
  CHECK(ids(query) == ids_t{p1000, p1500, p2000, none});
  query.max_price.reset();
  CHECK(ids(query) == ids_t{p1000, p1500, p2000, p2001, none});
  query.min_price.reset();
  query.max_price = 999;
  CHECK(ids(query) == ids_t{p999});
  query.min_price = 2001;
  CHECK(ids(query).empty()); // min above max

  book_query by_genre;
  by_genre.genre = fiction;
  CHECK(ids(by_genre) == ids_t{p999, p1500, p2000});
  by_genre.min_price = 1000;
  CHECK(ids(by_genre) == ids_t{p1500, p2000});
  by_genre.genre = poetry;
  by_genre.q = "e";
  CHECK(ids(by_genre) == ids_t{p2001});
  by_genre.genre = 999; // no such genre
  CHECK(ids(by_genre).empty());
}

TEST_CASE_METHOD(search_fixture,
                 "every sort works in both directions with ties by id",
                 "[queries][search]") {
  // Ids in insertion order; titles differ in case to catch a binary sort.
  const auto banana = add("Banana", "X", 500);
  const auto apple = add("apple", "X", 300);
  const auto cherry = add("cherry", "X", 500);
  const auto apple2 = add("Apple", "X", 700);
  auto set_date = [&](model::book_id id, const char* date) {
    set_text("UPDATE books SET publish_date = ? WHERE id = ?", date, id);
  };
  set_date(banana, "2001-05-01");
  set_date(cherry, "1999-12-31");
  set_date(apple2, "2001-05-01"); // apple has none
  auto set_created = [&](model::book_id id, const char* at) {
    set_text("UPDATE books SET created_at = ? WHERE id = ?", at, id);
  };
  set_created(banana, "2026-01-02T00:00:00Z");
  set_created(apple, "2026-01-01T00:00:00Z");
  set_created(cherry, "2026-01-02T00:00:00Z");
  set_created(apple2, "2026-01-03T00:00:00Z");

  book_query query;
  auto sorted = [&](std::optional<book_sort> sort, bool descending) {
    query.sort = sort;
    query.descending = descending;
    return ids(query);
  };
  CHECK(sorted(std::nullopt, false) == ids_t{banana, apple, cherry, apple2});
  CHECK(sorted(std::nullopt, true) == ids_t{apple2, cherry, apple, banana});
  CHECK(sorted(book_sort::title, false)
        == ids_t{apple, apple2, banana, cherry});
  CHECK(sorted(book_sort::title, true) == ids_t{cherry, banana, apple, apple2});
  CHECK(sorted(book_sort::price, false)
        == ids_t{apple, banana, cherry, apple2});
  CHECK(sorted(book_sort::price, true) == ids_t{apple2, banana, cherry, apple});
  // Undated books last in both directions.
  CHECK(sorted(book_sort::date, false) == ids_t{cherry, banana, apple2, apple});
  CHECK(sorted(book_sort::date, true) == ids_t{banana, apple2, cherry, apple});
  CHECK(sorted(book_sort::created_at, false)
        == ids_t{apple, banana, cherry, apple2});
  // created_at ties break by id in the sort's direction: ids grow with
  // creation, so the newest comes first even within one second.
  CHECK(sorted(book_sort::created_at, true)
        == ids_t{apple2, cherry, banana, apple});

  // A sort also applies when searching.
  query.q = "a";
  CHECK(sorted(book_sort::price, true) == ids_t{apple2, apple});
}

TEST_CASE_METHOD(search_fixture,
                 "with q and no sort the best matches come first",
                 "[queries][search]") {
  const auto saga = add("A Long Saga Featuring Dune Among Many Other Words",
                        "Someone Else Entirely");
  const auto dune = add("Dune", "Frank Herbert");
  const auto other = add("Emma", "Jane Austen");
  (void)other;
  book_query query;
  query.q = "dune";
  CHECK(ids(query) == ids_t{dune, saga});
  query.descending = true; // the relevance order has no direction
  CHECK(ids(query) == ids_t{dune, saga});
}

TEST_CASE_METHOD(search_fixture,
                 "search pages keep the total and run empty past the last",
                 "[queries][search]") {
  ids_t all;
  for (int i = 0; i < 25; ++i)
    all.push_back(add("Book " + std::to_string(i), "Writer"));
  add("Other", "Nobody");

  book_query query;
  query.q = "book";
  query.sort = book_sort::price; // all equal: the id decides
  query.size = 10;
  auto page = [&](std::int64_t number) {
    query.page = number;
    return search(query);
  };
  const auto first = page(1);
  CHECK(first.total == 25);
  CHECK(first.items.size() == 10);
  CHECK(first.items.front().id == all[0]);
  const auto third = page(3);
  CHECK(third.total == 25);
  REQUIRE(third.items.size() == 5);
  CHECK(third.items.front().id == all[20]);
  CHECK(third.items.back().id == all[24]);
  CHECK(page(4).items.empty());
  CHECK(page(4).total == 25);

  // Far out pages are empty, never an overflow.
  query.size = 100;
  const auto last = page(std::numeric_limits<std::int64_t>::max());
  CHECK(last.items.empty());
  CHECK(last.total == 25);
  CHECK(page(std::numeric_limits<std::int64_t>::max() / 100 + 2).items.empty());
  CHECK(page(1).items.size() == 25);

  // The whole book reads back.
  query.q.clear();
  query.size = 1;
  query.page = 26;
  const auto other = search(query);
  REQUIRE(other.items.size() == 1);
  CHECK(other.items[0].title == "Other");
  CHECK(other.items[0].author == "Nobody");
  CHECK(other.total == 26);
}

TEST_CASE_METHOD(search_fixture, "a book reads back in full",
                 "[queries][search]") {
  auto draft = make_book("Full 'Book' \"%_\" 🙂", 1234, 7);
  draft.author = "An Author";
  draft.isbn = "9780306406157";
  draft.genre = storage::insert_genre(db, "Drama").id;
  draft.description = "desc";
  draft.cover_image_url = "http://example.com/c.png";
  draft.publish_date = "2020-02-29";
  const auto id = storage::insert_book(db, draft).id;
  book_query query;
  query.q = "full book";
  const auto page = search(query);
  REQUIRE(page.items.size() == 1);
  const auto& book = page.items[0];
  CHECK(book.id == id);
  CHECK(book.title == draft.title);
  CHECK(book.author == draft.author);
  CHECK(book.price == 1234);
  CHECK(book.isbn == draft.isbn);
  CHECK(book.genre == draft.genre);
  CHECK(book.description == draft.description);
  CHECK(book.cover_image_url == draft.cover_image_url);
  CHECK(book.publish_date == draft.publish_date);
  CHECK(book.stock_quantity == 7);
}

TEST_CASE_METHOD(search_fixture, "deleted books are never found",
                 "[queries][search]") {
  const auto dune = add("Dune", "Frank Herbert");
  const auto messiah = add("Dune Messiah", "Frank Herbert");
  REQUIRE(storage::delete_book(db, dune));
  CHECK(ids_for_q("dune") == ids_t{messiah});
  CHECK(ids_for_author("herbert") == ids_t{messiah});
  CHECK(ids(book_query{}) == ids_t{messiah});
  book_query query;
  query.q = "dune";
  CHECK(search(query).total == 1);
  CHECK(search(book_query{}).total == 1);
}

TEST_CASE_METHOD(search_fixture, "the index follows title and author edits",
                 "[queries][search]") {
  const auto id = add("Dune", "Frank Herbert");
  const auto other = add("Emma", "Jane Austen");

  auto book = *storage::find_book(db, id);
  book.title = "Children of Dune";
  book.author = "Brian Herbert";
  storage::update_book(db, book);
  CHECK(ids_for_q("children") == ids_t{id});
  CHECK(ids_for_q("brian") == ids_t{id});
  CHECK(ids_for_q("frank").empty());

  book.title = "Arrakis";
  storage::update_book(db, book);
  CHECK(ids_for_q("dune").empty());
  CHECK(ids_for_q("children").empty());
  CHECK(ids_for_q("arrakis brian") == ids_t{id});

  // Edits of other fields leave the words alone.
  book.price = 4321;
  storage::update_book(db, book);
  storage::add_stock(db, id, 3);
  CHECK(ids_for_q("arrakis") == ids_t{id});

  storage::delete_book(db, id);
  CHECK(ids_for_q("arrakis").empty());
  CHECK(ids_for_q("emma") == ids_t{other});

  // The external content index agrees with books row for row.
  CHECK_NOTHROW(conn_of(db).exec(
      "INSERT INTO books_fts (books_fts) VALUES ('integrity-check')"));
}

TEST_CASE_METHOD(search_fixture,
                 "author ignores case in all of Unicode as q does",
                 "[queries][search]") {
  const auto unicode = add("Zeichen", "Ünïcödé Author");
  const auto greek = add("Odyssey", "ΟΜΗΡΟΣ");
  add("Other", "Plain Writer");
  using ids_t = std::vector<model::book_id>;
  CHECK(ids_for_author("ünï") == ids_t{unicode});
  CHECK(ids_for_author("ÜNÏCÖDÉ") == ids_t{unicode});
  CHECK(ids_for_author("όμηρος").empty()); // accents still count
  CHECK(ids_for_author("ομηρ") == ids_t{greek});
  CHECK(ids_for_q("ünï") == ids_t{unicode});
}

TEST_CASE_METHOD(search_fixture, "a read deadline stops a long search",
                 "[queries][search]") {
  for (int i = 0; i < 300; ++i)
    add("Title " + std::to_string(i), "Author " + std::to_string(i));
  book_query query;
  query.q = "t a";
  {
    // Already past: the first progress check interrupts the search.
    storage::read_deadline deadline(db.conn(), std::chrono::seconds{-1});
    try {
      search(query);
      FAIL("the search ran past its deadline");
    } catch (const storage::error& e) {
      CHECK(e.kind() == storage::failure_kind::interrupted);
    }
  }
  // The deadline ends with its scope: the same search runs to the end.
  CHECK(search(query).total == 300);
}
