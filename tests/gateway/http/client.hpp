#pragma once

// A small blocking HTTP client over a POSIX socket for the server tests.
// Every receive is bounded (SO_RCVTIMEO), so a broken server fails a test
// instead of hanging it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstore::http::testing {

struct reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers; // names lower
  std::string body;

  /// The first header named `name` (lower case), or "".
  std::string header(std::string_view name) const;
};

class client {
public:
  /// Connects to 127.0.0.1:`port`; `connected()` tells whether it worked.
  explicit client(std::uint16_t port,
                  std::chrono::milliseconds timeout = std::chrono::seconds{5});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  bool connected() const { return fd_ >= 0; }

  /// Sends all of `bytes`; false if the peer is gone.
  bool send(std::string_view bytes);

  /// Half-closes: shutdown(SHUT_WR), a FIN after what was sent.
  void half_close();

  /// Sends `bytes` in pieces of `chunk` bytes with `pause` in between.
  bool send_slowly(std::string_view bytes, std::size_t chunk,
                   std::chrono::milliseconds pause);

  /// Reads one response (Content-Length or chunked; no body for an answer
  /// to HEAD); nullopt on close, reset or timeout, or a chunked body cut
  /// short.
  std::optional<reply> read(bool head = false);

  /// Every byte not read yet, up to the peer's close (FIN); nullopt on a
  /// reset or timeout.
  std::optional<std::string> read_until_close();

  /// True if the peer closes (FIN or reset) within `within`, discarding
  /// whatever else arrives.
  bool closed_within(std::chrono::milliseconds within);

  /// True if bytes or a close arrive within `wait` (nothing is consumed).
  bool readable(std::chrono::milliseconds wait);

  /// The address this socket is connected to, as "a.b.c.d".
  std::string peer_address() const;

private:
  // Reads more bytes into buf_; false on close, reset or timeout.
  bool fill();
  // Reads a chunked body into `body`; false if it is cut short.
  bool read_chunks(std::string& body);

  int fd_ = -1;
  std::string buf_;
  bool closed_ = false; // the peer closed its side (FIN)
};

/// "GET <target> HTTP/1.1" with a Host header and `extra` header lines.
std::string get(std::string_view target, std::string_view extra = "");

/// A POST with a body and its Content-Length.
std::string post(std::string_view target, std::string_view body);

} // namespace bookstore::http::testing
