// Decoders of query strings (GET /books, admin reports) and path ids.

#include <initializer_list>
#include <limits>

#include "gateway/json/decode.hpp"
#include "gateway/json/fields.hpp"
#include "gateway/json/query_fields.hpp"

namespace bookstore::json {

namespace {

using detail::location;
using detail::query_params;

using detail::max_page;
using detail::max_page_size;
// A longer search than any title (500) or author (255) cannot match.
constexpr std::size_t max_q = 500;
constexpr std::size_t max_author_filter = 255;
// Each word of `q` is one more prefix phrase FTS5 must intersect: the cost of
// a search grows with them, and no title needs more.
constexpr std::size_t max_q_words = 32;
constexpr std::int64_t max_top_books = 50;

using detail::find_param;
using detail::read_pattern;
using detail::read_query_integer;

// Words as the search splits them: runs of anything but ASCII whitespace.
std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char ch : text) {
    const bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'
                       || ch == '\f' || ch == '\v';
    words += !space && !in_word ? 1 : 0;
    in_word = !space;
  }
  return words;
}

void read_text(const query_params& params, std::string_view name,
               std::size_t max, std::string& target, field_errors& errors) {
  if (const auto* text = find_param(params, name)) {
    if (auto value = detail::text_from_query(*text, detail::query_at(name), max,
                                             errors)) {
      target = std::move(*value);
    }
  }
}

void read_money(const query_params& params, std::string_view name,
                std::optional<model::cents>& target, field_errors& errors) {
  if (const auto* text = find_param(params, name)) {
    target = detail::money_from_text(*text, detail::query_at(name), 0,
                                     detail::int64_max, errors);
  }
}

// One of `choices`, or an error in the style of pydantic's Literal.
std::optional<std::string>
read_literal(const query_params& params, std::string_view name,
             std::initializer_list<const char*> choices, field_errors& errors) {
  const auto* text = find_param(params, name);
  if (text == nullptr) {
    return std::nullopt;
  }
  std::string expected;
  std::size_t index = 0;
  for (const char* choice : choices) {
    if (*text == choice) {
      return *text;
    }
    expected += index == 0 ? "" : index + 1 < choices.size() ? ", " : " or ";
    expected += std::string("'") + choice + "'";
    ++index;
  }
  detail::add_error(errors, detail::query_at(name), "literal_error",
                    "Input should be " + expected);
  return std::nullopt;
}

storage::book_sort sort_of(const std::string& name) {
  if (name == "price") {
    return storage::book_sort::price;
  }
  if (name == "date") {
    return storage::book_sort::date;
  }
  if (name == "created_at") {
    return storage::book_sort::created_at;
  }
  if (name == "avg_rating") {
    return storage::book_sort::avg_rating;
  }
  return storage::book_sort::title;
}

} // namespace

decoded<storage::book_query> decode_book_query(std::string_view query) {
  decoded<storage::book_query> out;
  auto& errors = out.errors;
  const auto params = detail::parse_query(query);
  storage::book_query result;
  // The original sorts by title, ascending, when no sort is asked for.
  result.sort = storage::book_sort::title;
  read_query_integer(params, "page", 1, max_page, result.page, errors);
  read_query_integer(params, "size", 1, max_page_size, result.size, errors);
  read_text(params, "q", max_q, result.q, errors);
  if (count_words(result.q) > max_q_words)
    detail::add_error(errors, detail::query_at("q"), "value_error",
                      "q must have at most 32 words");
  read_text(params, "author", max_author_filter, result.author, errors);
  read_money(params, "min_price", result.min_price, errors);
  read_money(params, "max_price", result.max_price, errors);
  if (find_param(params, "genre_id") != nullptr) {
    model::genre_id genre = 0;
    read_query_integer(params, "genre_id",
                       std::numeric_limits<std::int64_t>::min(),
                       detail::int64_max, genre, errors);
    result.genre = genre;
  }
  if (const auto sort = read_literal(
          params, "sort",
          {"title", "price", "date", "created_at", "avg_rating"}, errors)) {
    result.sort = sort_of(*sort);
  }
  if (const auto dir =
          read_literal(params, "sort_dir", {"asc", "desc"}, errors)) {
    result.descending = *dir == "desc";
  }
  if (errors.empty()) {
    out.value = std::move(result);
  }
  return out;
}

decoded<std::string> decode_period(std::string_view query) {
  decoded<std::string> out;
  const auto params = detail::parse_query(query);
  auto period =
      read_pattern(params, "period", {"today", "week", "month"}, out.errors);
  if (out.errors.empty()) {
    out.value = period.value_or("today");
  }
  return out;
}

decoded<top_books_query> decode_top_books(std::string_view query) {
  decoded<top_books_query> out;
  const auto params = detail::parse_query(query);
  top_books_query result;
  if (auto sort_by =
          read_pattern(params, "sort_by", {"revenue", "volume"}, out.errors)) {
    result.sort_by = std::move(*sort_by);
  }
  read_query_integer(params, "limit", 1, max_top_books, result.limit,
                     out.errors);
  if (auto period = read_pattern(params, "period", {"today", "week", "month"},
                                 out.errors)) {
    result.period = std::move(*period);
  }
  if (out.errors.empty()) {
    out.value = std::move(result);
  }
  return out;
}

decoded<std::int64_t> decode_threshold(std::string_view query) {
  decoded<std::int64_t> out;
  const auto params = detail::parse_query(query);
  std::int64_t threshold = 10;
  read_query_integer(params, "threshold", 0, detail::int64_max, threshold,
                     out.errors);
  if (out.errors.empty()) {
    out.value = threshold;
  }
  return out;
}

std::optional<std::int64_t> parse_path_id(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const int digit = c - '0';
    if (value > (detail::int64_max - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  if (value < 1) {
    return std::nullopt;
  }
  return value;
}

} // namespace bookstore::json
