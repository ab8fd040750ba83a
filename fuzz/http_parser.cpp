// Fuzzes the incremental HTTP/1.x request parser (gateway/http/parser.hpp)
// with a byte stream as a connection would deliver it: possibly several
// pipelined requests, cut anywhere.
//
// Invariants:
// - feed() never reports more bytes consumed than it was given;
// - the stream fed in one piece, byte by byte, or in pseudo-random pieces
//   yields the same requests and ends alike (an error, the end of the
//   connection, or more input wanted);
// - an error is one of 400, 413, 431, 505 and ends the connection;
// - header names are lower case, values carry no trailing blanks, a body
//   stays within the limit, phase() is idle after a complete request;
// - raising the limits never turns a successful parse into another one.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz/check.hpp"
#include "gateway/http/parser.hpp"

namespace {

using bookstore::http::parse_phase;
using bookstore::http::parser;
using bookstore::http::parser_limits;
using bookstore::http::request;

// Small limits so that inputs of a few KiB reach 413 and 431 too.
const parser_limits small_limits{256, 1024};

struct outcome {
  std::vector<request> requests;
  std::size_t consumed = 0;
  int error = 0;
  bool done = false;
};

bool same_request(const request& a, const request& b) {
  return a.method == b.method && a.path == b.path && a.query == b.query
         && a.headers == b.headers && a.body == b.body
         && a.keep_alive == b.keep_alive;
}

// The same requests, and the connection ends alike. Which status an
// erroneous request gets may depend on the cut when it is wrong in two
// ways: http_parser hands over partial data (and so runs our version and
// size checks) at the end of every piece, so with "HTTP/2.0" and a
// malformed header, byte by byte sees the version first (505) and one
// piece the header (400); an over-long and malformed URL likewise gives
// 431 or 400.
bool same_outcome(const outcome& a, const outcome& b) {
  if ((a.error != 0) != (b.error != 0) || a.done != b.done
      || a.requests.size() != b.requests.size())
    return false;
  for (std::size_t i = 0; i < a.requests.size(); ++i)
    if (!same_request(a.requests[i], b.requests[i]))
      return false;
  return true;
}

void check_request(const request& req, const parser_limits& limits) {
  FUZZ_CHECK(!req.method.empty());
  FUZZ_CHECK(req.body.size() <= limits.max_body);
  for (auto& [name, value] : req.headers) {
    for (char c : name)
      FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    FUZZ_CHECK(value.empty() || (value.back() != ' ' && value.back() != '\t'));
  }
}

// Feeds `data` in pieces of the sizes `piece()` picks, as a connection does:
// after each feed take the finished request, then feed the rest.
template <class Piece>
outcome run(const char* data, std::size_t size, const parser_limits& limits,
            Piece piece) {
  parser p(limits);
  outcome out;
  std::size_t pos = 0;
  while (pos < size) {
    const std::size_t n = std::min(piece(), size - pos);
    const std::size_t used = p.feed(data + pos, n);
    FUZZ_CHECK(used <= n);
    pos += used;
    FUZZ_CHECK(!p.expects_continue() || p.phase() == parse_phase::body);
    if (auto req = p.next()) {
      FUZZ_CHECK(p.phase() == parse_phase::idle);
      FUZZ_CHECK(!p.next()); // handed out once
      check_request(*req, limits);
      // A request that ends the connection is its last one.
      FUZZ_CHECK(req->keep_alive || p.done());
      out.requests.push_back(std::move(*req));
    } else if (used < n) {
      // Stopping short without a request means the connection is over.
      FUZZ_CHECK(p.done());
      break;
    }
  }
  out.consumed = pos;
  out.error = p.error();
  out.done = p.done();
  // 501: a Transfer-Encoding other than chunked alone.
  FUZZ_CHECK(out.error == 0 || out.error == 400 || out.error == 413
             || out.error == 431 || out.error == 501 || out.error == 505);
  FUZZ_CHECK(out.error == 0 || out.done);
  if (out.done) // nothing is taken after the end of the connection
    FUZZ_CHECK(p.feed(data, size) == 0 && !p.next());
  else
    FUZZ_CHECK(out.consumed == size);
  return out;
}

// FNV-1a: a seed that depends on the input only, so a crash reproduces.
std::uint64_t seed_of(const char* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < size; ++i)
    h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
  return h | 1;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const auto* data = reinterpret_cast<const char*>(bytes);
  const std::size_t whole = size > 0 ? size : 1;

  const auto one_piece = run(data, size, small_limits, [&] { return whole; });
  const auto byte_by_byte =
      run(data, size, small_limits, [] { return std::size_t{1}; });
  std::uint64_t state = seed_of(data, size);
  const auto random_pieces = run(data, size, small_limits, [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::size_t>(state % 23) + 1;
  });

  if (!same_outcome(one_piece, byte_by_byte)
      || !same_outcome(one_piece, random_pieces)) {
    std::fprintf(stderr,
                 "one piece: %zu requests, error %d, done %d; byte by byte: "
                 "%zu requests, error %d, done %d; random pieces: %zu "
                 "requests, error %d, done %d\n",
                 one_piece.requests.size(), one_piece.error, one_piece.done,
                 byte_by_byte.requests.size(), byte_by_byte.error,
                 byte_by_byte.done, random_pieces.requests.size(),
                 random_pieces.error, random_pieces.done);
    std::fprintf(stderr, "the way the stream is cut changed the result\n");
    std::abort();
  }
  // Where a connection ends for a reason other than an error, it ends at
  // the same byte however the stream was cut.
  if (one_piece.error == 0) {
    FUZZ_CHECK(byte_by_byte.consumed == one_piece.consumed);
    FUZZ_CHECK(random_pieces.consumed == one_piece.consumed);
  }

  // The default limits accept everything the small ones accept.
  const auto defaults = run(data, size, parser_limits{}, [&] { return whole; });
  if (one_piece.error == 0) {
    FUZZ_CHECK(same_outcome(one_piece, defaults));
  } else {
    for (std::size_t i = 0; i < one_piece.requests.size(); ++i)
      FUZZ_CHECK(i < defaults.requests.size()
                 && same_request(one_piece.requests[i], defaults.requests[i]));
  }
  return 0;
}
