// Query strings (GET /books, admin reports) and path ids.

#include <catch2/catch.hpp>

#include <limits>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "helpers.hpp"

namespace bj = bookstore::json;
using bj::testing::describe;
using bj::testing::failed;
using bj::testing::has_error;
using bj::testing::only_error;
using bj::testing::repeat;
using bookstore::storage::book_sort;
using nlohmann::json;

namespace {

bookstore::storage::book_query books(const std::string& query) {
  const auto result = bj::decode_book_query(query);
  INFO(query << " -> " << describe(result.errors));
  REQUIRE(result.ok());
  return *result.value;
}

bool book_query_error(const std::string& query, const char* name,
                      const char* type) {
  const auto result = bj::decode_book_query(query);
  INFO(query << " -> " << describe(result.errors));
  return failed(result) && only_error(result.errors, json{"query", name}, type);
}

} // namespace

TEST_CASE("an empty book query is page 1 of 20 sorted by title ascending",
          "[json][query]") {
  const auto query = books("");
  CHECK(query.page == 1);
  CHECK(query.size == 20);
  CHECK(query.q.empty());
  CHECK(query.author.empty());
  CHECK_FALSE(query.min_price);
  CHECK_FALSE(query.max_price);
  CHECK_FALSE(query.genre);
  REQUIRE(query.sort);
  CHECK(*query.sort == book_sort::title); // the original's default
  CHECK_FALSE(query.descending);
}

TEST_CASE("book query reads every parameter", "[json][query]") {
  const auto query =
      books("page=2&size=50&q=du%20ne&author=O%27Brien&min_price=5"
            "&max_price=14.99&genre_id=3&sort=price&sort_dir=desc");
  CHECK(query.page == 2);
  CHECK(query.size == 50);
  CHECK(query.q == "du ne");
  CHECK(query.author == "O'Brien");
  CHECK(query.min_price == 500);
  CHECK(query.max_price == 1499);
  CHECK(query.genre == 3);
  CHECK(query.sort == book_sort::price);
  CHECK(query.descending);

  CHECK(books("sort=title").sort == book_sort::title);
  CHECK(books("sort=date").sort == book_sort::date);
  CHECK(books("sort=created_at&sort_dir=asc").sort == book_sort::created_at);
  CHECK_FALSE(books("sort_dir=asc").descending);
  CHECK(books("min_price=0").min_price == 0);
  CHECK(books("max_price=0.29").max_price == 29);
  CHECK(books("genre_id=-5").genre == -5); // matches nothing, as before
  CHECK(books("size=1").size == 1);
  CHECK(books("size=100").size == 100);
  CHECK(books("page=000002").page == 2);
}

TEST_CASE("query strings are percent-decoded", "[json][query]") {
  CHECK(books("q=du+ne").q == "du ne");
  CHECK(books("q=a%2Bb").q == "a+b");
  CHECK(books("author=100%25").author == "100%");
  CHECK(books("author=_x%").author == "_x%");      // a lone % stays
  CHECK(books("author=%zz%4").author == "%zz%4");  // bad escapes stay
  CHECK(books("q=%e2%82%AC").q == "\xE2\x82\xAC"); // €
  CHECK(books("q=%F0%9F%93%9A").q == "\xF0\x9F\x93\x9A");
  CHECK(books("si%7Ae=5").size == 5); // names are decoded too
  CHECK(books("q=a%26b%3Dc").q == "a&b=c");
  CHECK(books("q=").q.empty());
  CHECK(books("q").q.empty());
  CHECK(books("&&page=2&").page == 2);
}

TEST_CASE("a repeated parameter keeps its last value", "[json][query]") {
  CHECK(books("page=2&page=3").page == 3);
  CHECK(books("sort=price&sort=title").sort == book_sort::title);
  // Only the last one is checked.
  CHECK(books("size=0&size=10").size == 10);
  CHECK(book_query_error("size=10&size=0", "size", "greater_than_equal"));
}

TEST_CASE("unknown parameters are ignored", "[json][query]") {
  const auto query = books("foo=bar&sort_by=x&page_size=1000&%ff=1");
  CHECK(query.page == 1);
  CHECK(query.size == 20);
}

TEST_CASE(
    "out-of-range or mistyped book query parameters are 422 at their parameter",
    "[json][query]") {
  CHECK(book_query_error("size=0", "size", "greater_than_equal"));
  CHECK(book_query_error("size=101", "size", "less_than_equal"));
  CHECK(book_query_error("size=-1", "size", "greater_than_equal"));
  CHECK(book_query_error("page=0", "page", "greater_than_equal"));
  CHECK(book_query_error("page=-1", "page", "greater_than_equal"));
  CHECK(book_query_error("page=abc", "page", "int_parsing"));
  CHECK(book_query_error("page=", "page", "int_parsing"));
  CHECK(book_query_error("page", "page", "int_parsing"));
  CHECK(book_query_error("page=1.5", "page", "int_parsing"));
  CHECK(book_query_error("page=2.0", "page", "int_parsing"));
  CHECK(book_query_error("page=1e3", "page", "int_parsing"));
  CHECK(book_query_error("page=%201", "page", "int_parsing"));
  CHECK(book_query_error("page=0x10", "page", "int_parsing"));
  CHECK(book_query_error("page=92233720368547759", "page", "less_than_equal"));
  CHECK(
      book_query_error("page=9223372036854775808", "page", "less_than_equal"));
  CHECK(book_query_error("page=99999999999999999999999", "page",
                         "less_than_equal"));
  CHECK(book_query_error("page=-99999999999999999999999", "page",
                         "greater_than_equal"));
  CHECK(books("page=92233720368547758").page == 92233720368547758);
  CHECK(book_query_error("genre_id=x", "genre_id", "int_parsing"));
  CHECK(book_query_error("genre_id=9223372036854775808", "genre_id",
                         "less_than_equal"));
  CHECK(books("genre_id=-9223372036854775808").genre
        == std::numeric_limits<std::int64_t>::min());
  CHECK(book_query_error("min_price=abc", "min_price", "decimal_parsing"));
  CHECK(book_query_error("min_price=", "min_price", "decimal_parsing"));
  CHECK(book_query_error("min_price=1.999", "min_price", "decimal_max_places"));
  CHECK(book_query_error("max_price=-1", "max_price", "greater_than_equal"));
  CHECK(book_query_error("max_price=1e2", "max_price", "decimal_parsing"));
  CHECK(books("sort=avg_rating").sort == book_sort::avg_rating);
  CHECK(books("sort=avg_rating&sort_dir=desc").descending);
  CHECK(book_query_error("sort=rating", "sort", "literal_error"));
  CHECK(book_query_error("sort=", "sort", "literal_error"));
  CHECK(book_query_error("sort=Title", "sort", "literal_error"));
  CHECK(book_query_error("sort_dir=up", "sort_dir", "literal_error"));
  CHECK(bj::decode_book_query("sort=x").errors.at(0).msg
        == "Input should be 'title', 'price', 'date', 'created_at' or "
           "'avg_rating'");
  CHECK(bj::decode_book_query("sort_dir=x").errors.at(0).msg
        == "Input should be 'asc' or 'desc'");
  CHECK(bj::decode_book_query("size=101").errors.at(0).msg
        == "Input should be less than or equal to 100");
  CHECK(bj::decode_book_query("page=x").errors.at(0).msg
        == "Input should be a valid integer, unable to parse string as an "
           "integer");
}

TEST_CASE("book query text must be UTF-8 of bounded length", "[json][query]") {
  CHECK(book_query_error("q=%ff", "q", "string_unicode"));
  CHECK(book_query_error("author=%c3", "author", "string_unicode"));
  CHECK(book_query_error("q=" + repeat("w", 501), "q", "string_too_long"));
  CHECK(books("q=" + repeat("w", 500)).q.size() == 500);
  CHECK(book_query_error("author=" + repeat("a", 256), "author",
                         "string_too_long"));
  CHECK(books("author=" + repeat("%C3%A9", 255)).author
        == repeat("\xC3\xA9", 255));
}

TEST_CASE("a search has at most 32 words", "[json][query]") {
  std::string q32, q33;
  for (int i = 0; i < 32; ++i)
    q32 += "a+";
  q33 = q32 + "b";
  CHECK(books("q=" + q32).q.size() == 64);
  CHECK(book_query_error("q=" + q33, "q", "value_error"));
  // Runs of whitespace are not words.
  CHECK(books("q=%20%20a%09%0A" + q32.substr(2)).q.size() == 67);
}

TEST_CASE("book query reports every bad parameter", "[json][query]") {
  const auto result = bj::decode_book_query("page=0&size=0&sort=x&q=%ff");
  REQUIRE(failed(result));
  CHECK(result.errors.size() == 4);
  CHECK(has_error(result.errors, json{"query", "page"}, "greater_than_equal"));
  CHECK(has_error(result.errors, json{"query", "size"}, "greater_than_equal"));
  CHECK(has_error(result.errors, json{"query", "sort"}, "literal_error"));
  CHECK(has_error(result.errors, json{"query", "q"}, "string_unicode"));
}

TEST_CASE("sales period is today or week or month", "[json][query]") {
  CHECK(bj::decode_period("").value == "today");
  CHECK(bj::decode_period("period=today").value == "today");
  CHECK(bj::decode_period("period=week").value == "week");
  CHECK(bj::decode_period("period=month&x=1").value == "month");
  for (const char* bad : {"period=year", "period=", "period=Week", "period"}) {
    CAPTURE(bad);
    const auto result = bj::decode_period(bad);
    CHECK(only_error(result.errors, json{"query", "period"},
                     "string_pattern_mismatch"));
  }
  CHECK(bj::decode_period("period=year").errors.at(0).msg
        == "String should match pattern '^(today|week|month)$'");
}

TEST_CASE("top books sort_by revenue or volume with a limit of 1..50",
          "[json][query]") {
  const auto defaults = bj::decode_top_books("");
  REQUIRE(defaults.ok());
  CHECK(defaults.value->sort_by == "revenue");
  CHECK(defaults.value->by_revenue());
  CHECK(defaults.value->limit == 10);

  const auto asked = bj::decode_top_books("sort_by=volume&limit=50");
  REQUIRE(asked.ok());
  CHECK(asked.value->sort_by == "volume");
  CHECK_FALSE(asked.value->by_revenue());
  CHECK(asked.value->limit == 50);
  CHECK(bj::decode_top_books("limit=1").value->limit == 1);

  CHECK(only_error(bj::decode_top_books("limit=0").errors,
                   json{"query", "limit"}, "greater_than_equal"));
  CHECK(only_error(bj::decode_top_books("limit=51").errors,
                   json{"query", "limit"}, "less_than_equal"));
  CHECK(only_error(bj::decode_top_books("limit=ten").errors,
                   json{"query", "limit"}, "int_parsing"));
  CHECK(only_error(bj::decode_top_books("sort_by=price").errors,
                   json{"query", "sort_by"}, "string_pattern_mismatch"));
  CHECK(bj::decode_top_books("sort_by=price").errors.at(0).msg
        == "String should match pattern '^(revenue|volume)$'");
}

TEST_CASE("low-stock threshold is an integer >= 0 that defaults to 10",
          "[json][query]") {
  CHECK(bj::decode_threshold("").value == 10);
  CHECK(bj::decode_threshold("threshold=0").value == 0);
  CHECK(bj::decode_threshold("threshold=7").value == 7);
  CHECK(bj::decode_threshold("threshold=9223372036854775807").value
        == 9223372036854775807);
  const auto at = json{"query", "threshold"};
  CHECK(only_error(bj::decode_threshold("threshold=-1").errors, at,
                   "greater_than_equal"));
  CHECK(only_error(bj::decode_threshold("threshold=9223372036854775808").errors,
                   at, "less_than_equal"));
  CHECK(only_error(bj::decode_threshold("threshold=abc").errors, at,
                   "int_parsing"));
  CHECK(
      only_error(bj::decode_threshold("threshold=").errors, at, "int_parsing"));
}

TEST_CASE("path ids are positive 63-bit integers in digits", "[json][path]") {
  CHECK(bj::parse_path_id("1") == 1);
  CHECK(bj::parse_path_id("42") == 42);
  CHECK(bj::parse_path_id("01") == 1); // as the original's int() accepted
  CHECK(bj::parse_path_id("9223372036854775807") == 9223372036854775807);
  const char* bad =
      GENERATE("", "0", "00", "-1", "+1", " 1", "1 ", "1e3", "1.0", "0x10",
               "abc", "9223372036854775808", "18446744073709551617",
               "99999999999999999999999", "\xD9\xA3", "1/2", "%31");
  CAPTURE(bad);
  CHECK_FALSE(bj::parse_path_id(bad));
}
