#pragma once

// A keep-alive HTTP/1.1 connection that says exactly what happened to each
// request, for tests that stop or kill the server under load: whether the
// answer came back complete, whether the connection closed before any byte
// of it, or (the one thing a clean stop must never do) in the middle of it.
// It never retries and never asserts, so worker threads can use it.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http_client.hpp"

namespace crash {

using clock_type = std::chrono::steady_clock;

enum class outcome {
  answered,  // a complete response arrived
  refused,   // no connection could be opened (nothing was sent)
  no_answer, // the connection ended before any byte of an answer
  partial,   // the connection ended in the middle of an answer
  timeout,   // no complete answer within the timeout
};

const char* to_string(outcome o);

struct exchange {
  outcome kind = outcome::refused;
  e2e::response res;              // when answered
  std::string bytes;              // what came back when not answered
  bool fully_sent = false;        // every byte of the request went out
  clock_type::time_point sent_at; // when the last byte went out
  clock_type::time_point done_at; // when the outcome was known
};

class wire_client {
public:
  explicit wire_client(
      std::uint16_t port,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  ~wire_client();
  wire_client(const wire_client&) = delete;
  wire_client& operator=(const wire_client&) = delete;

  /// Opens the connection now (it is opened on demand otherwise); false if
  /// it was refused.
  bool connect();
  /// Sends one request (Host, Content-Length, JSON Content-Type and the
  /// bearer token added) and waits for its outcome. After anything but a
  /// complete answer, or an answer with `Connection: close`, the connection
  /// is closed and the next request opens a new one.
  exchange request(std::string_view method, std::string_view target,
                   const std::string& body = {}, const std::string& token = {},
                   const e2e::header_list& extra = {});
  void close();
  bool connected() const noexcept { return fd_ >= 0; }

private:
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;
};

} // namespace crash
