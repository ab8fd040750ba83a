#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <random>

#include "tests/support/timeouts.hpp"

namespace e2e {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::size_t max_response = 64u << 20;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size()
         && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
              return std::tolower(static_cast<unsigned char>(x))
                     == std::tolower(static_cast<unsigned char>(y));
            });
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string{s};
}

bool contains_token(std::string_view value, std::string_view token) {
  std::string lower;
  for (char c : value)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(token) != std::string::npos;
}

bool has_header(const header_list& h, std::string_view name) {
  return std::any_of(h.begin(), h.end(),
                     [&](auto& kv) { return iequals(kv.first, name); });
}

// Parses a response from `data`; at_eof: the connection ended after data,
// so a response without a length runs to the end.
std::optional<response> parse(std::string_view data, std::size_t* consumed,
                              bool head_request, bool at_eof) {
  auto end = data.find("\r\n\r\n");
  if (end == std::string_view::npos)
    return std::nullopt;
  response r;
  std::string_view head = data.substr(0, end);
  auto line_end = head.find("\r\n");
  std::string_view status_line =
      line_end == std::string_view::npos ? head : head.substr(0, line_end);
  auto sp1 = status_line.find(' ');
  if (sp1 == std::string_view::npos)
    return std::nullopt;
  r.version = std::string{status_line.substr(0, sp1)};
  auto rest = status_line.substr(sp1 + 1);
  auto sp2 = rest.find(' ');
  auto code = rest.substr(0, sp2);
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      }))
    return std::nullopt;
  r.status = std::stoi(std::string{code});
  if (sp2 != std::string_view::npos)
    r.reason = std::string{rest.substr(sp2 + 1)};
  std::size_t pos =
      line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    auto line =
        head.substr(pos, next == std::string_view::npos ? std::string_view::npos
                                                        : next - pos);
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
      r.headers.emplace_back(std::string{line.substr(0, colon)},
                             trim(line.substr(colon + 1)));
    if (next == std::string_view::npos)
      break;
    pos = next + 2;
  }
  std::size_t body_start = end + 4;
  auto body = data.substr(body_start);
  bool no_body =
      head_request || r.status / 100 == 1 || r.status == 204 || r.status == 304;
  if (no_body) {
    if (consumed)
      *consumed = body_start;
    return r;
  }
  if (auto te = r.header("Transfer-Encoding");
      te && contains_token(*te, "chunked")) {
    std::size_t p = 0;
    std::string out;
    for (;;) {
      auto crlf = body.find("\r\n", p);
      if (crlf == std::string_view::npos)
        return std::nullopt;
      auto size_text = std::string{body.substr(p, crlf - p)};
      std::size_t size = 0;
      try {
        size = std::stoul(size_text, nullptr, 16);
      } catch (...) {
        return std::nullopt;
      }
      p = crlf + 2;
      if (size == 0) {
        auto trailer_end = body.find("\r\n", p);
        if (trailer_end == std::string_view::npos)
          return std::nullopt;
        p = trailer_end + 2;
        break;
      }
      if (body.size() < p + size + 2)
        return std::nullopt;
      out.append(body.substr(p, size));
      p += size + 2;
    }
    r.body = std::move(out);
    if (consumed)
      *consumed = body_start + p;
    return r;
  }
  if (auto cl = r.header("Content-Length")) {
    std::size_t len = 0;
    try {
      len = std::stoul(*cl);
    } catch (...) {
      return std::nullopt;
    }
    if (body.size() < len)
      return std::nullopt;
    r.body = std::string{body.substr(0, len)};
    if (consumed)
      *consumed = body_start + len;
    return r;
  }
  if (!at_eof)
    return std::nullopt;
  r.body = std::string{body};
  if (consumed)
    *consumed = data.size();
  return r;
}

void set_timeouts(int fd, std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(t.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int connect_to(std::uint16_t port, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw http_error("socket: " + std::string(std::strerror(errno)));
  set_timeouts(fd, timeout);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    ::close(fd);
    throw http_error("connect to 127.0.0.1:" + std::to_string(port) + ": "
                     + std::strerror(err));
  }
  return fd;
}

} // namespace

std::optional<std::string> response::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name))
      return v;
  return std::nullopt;
}

nlohmann::json response::json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const std::exception& e) {
    throw http_error("response body is not JSON (" + std::string(e.what())
                     + "): status " + std::to_string(status)
                     + ", body: " + body.substr(0, 500));
  }
}

std::optional<response> raw_result::first_response() const {
  return parse(data, nullptr, false, peer_closed);
}

std::optional<response> parse_response(std::string_view data,
                                       std::size_t* consumed,
                                       bool head_request) {
  return parse(data, consumed, head_request, false);
}

namespace {

struct spread_table {
  std::mutex mutex;
  std::map<std::uint16_t, std::vector<std::uint16_t>> ports;
  std::mt19937_64 rng{std::random_device{}()};
};

spread_table& spreads() {
  static spread_table table;
  return table;
}

/// The node a request to `port` goes to: `port`, or a random node of its
/// cluster.
std::uint16_t request_port(std::uint16_t port) {
  auto& table = spreads();
  std::lock_guard<std::mutex> guard{table.mutex};
  auto found = table.ports.find(port);
  if (found == table.ports.end() || found->second.empty())
    return port;
  auto& nodes = found->second;
  return nodes[std::uniform_int_distribution<std::size_t>{0, nodes.size() - 1}(
      table.rng)];
}

} // namespace

void spread_requests(std::uint16_t first, std::vector<std::uint16_t> ports) {
  auto& table = spreads();
  std::lock_guard<std::mutex> guard{table.mutex};
  table.ports[first] = std::move(ports);
}

std::vector<std::uint16_t> node_ports(std::uint16_t port) {
  auto& table = spreads();
  std::lock_guard<std::mutex> guard{table.mutex};
  auto found = table.ports.find(port);
  if (found == table.ports.end() || found->second.empty())
    return {port};
  return found->second;
}

http_client::http_client(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(test_support::scaled(timeout)) {}

http_client::~http_client() {
  close();
}

http_client::http_client(http_client&& other) noexcept
    : port_(other.port_), timeout_(other.timeout_), fd_(other.fd_),
      fd_port_(other.fd_port_), opened_(other.opened_),
      buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

void http_client::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

int http_client::open_connection() const {
  return connect_to(port_, timeout_);
}

void http_client::ensure_connected() {
  // In a cluster each request may go to another node.
  auto port = request_port(port_);
  if (fd_ >= 0 && fd_port_ == port)
    return;
  close();
  fd_ = connect_to(port, timeout_);
  fd_port_ = port;
  ++opened_;
  buffer_.clear();
}

namespace {
// Thrown by exchange() when a reused connection turned out to be closed
// before any byte of the answer came back: safe to send again.
struct stale_connection {};
} // namespace

response http_client::exchange(const std::string& wire, bool head) {
  // Send, but watch for an early answer (a 413 before the whole body went
  // out): then stop sending and read it, as careful clients do.
  std::size_t sent = 0;
  auto deadline = clock_type::now() + timeout_;
  while (sent < wire.size()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - clock_type::now())
                    .count();
    if (left <= 0)
      throw http_error("timeout while sending the request");
    pollfd pfd{fd_, POLLIN | POLLOUT, 0};
    int rc = ::poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc <= 0)
      continue;
    if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
      if (sent == 0)
        throw stale_connection{}; // closed while idle
      break;                      // an early answer (or a close): read it
    }
    auto n = ::send(fd_, wire.data() + sent, wire.size() - sent,
                    MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
      continue;
    int err = errno;
    if (sent == 0 && (err == EPIPE || err == ECONNRESET))
      throw stale_connection{};
    if (err == EPIPE || err == ECONNRESET)
      break; // read whatever answer arrived
    throw http_error("send: " + std::string(std::strerror(err)));
  }
  bool any = false;
  for (;;) {
    std::size_t used = 0;
    if (auto r = parse(buffer_, &used, head, false)) {
      buffer_.erase(0, used);
      return *r;
    }
    if (buffer_.size() > max_response)
      throw http_error("response too large");
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n > 0) {
      any = true;
      buffer_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0 || errno == ECONNRESET) {
      if (!any && buffer_.empty() && sent == wire.size())
        throw stale_connection{};
      if (!any && buffer_.empty())
        throw http_error("the server closed the connection before the "
                         "request was sent completely");
      std::size_t used2 = 0;
      if (auto r = parse(buffer_, &used2, head, true)) {
        buffer_.clear();
        close();
        return *r;
      }
      throw http_error("connection closed in the middle of a response: "
                       + buffer_.substr(0, 300));
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK)
      throw http_error("timeout: no complete response within "
                       + std::to_string(timeout_.count()) + " ms");
    throw http_error("recv: " + std::string(std::strerror(errno)));
  }
}

response http_client::request(std::string_view method, std::string_view target,
                              const std::string& body, const header_list& extra,
                              const std::string& token) {
  std::string wire;
  wire.reserve(body.size() + 512);
  wire.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  if (!has_header(extra, "Host"))
    wire += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  bool has_body_method =
      method == "POST" || method == "PUT" || method == "PATCH";
  if ((!body.empty() || has_body_method)
      && !has_header(extra, "Content-Length"))
    wire += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!body.empty() && !has_header(extra, "Content-Type"))
    wire += "Content-Type: application/json\r\n";
  if (!token.empty() && !has_header(extra, "Authorization"))
    wire += "Authorization: Bearer " + token + "\r\n";
  for (auto& [k, v] : extra)
    wire += k + ": " + v + "\r\n";
  wire += "\r\n";
  wire += body;

  bool head = method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    bool reused = fd_ >= 0;
    ensure_connected();
    try {
      auto r = exchange(wire, head);
      auto conn = r.header("Connection");
      if ((conn && contains_token(*conn, "close")) || r.version == "HTTP/1.0")
        close();
      return r;
    } catch (const stale_connection&) {
      close();
      if (!reused || attempt > 0)
        throw http_error("the server closed the connection without "
                         "answering "
                         + std::string(method) + " " + std::string(target));
    } catch (...) {
      close();
      throw;
    }
  }
}

response http_client::get(const std::string& target, const std::string& token,
                          const header_list& extra) {
  return request("GET", target, {}, extra, token);
}

response http_client::post(const std::string& target,
                           const nlohmann::json& body, const std::string& token,
                           const header_list& extra) {
  return request("POST", target, body.dump(), extra, token);
}

response http_client::put(const std::string& target, const nlohmann::json& body,
                          const std::string& token, const header_list& extra) {
  return request("PUT", target, body.dump(), extra, token);
}

response http_client::patch(const std::string& target,
                            const nlohmann::json& body,
                            const std::string& token,
                            const header_list& extra) {
  return request("PATCH", target, body.dump(), extra, token);
}

response http_client::del(const std::string& target, const std::string& token,
                          const header_list& extra) {
  return request("DELETE", target, {}, extra, token);
}

response http_client::send_text(std::string_view method,
                                const std::string& target,
                                const std::string& body,
                                const std::string& token,
                                const header_list& extra) {
  return request(method, target, body, extra, token);
}

raw_result http_client::raw(const std::string& bytes, bool half_close,
                            std::chrono::milliseconds read_timeout) const {
  raw_result out;
  int fd = connect_to(port_, timeout_);
  auto deadline = clock_type::now() + timeout_;
  std::size_t sent = 0;
  bool stop_sending = false;
  while (sent < bytes.size() && !stop_sending) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - clock_type::now())
                    .count();
    if (left <= 0)
      break;
    pollfd pfd{fd, POLLIN | POLLOUT, 0};
    int rc = ::poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc <= 0)
      break;
    if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
      break; // the server answered or closed: read that
    auto chunk = std::min<std::size_t>(bytes.size() - sent, 16384);
    auto n =
        ::send(fd, bytes.data() + sent, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      continue;
    } else {
      if (errno == EPIPE || errno == ECONNRESET)
        out.reset = true;
      stop_sending = true;
    }
  }
  if (half_close)
    ::shutdown(fd, SHUT_WR);

  auto read_deadline = clock_type::now() + test_support::scaled(read_timeout);
  for (;;) {
    if (auto r = parse(out.data, nullptr, false, false))
      break;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    read_deadline - clock_type::now())
                    .count();
    if (left <= 0) {
      out.timed_out = true;
      break;
    }
    pollfd pfd{fd, POLLIN, 0};
    int rc = ::poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc == 0) {
      out.timed_out = true;
      break;
    }
    char buf[16384];
    auto n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n > 0) {
      out.data.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    out.peer_closed = true;
    if (n < 0)
      out.reset = true;
    break;
  }
  ::close(fd);
  return out;
}

} // namespace e2e
