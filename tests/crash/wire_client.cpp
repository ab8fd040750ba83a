#include "wire_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

#include "tests/support/timeouts.hpp"

namespace crash {

const char* to_string(outcome o) {
  switch (o) {
  case outcome::answered:
    return "answered";
  case outcome::refused:
    return "refused";
  case outcome::no_answer:
    return "closed before any byte of an answer";
  case outcome::partial:
    return "closed in the middle of an answer";
  case outcome::timeout:
    return "timed out";
  }
  return "?";
}

wire_client::wire_client(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(test_support::scaled(timeout)) {}

wire_client::~wire_client() {
  close();
}

void wire_client::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool wire_client::connect() {
  if (fd_ >= 0)
    return true;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout_.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout_.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return false;
  }
  fd_ = fd;
  buffer_.clear();
  return true;
}

exchange wire_client::request(std::string_view method, std::string_view target,
                              const std::string& body, const std::string& token,
                              const e2e::header_list& extra) {
  std::string wire;
  wire.reserve(body.size() + 512);
  wire.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  wire += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    wire += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!body.empty())
    wire += "Content-Type: application/json\r\n";
  if (!token.empty())
    wire += "Authorization: Bearer " + token + "\r\n";
  for (auto& [k, v] : extra)
    wire += k + ": " + v + "\r\n";
  wire += "\r\n";
  wire += body;

  exchange ex;
  ex.sent_at = clock_type::now();
  if (!connect()) {
    ex.kind = outcome::refused;
    ex.done_at = clock_type::now();
    return ex;
  }

  // Send everything (a failure to send is judged by what comes back).
  std::size_t sent = 0;
  while (sent < wire.size()) {
    auto n = ::send(fd_, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    break;
  }
  ex.fully_sent = sent == wire.size();
  ex.sent_at = clock_type::now();

  auto finish = [&](outcome kind) {
    ex.kind = kind;
    ex.done_at = clock_type::now();
    if (kind != outcome::answered) {
      ex.bytes = buffer_;
      close();
    }
    return ex;
  };

  auto deadline = ex.sent_at + timeout_;
  for (;;) {
    std::size_t used = 0;
    if (auto r = e2e::parse_response(buffer_, &used)) {
      buffer_.erase(0, used);
      ex.res = std::move(*r);
      ex.kind = outcome::answered;
      ex.done_at = clock_type::now();
      auto conn = ex.res.header("Connection");
      if (conn && conn->find("close") != std::string::npos)
        close();
      return ex;
    }
    if (clock_type::now() >= deadline)
      return finish(outcome::timeout);
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n > 0) {
      buffer_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return finish(outcome::timeout);
    // End of the connection (EOF, reset or another error).
    if (buffer_.empty())
      return finish(outcome::no_answer);
    e2e::raw_result raw;
    raw.data = buffer_;
    raw.peer_closed = true;
    if (auto r = raw.first_response()) {
      ex.res = std::move(*r);
      ex.kind = outcome::answered;
      ex.done_at = clock_type::now();
      close();
      return ex;
    }
    return finish(outcome::partial);
  }
}

} // namespace crash
