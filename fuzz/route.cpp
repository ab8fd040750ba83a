// Fuzzes routing: a request line "METHOD TARGET" goes through the HTTP
// parser (gateway/http/parser.hpp) and its path through the route match of
// gateway/api/path_match.hpp (path_segments, path_matches), whose {id} segments
// use json::parse_path_id.
//
// The router's table lives in an anonymous namespace next to CAF code in
// gateway/api/router.cpp, so `route_table` below restates its methods and
// patterns (keep them in step). What is checked:
// - json::parse_path_id against a reference (digits only, 1..2^63-1,
//   leading zeros allowed);
// - http::percent_decode against a reference;
// - the parser's method, path (percent-decoded) and query of a request line;
// - path_segments keeps everything but the slashes, in non-empty parts;
// - no two routes of one method match one path, and a match puts every
//   literal segment and the id where the pattern says.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/check.hpp"
#include "gateway/api/path_match.hpp"
#include "gateway/http/parser.hpp"
#include "gateway/json/decode.hpp"

namespace {

using bookstore::gateway::path_matches;
using bookstore::gateway::path_segments;
using bookstore::json::parse_path_id;

struct route {
  const char* method;
  const char* pattern;
};

// gateway/api/router.cpp's `table`, methods and patterns only.
const route route_table[] = {
    {"GET", "/health"},
    {"GET", "/metrics"},
    {"GET", "/openapi.json"},
    {"POST", "/auth/register"},
    {"POST", "/auth/login"},
    {"POST", "/auth/refresh"},
    {"POST", "/auth/logout"},
    {"POST", "/books"},
    {"GET", "/books"},
    {"GET", "/books/{id}"},
    {"PUT", "/books/{id}"},
    {"DELETE", "/books/{id}"},
    {"PATCH", "/books/{id}/stock"},
    {"POST", "/genres"},
    {"GET", "/genres"},
    {"GET", "/cart"},
    {"POST", "/cart/items"},
    {"PUT", "/cart/items/{id}"},
    {"DELETE", "/cart/items/{id}"},
    {"POST", "/orders/checkout"},
    {"GET", "/orders"},
    {"GET", "/orders/{id}"},
    {"GET", "/admin/orders"},
    {"GET", "/admin/analytics/sales/summary"},
    {"GET", "/admin/analytics/sales/top-books"},
    {"GET", "/admin/analytics/inventory/low-stock"},
    {"GET", "/admin/sales/summary"},
    {"GET", "/admin/sales/top-books"},
    {"GET", "/admin/inventory/low-stock"},
    {"POST", "/books/{id}/reviews"},
    {"GET", "/books/{id}/reviews"},
    {"GET", "/reviews/{id}"},
    {"PATCH", "/reviews/{id}"},
    {"DELETE", "/reviews/{id}"},
    {"GET", "/admin/reviews"},
    {"DELETE", "/admin/reviews/bulk"},
    {"POST", "/wishlist"},
    {"GET", "/wishlist"},
    {"DELETE", "/wishlist/{id}"},
    {"POST", "/prebooks"},
    {"GET", "/prebooks"},
    {"DELETE", "/prebooks/{id}"},
    {"GET", "/admin/users"},
    {"PATCH", "/admin/users/{id}/deactivate"},
    {"PATCH", "/admin/users/{id}/reactivate"},
    {"POST", "/uploads/images"},
    {"GET", "/uploads/{name}"},
};

// What parse_path_id must answer, computed with 128-bit arithmetic.
std::optional<std::int64_t> reference_path_id(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  __int128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > std::numeric_limits<std::int64_t>::max())
      return std::nullopt;
  }
  if (value < 1)
    return std::nullopt;
  return static_cast<std::int64_t>(value);
}

void check_path_id(std::string_view text) {
  const auto got = parse_path_id(text);
  FUZZ_CHECK(got == reference_path_id(text));
  if (got) {
    // The canonical spelling reads back the same.
    FUZZ_CHECK(parse_path_id(std::to_string(*got)) == got);
  }
}

int hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// %XX escapes decoded, anything else (a '+' too) kept.
std::string reference_percent_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0
        && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// Routes `method` and `path` as the router does; checks the table is
// unambiguous and a match is what the pattern says.
void check_route(std::string_view method, std::string_view path) {
  const auto parts = path_segments(path);
  std::string joined;
  for (auto part : parts) {
    FUZZ_CHECK(!part.empty() && part.find('/') == std::string_view::npos);
    joined += '/';
    joined += part;
  }
  // Splitting loses nothing but the slashes.
  std::string no_slashes;
  for (char c : path)
    if (c != '/')
      no_slashes += c;
  std::string joined_no_slashes;
  for (char c : joined)
    if (c != '/')
      joined_no_slashes += c;
  FUZZ_CHECK(no_slashes == joined_no_slashes);

  std::size_t same_method = 0;
  for (auto& r : route_table) {
    std::int64_t id = 0;
    if (!path_matches(r.pattern, parts, id))
      continue;
    const auto want = path_segments(r.pattern);
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (want[i] == "{id}")
        FUZZ_CHECK(parse_path_id(parts[i]) == id && id >= 1);
      else if (want[i] != "{name}")
        FUZZ_CHECK(want[i] == parts[i]);
    }
    if (method == r.method)
      ++same_method;
  }
  FUZZ_CHECK(same_method <= 1); // no route shadows another
  for (auto part : parts)
    check_path_id(part);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  check_path_id(input);
  FUZZ_CHECK(bookstore::http::percent_decode(input)
             == reference_percent_decode(input));

  // "METHOD TARGET": route the raw target as a path, then as the parser
  // hands it over.
  const auto space = input.find(' ');
  const auto method = input.substr(0, space);
  const auto target = space == std::string_view::npos ? std::string_view{}
                                                      : input.substr(space + 1);
  check_route(method, bookstore::http::percent_decode(target));

  std::string wire(method);
  wire += ' ';
  wire += target;
  wire += " HTTP/1.1\r\nHost: fuzz\r\n\r\n";
  bookstore::http::parser p;
  const auto used = p.feed(wire.data(), wire.size());
  FUZZ_CHECK(used <= wire.size());
  auto req = p.next();
  if (!req)
    return 0;
  FUZZ_CHECK(p.error() == 0);
  // (http_parser skips blank lines before a request line.)
  if (method.find_first_of("\r\n") == std::string_view::npos)
    FUZZ_CHECK(req->method == method);
  check_route(req->method, req->path);
  // An origin-form target without blanks or a fragment: the path is the
  // part before '?', decoded, and the query the raw rest.
  bool plain = !target.empty() && target.front() == '/';
  for (char c : target)
    plain =
        plain && c != '#' && static_cast<unsigned char>(c) > ' ' && c != '\x7f';
  if (plain) {
    const auto question = target.find('?');
    FUZZ_CHECK(req->path
               == reference_percent_decode(target.substr(0, question)));
    FUZZ_CHECK(req->query
               == (question == std::string_view::npos
                       ? std::string_view{}
                       : target.substr(question + 1)));
  }
  return 0;
}
