#include "tests/gateway/http/client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include "tests/support/timeouts.hpp"

namespace bookstore::http::testing {

namespace {

void set_receive_timeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

} // namespace

std::string reply::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (k == name)
      return v;
  return {};
}

client::client(std::uint16_t port, std::chrono::milliseconds timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0)
    return;
  set_receive_timeout(fd_, test_support::scaled(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

client::~client() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool client::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void client::half_close() {
  ::shutdown(fd_, SHUT_WR);
}

bool client::send_slowly(std::string_view bytes, std::size_t chunk,
                         std::chrono::milliseconds pause) {
  while (!bytes.empty()) {
    auto piece = bytes.substr(0, chunk);
    if (!send(piece))
      return false;
    bytes.remove_prefix(piece.size());
    if (!bytes.empty())
      std::this_thread::sleep_for(pause);
  }
  return true;
}

bool client::fill() {
  char tmp[65536];
  for (;;) {
    auto n = ::recv(fd_, tmp, sizeof(tmp), 0);
    if (n < 0 && errno == EINTR)
      continue;
    closed_ = n == 0;
    if (n <= 0)
      return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<reply> client::read(bool head_request) {
  std::size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
    if (!fill())
      return std::nullopt;
  reply r;
  auto head = buf_.substr(0, end + 2);
  auto line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  auto sp = status_line.find(' ');
  if (sp == std::string::npos)
    return std::nullopt;
  r.status = std::stoi(status_line.substr(sp + 1, 3));
  for (auto pos = line_end + 2; pos < head.size();) {
    auto eol = head.find("\r\n", pos);
    auto line = head.substr(pos, eol - pos);
    auto colon = line.find(':');
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.erase(0, 1);
    r.headers.emplace_back(lower(line.substr(0, colon)), value);
    pos = eol + 2;
  }
  buf_.erase(0, end + 4);
  if (head_request)
    return r;
  if (r.header("transfer-encoding") == "chunked") {
    if (!read_chunks(r.body))
      return std::nullopt;
    return r;
  }
  std::size_t length = 0;
  if (auto cl = r.header("content-length"); !cl.empty())
    length = std::stoul(cl);
  while (buf_.size() < length)
    if (!fill())
      return std::nullopt;
  r.body = buf_.substr(0, length);
  buf_.erase(0, length);
  return r;
}

bool client::read_chunks(std::string& body) {
  for (;;) {
    std::size_t eol;
    while ((eol = buf_.find("\r\n")) == std::string::npos)
      if (!fill())
        return false;
    const auto size = std::stoul(buf_.substr(0, eol), nullptr, 16);
    buf_.erase(0, eol + 2);
    while (buf_.size() < size + 2)
      if (!fill())
        return false;
    if (buf_.compare(size, 2, "\r\n") != 0)
      return false;
    body.append(buf_, 0, size);
    buf_.erase(0, size + 2);
    if (size == 0)
      return true; // the last chunk (this server sends no trailers)
  }
}

std::optional<std::string> client::read_until_close() {
  while (fill()) {
  }
  if (!closed_)
    return std::nullopt;
  return std::exchange(buf_, {});
}

bool client::closed_within(std::chrono::milliseconds within) {
  auto deadline =
      std::chrono::steady_clock::now() + test_support::scaled(within);
  buf_.clear();
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    set_receive_timeout(fd_, left);
    char tmp[4096];
    auto n = ::recv(fd_, tmp, sizeof(tmp), 0);
    if (n == 0)
      return true;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno == ECONNRESET;
    }
  }
}

bool client::readable(std::chrono::milliseconds wait) {
  if (!buf_.empty())
    return true;
  pollfd pfd{fd_, POLLIN, 0};
  return ::poll(&pfd, 1, static_cast<int>(wait.count())) > 0;
}

std::string client::peer_address() const {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return {};
  char buf[INET_ADDRSTRLEN] = {0};
  ::inet_ntop(AF_INET, &addr.sin_addr, buf, sizeof(buf));
  return buf;
}

std::string get(std::string_view target, std::string_view extra) {
  std::string out = "GET ";
  out += target;
  out += " HTTP/1.1\r\nHost: localhost\r\n";
  out += extra;
  out += "\r\n";
  return out;
}

std::string post(std::string_view target, std::string_view body) {
  std::string out = "POST ";
  out += target;
  out += " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

} // namespace bookstore::http::testing
