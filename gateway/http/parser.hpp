#pragma once

// Incremental HTTP/1.x request parser over http_parser: one per connection.
// It knows nothing of sockets or CAF, so it is tested byte by byte.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/http/message.hpp"

namespace bookstore::http {

/// Limits that turn a well-formed but oversized request into an error status.
struct parser_limits {
  std::size_t max_body = 1 << 20;     // 413 above this
  std::size_t max_header = 64 * 1024; // 431 above this
  /// The body limit of one request, asked once its header section is
  /// complete (method, decoded path); unset: `max_body` for every request.
  /// A route that takes larger bodies (uploads) says so here, and only its
  /// requests may send them.
  std::function<std::size_t(std::string_view method, std::string_view path)>
      body_limit = nullptr;
};

/// Where the parser stands inside the current request; the connection uses it
/// to pick its timeout (header timeout, body timeout or idle timeout).
enum class parse_phase {
  idle,    // between requests: nothing of the next one seen yet
  headers, // request line or header section incomplete
  body,    // headers complete, body incomplete
};

class parser {
public:
  explicit parser(parser_limits limits = {});
  ~parser();
  parser(const parser&) = delete;
  parser& operator=(const parser&) = delete;

  /// Consumes bytes from `data` up to the end of the next complete request,
  /// an error, or the end of the input, and returns how many it consumed.
  /// After a complete request it stops: take it with `next()`, then feed the
  /// rest. Feeding after an error or after the last request of the
  /// connection (`done()`) consumes nothing.
  std::size_t feed(const char* data, std::size_t n);

  /// The complete request parsed by the last `feed`, once.
  std::optional<request> next();

  /// An HTTP status to answer before closing (400, 413, 431, 505), or 0.
  int error() const { return error_; }

  /// True after a request that ends the connection (no keep-alive, or an
  /// upgrade) and after an error: bytes after it are not HTTP to us.
  bool done() const { return done_; }

  parse_phase phase() const { return phase_; }

  /// True while reading the body of an HTTP/1.1 request that sent
  /// "Expect: 100-continue": the client waits for "100 Continue" first.
  bool expects_continue() const { return expect_continue_; }

private:
  struct callbacks;

  void fail(int status);

  struct impl;
  std::unique_ptr<impl> impl_; // http_parser state and the request in progress
  parser_limits limits_;
  parse_phase phase_ = parse_phase::idle;
  int error_ = 0;
  bool done_ = false;
  bool expect_continue_ = false;
};

/// Decodes %XX escapes; malformed escapes stay verbatim ('+' is not a space
/// in a path).
std::string percent_decode(std::string_view in);

/// `in` with every byte outside printable ASCII (controls, DEL, bytes of 128
/// and up) written as %XX: safe for a one-line-per-request log.
std::string log_escape(std::string_view in);

} // namespace bookstore::http
