// http_common.hpp: the pieces the HTTP load generators share (http_flash,
// http_mix): HTTP/1.1 response framing, request building, blocking sockets
// for setup, nearest-rank latency percentiles, CPU accounting from /proc and
// the store counters of /metrics. Header-only so each generator stays one
// translation unit without a library target.
#pragma once

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace bench {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// Name used in error messages; each program sets it first thing in main().
inline const char* program_name = "bench";
[[noreturn]] inline void die(const std::string& msg) {
  std::fprintf(stderr, "%s: %s\n", program_name, msg.c_str());
  std::exit(1);
}

inline double seconds_between(time_point a, time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

inline double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
         + static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// --- HTTP/1.1 response framing: Content-Length, or chunked (order listings
// longer than a page; their bodies are left as the chunks that came) -----

struct parsed_response {
  int status = 0;
  std::size_t length = 0; // head + body bytes in the buffer
  std::size_t body_offset = 0;
  bool close = false;
};

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
    auto y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
    if (x != y)
      return false;
  }
  return true;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Where the chunked body that starts at `pos` ends (after its last chunk;
// the server sends no trailers); 0: need more; -1: malformed.
inline long chunked_end(std::string_view buf, std::size_t pos) {
  for (;;) {
    auto eol = buf.find("\r\n", pos);
    if (eol == std::string_view::npos)
      return 0;
    std::size_t size = 0;
    if (eol == pos || eol - pos > 15)
      return -1;
    for (auto i = pos; i < eol; ++i) {
      auto c = buf[i];
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0)
        return -1;
      size = size * 16 + static_cast<std::size_t>(digit);
    }
    pos = eol + 2 + size + 2;
    if (buf.size() < pos)
      return 0;
    if (buf.substr(pos - 2, 2) != "\r\n")
      return -1;
    if (size == 0)
      return static_cast<long>(pos);
  }
}

// 1: a whole response is at the front of buf; 0: need more; -1: malformed.
inline int parse_response(std::string_view buf, parsed_response& out) {
  auto head_end = buf.find("\r\n\r\n");
  if (head_end == std::string_view::npos)
    return buf.size() > (1u << 20) ? -1 : 0;
  auto head = buf.substr(0, head_end);
  auto line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/")
    return -1;
  auto sp = status_line.find(' ');
  if (sp == std::string_view::npos || sp + 4 > status_line.size())
    return -1;
  int status = 0;
  for (std::size_t i = sp + 1; i < sp + 4; ++i) {
    if (status_line[i] < '0' || status_line[i] > '9')
      return -1;
    status = status * 10 + (status_line[i] - '0');
  }
  std::optional<std::size_t> content_length;
  bool close = false;
  bool chunked = false;
  std::size_t pos =
      line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string_view::npos)
      next = head.size();
    auto line = head.substr(pos, next - pos);
    pos = next + 2;
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    auto name = line.substr(0, colon);
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      std::size_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9')
          return -1;
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      content_length = n;
    } else if (iequals(name, "connection")) {
      close = iequals(value, "close");
    } else if (iequals(name, "transfer-encoding")) {
      if (!iequals(value, "chunked"))
        return -1;
      chunked = true;
    }
  }
  bool bodiless = status < 200 || status == 204 || status == 304;
  if (chunked && !bodiless) {
    auto end = chunked_end(buf, head_end + 4);
    if (end <= 0)
      return static_cast<int>(end);
    out.status = status;
    out.length = static_cast<std::size_t>(end);
    out.body_offset = head_end + 4;
    out.close = close;
    return 1;
  }
  std::size_t body = bodiless ? 0 : content_length.value_or(0);
  if (!bodiless && !content_length && !close)
    return -1;
  auto total = head_end + 4 + body;
  if (buf.size() < total)
    return 0;
  out.status = status;
  out.length = total;
  out.body_offset = head_end + 4;
  out.close = close;
  return 1;
}

inline std::string make_request(std::string_view method,
                                std::string_view target,
                                const std::string& host,
                                const std::string& token,
                                const std::string& body) {
  std::string r;
  r.reserve(256 + token.size() + body.size());
  r.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  r.append("Host: ").append(host).append("\r\n");
  if (!token.empty())
    r.append("Authorization: Bearer ").append(token).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT"
      || method == "PATCH") {
    r.append("Content-Type: application/json\r\n");
    r.append("Content-Length: ").append(std::to_string(body.size()));
    r.append("\r\n");
  }
  r.append("\r\n").append(body);
  return r;
}

// --- sockets ---------------------------------------------------------------

inline sockaddr_storage resolve(const std::string& host, int port,
                                socklen_t& len) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  auto port_s = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), port_s.c_str(), &hints, &res); rc)
    die("cannot resolve " + host + ": " + gai_strerror(rc));
  sockaddr_storage ss{};
  std::memcpy(&ss, res->ai_addr, res->ai_addrlen);
  len = res->ai_addrlen;
  freeaddrinfo(res);
  return ss;
}

struct endpoint {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

// Blocking connect (immediate on loopback); returns -1 on failure.
inline int connect_to(const endpoint& ep, bool nonblocking) {
  int fd = ::socket(ep.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&ep.addr), ep.len) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (nonblocking)
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

struct simple_response {
  int status = 0;
  std::string body;
};

// One blocking request on a blocking socket (setup and /metrics only).
inline simple_response blocking_request(int fd, const std::string& req) {
  std::size_t off = 0;
  while (off < req.size()) {
    auto n = ::send(fd, req.data() + off, req.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      die(std::string("send failed: ") + std::strerror(errno));
    off += static_cast<std::size_t>(n);
  }
  std::string in;
  char buf[16384];
  for (;;) {
    parsed_response p;
    int rc = parse_response(in, p);
    if (rc < 0)
      die("malformed response during setup");
    if (rc > 0)
      return {p.status, in.substr(p.body_offset, p.length - p.body_offset)};
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      die("connection closed during setup");
    in.append(buf, static_cast<std::size_t>(n));
  }
}

// --- statistics ------------------------------------------------------------

struct latency_stats {
  std::vector<std::int64_t> ns;
  double pct(double p) const { // nearest rank, in ms; ns must be sorted
    if (ns.empty())
      return 0;
    auto rank =
        static_cast<std::size_t>(std::ceil(p * static_cast<double>(ns.size())));
    rank = std::clamp<std::size_t>(rank, 1, ns.size());
    return static_cast<double>(ns[rank - 1]) / 1e6;
  }
  double mean() const {
    if (ns.empty())
      return 0;
    long double sum = 0;
    for (auto v : ns)
      sum += v;
    return static_cast<double>(sum / ns.size() / 1e6);
  }
};

// --- CPU accounting from /proc ---------------------------------------------

struct cpu_snapshot {
  double self_s = 0;        // this process, seconds
  long long busy_ticks = 0; // whole machine: user+nice+system+irq+softirq
  long long steal_ticks = 0;
  long long server_ticks = -1; // utime+stime of --server-pid
  time_point at{};
};

inline cpu_snapshot take_cpu_snapshot(int server_pid) {
  cpu_snapshot s;
  s.at = clock_type::now();
  s.self_s = cpu_seconds();
  if (FILE* f = std::fopen("/proc/stat", "r")) {
    long long v[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (std::fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", &v[0],
                    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7])
        == 8) {
      s.busy_ticks = v[0] + v[1] + v[2] + v[5] + v[6];
      s.steal_ticks = v[7];
    }
    std::fclose(f);
  }
  if (server_pid > 0) {
    auto path = "/proc/" + std::to_string(server_pid) + "/stat";
    if (FILE* f = std::fopen(path.c_str(), "r")) {
      char buf[4096];
      auto n = std::fread(buf, 1, sizeof(buf) - 1, f);
      buf[n] = 0;
      std::fclose(f);
      // Fields after the ")" that ends the command name: state is field 3;
      // utime and stime are fields 14 and 15.
      if (const char* p = std::strrchr(buf, ')')) {
        ++p;
        long long utime = 0, stime = 0;
        int field = 2;
        const char* q = p;
        while (*q && field < 15) {
          while (*q == ' ')
            ++q;
          ++field;
          if (field == 14)
            utime = std::strtoll(q, nullptr, 10);
          else if (field == 15)
            stime = std::strtoll(q, nullptr, 10);
          while (*q && *q != ' ')
            ++q;
        }
        s.server_ticks = utime + stime;
      }
    }
  }
  return s;
}

struct store_counters {
  double orders = -1, commits = -1;
};

inline store_counters scrape_metrics(const std::string& host,
                                     const endpoint& ep) {
  store_counters sc;
  int fd = connect_to(ep, false);
  if (fd < 0)
    return sc;
  auto r = blocking_request(fd, make_request("GET", "/metrics", host, "", ""));
  ::close(fd);
  if (r.status != 200)
    return sc;
  auto value_of = [&](const std::string& name) {
    std::size_t pos = 0;
    while ((pos = r.body.find(name, pos)) != std::string::npos) {
      bool line_start = pos == 0 || r.body[pos - 1] == '\n';
      auto after = pos + name.size();
      if (line_start && after < r.body.size() && r.body[after] == ' ')
        return std::strtod(r.body.c_str() + after + 1, nullptr);
      pos = after;
    }
    return -1.0;
  };
  sc.orders = value_of("bookstore_store_orders_total");
  sc.commits = value_of("bookstore_store_commits_total");
  return sc;
}

} // namespace bench
