// Fuzzes the query-string decoders of gateway/json/decode.hpp (GET /books,
// sales summary, top books, low stock) and json::parse_path_id.
//
// Invariants:
// - no decoder throws; each answers a value or field errors, never both
//   nor neither, and every error location starts with "query";
// - a value keeps the documented ranges;
// - integer parameters (threshold, page, size, limit) read exactly what a
//   128-bit reference reads from the last value of the parameter;
// - money parameters come back as amounts that format_money and
//   parse_money round-trip (or saturated at int64_max when too long).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/query_string.hpp"
#include "model/money.hpp"
#include "model/text.hpp"

namespace {

namespace json = bookstore::json;
namespace model = bookstore::model;
using bookstore::fuzz::no_throw;

template <class T> void check_shape(const json::decoded<T>& d) {
  FUZZ_CHECK(d.value.has_value() == d.errors.empty());
  for (const auto& e : d.errors) {
    FUZZ_CHECK(e.loc.size() == 2 && e.loc[0] == "query"
               && e.loc[1].is_string());
    FUZZ_CHECK(!e.msg.empty() && !e.type.empty());
  }
  if (!d.errors.empty())
    no_throw("validation_body",
             [&] { return json::validation_body(d.errors); });
}

// An optional sign and ASCII digits, read with 128 bits; nothing for other
// text or a value beyond 64 bits.
std::optional<std::int64_t> reference_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty())
    return std::nullopt;
  __int128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > (__int128{1} << 64))
      return std::nullopt;
  }
  if (negative)
    value = -value;
  if (value < std::numeric_limits<std::int64_t>::min()
      || value > std::numeric_limits<std::int64_t>::max())
    return std::nullopt;
  return static_cast<std::int64_t>(value);
}

// The integer parameter `name` of `params` as the decoders must read it:
// the default when absent, the value when it is an integer in min..max,
// else an error (nothing).
std::optional<std::int64_t>
expected_integer(const json::detail::query_params& params,
                 std::string_view name, std::int64_t min, std::int64_t max,
                 std::int64_t fallback) {
  const auto found = params.find(name);
  if (found == params.end())
    return fallback;
  const auto value = reference_integer(found->second);
  if (!value || *value < min || *value > max)
    return std::nullopt;
  return value;
}

// An amount parse_money reads back from format_money, or int64_max: a
// plain decimal too long for parse_money, saturated.
bool money_round_trips(model::cents amount) {
  return amount >= 0
         && (model::parse_money(model::format_money(amount)) == amount
             || amount == std::numeric_limits<model::cents>::max());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(bytes), size);
  const auto params =
      no_throw("parse_query", [&] { return json::detail::parse_query(query); });
  constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();

  const auto books = no_throw("decode_book_query",
                              [&] { return json::decode_book_query(query); });
  check_shape(books);
  if (books.value) {
    const auto& q = *books.value;
    FUZZ_CHECK(q.page >= 1 && q.page <= int64_max / 100);
    FUZZ_CHECK(q.size >= 1 && q.size <= 100);
    FUZZ_CHECK(expected_integer(params, "page", 1, int64_max / 100, 1)
               == q.page);
    FUZZ_CHECK(expected_integer(params, "size", 1, 100, 20) == q.size);
    FUZZ_CHECK(model::length_within(q.q, 0, 500));
    FUZZ_CHECK(model::length_within(q.author, 0, 255));
    FUZZ_CHECK(!q.min_price || money_round_trips(*q.min_price));
    FUZZ_CHECK(!q.max_price || money_round_trips(*q.max_price));
    FUZZ_CHECK(q.sort.has_value());
    FUZZ_CHECK(q.genre.has_value() == (params.count("genre_id") == 1));
  }

  const auto period =
      no_throw("decode_period", [&] { return json::decode_period(query); });
  check_shape(period);
  FUZZ_CHECK(!period.value || *period.value == "today"
             || *period.value == "week" || *period.value == "month");

  const auto top = no_throw("decode_top_books",
                            [&] { return json::decode_top_books(query); });
  check_shape(top);
  if (top.value) {
    FUZZ_CHECK(top.value->sort_by == "revenue"
               || top.value->sort_by == "volume");
    FUZZ_CHECK(top.value->limit >= 1 && top.value->limit <= 50);
    FUZZ_CHECK(expected_integer(params, "limit", 1, 50, 10)
               == top.value->limit);
  }

  const auto threshold = no_throw(
      "decode_threshold", [&] { return json::decode_threshold(query); });
  check_shape(threshold);
  FUZZ_CHECK(threshold.value
             == expected_integer(params, "threshold", 0, int64_max, 10));

  // Path ids: digits only, 1..2^63-1.
  const auto id = json::parse_path_id(query);
  if (id) {
    FUZZ_CHECK(*id >= 1);
    FUZZ_CHECK(json::parse_path_id(std::to_string(*id)) == id);
  }
  for (const auto& [name, value] : params) {
    const auto parsed = json::parse_path_id(value);
    const auto reference = reference_integer(value);
    const bool plain_digits =
        !value.empty()
        && value.find_first_not_of("0123456789") == std::string::npos;
    FUZZ_CHECK(parsed
               == (plain_digits && reference && *reference >= 1
                       ? reference
                       : std::nullopt));
  }
  return 0;
}
