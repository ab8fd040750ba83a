// http_flash: closed-loop HTTP load generator for the flash sale.
//
// N clients, each with its own keep-alive TCP connection and its own user
// account, alternate POST /cart/items {"book_id":B,"quantity":1} and
// POST /orders/checkout {} on one hot book. A single-threaded epoll loop
// drives all connections, so the generator takes little of the CPU it shares
// with the server.
//
// Phases:
//   setup    (blocking, not measured) admin login, one book with stock
//            2,000,000,000, then N registrations at once through the event
//            loop (each costs the server ~70 ms of Argon2id);
//   warm-up  --warmup seconds of load, not recorded;
//   measure  --seconds of load: every response that completes inside this
//            window is counted, and its latency (request sent -> full
//            response read) recorded, separately for add-to-cart and
//            checkout;
//   drain    no new requests; in-flight ones get up to --drain seconds.
//
// Usage: http_flash [--host H] [--port P] [--clients N] [--seconds D]
//                   [--warmup W] [--drain S] [--label TEXT]
//                   [--admin-email E] [--admin-password P] [--no-metrics]
//                   [--server-pid PID]
// With --server-pid, the CPU used during the window is split into server,
// generator and everything else (from /proc), in cores.
// The admin credentials default to $BOOKSTORE_ADMIN_EMAIL and
// $BOOKSTORE_ADMIN_PASSWORD, else admin@example.com / adminpass123.
// Exit status: 0 when the run completed (whatever the statuses), 1 on a setup
// failure, 2 on bad options.

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <map>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;
using json = nlohmann::json;

struct options {
  std::string host = "127.0.0.1";
  int port = 8080;
  int clients = 64;
  double seconds = 10;
  double warmup = 2;
  double drain = 5;
  double setup_timeout = 300;
  std::string label = "flash sale";
  std::string admin_email;
  std::string admin_password;
  bool metrics = true;
  int server_pid = 0; // for CPU accounting; 0: none
};

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "http_flash: %s\n", msg.c_str());
  std::exit(1);
}

double seconds_between(time_point a, time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
         + static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// --- HTTP/1.1 response framing (the server always sends Content-Length) ---

struct parsed_response {
  int status = 0;
  std::size_t length = 0; // head + body bytes in the buffer
  std::size_t body_offset = 0;
  bool close = false;
};

bool iequals(std::string_view a, std::string_view b) {
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

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// 1: a whole response is at the front of buf; 0: need more; -1: malformed.
int parse_response(std::string_view buf, parsed_response& out) {
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
      return -1; // the server frames with Content-Length only
    }
  }
  bool bodiless = status < 200 || status == 204 || status == 304;
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

std::string make_request(std::string_view method, std::string_view target,
                         const std::string& host, const std::string& token,
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

sockaddr_storage resolve(const std::string& host, int port, socklen_t& len) {
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
int connect_to(const endpoint& ep, bool nonblocking) {
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
simple_response blocking_request(int fd, const std::string& req) {
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

// --- the load loop ---------------------------------------------------------

enum class step { registering, ready, add, checkout, done };

struct client {
  int index = 0;
  int fd = -1;
  step state = step::registering;
  std::string out;
  std::size_t out_off = 0;
  bool want_write = false;
  std::string in;
  time_point sent_at{};
  bool in_flight = false;
  std::string add_req;
  std::string checkout_req;
  std::uint64_t window_checkouts = 0; // 201s inside the measured window
  int register_attempts = 0;
};

struct outcome_counts {
  // key: "add 409 CART_ITEM_DUPLICATE" and the like (non-2xx only)
  std::map<std::string, std::uint64_t> non2xx;
  std::uint64_t add_ok = 0, checkout_ok = 0, add_total = 0, checkout_total = 0;
};

class load_loop {
public:
  load_loop(const options& opt, const endpoint& ep, int book_id)
      : opt_(opt), ep_(ep), book_id_(book_id) {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0)
      die("epoll_create1 failed");
    clients_.resize(static_cast<std::size_t>(opt.clients));
    for (int i = 0; i < opt.clients; ++i)
      clients_[static_cast<std::size_t>(i)].index = i;
  }

  ~load_loop() {
    for (auto& c : clients_)
      if (c.fd >= 0)
        ::close(c.fd);
    ::close(epfd_);
  }

  // Registers every client at once; returns false if any failed.
  bool register_all(const std::string& email_prefix) {
    email_prefix_ = email_prefix;
    for (auto& c : clients_) {
      if (!open(c))
        die("cannot connect to the server");
      send_register(c);
    }
    auto deadline = clock_type::now()
                    + std::chrono::milliseconds(
                        static_cast<std::int64_t>(opt_.setup_timeout * 1000));
    while (ready_count_ + failed_count_ < clients_.size()) {
      if (clock_type::now() > deadline) {
        std::fprintf(stderr, "http_flash: registration timed out\n");
        return false;
      }
      poll_once(100);
    }
    return failed_count_ == 0;
  }

  void run() {
    auto t0 = clock_type::now();
    auto warm = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(opt_.warmup));
    auto meas = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(opt_.seconds));
    auto drain = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(opt_.drain));
    window_start_ = t0 + warm;
    window_end_ = window_start_ + meas;
    for (auto& c : clients_)
      start_add(c);
    bool started = false;
    for (;;) {
      auto now = clock_type::now();
      if (!started && now >= window_start_) {
        started = true;
        if (on_window_start)
          on_window_start();
        window_start_ = clock_type::now(); // after the scrape, if any
        window_end_ = window_start_ + meas;
        now = window_start_;
      }
      if (now >= window_end_) {
        if (!stopped_) {
          stopped_ = true;
          actual_end_ = now;
          if (on_window_end)
            on_window_end();
          for (auto& c : clients_)
            if (!c.in_flight && c.state != step::done)
              finish(c);
        }
        if (in_flight_count() == 0 || now >= window_end_ + drain)
          break;
      }
      auto next = started ? window_end_ : window_start_;
      auto wait_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(next - now)
              .count();
      poll_once(static_cast<int>(
          std::clamp<std::int64_t>(stopped_ ? 20 : wait_ms + 1, 1, 100)));
    }
    unfinished_ = in_flight_count();
  }

  std::function<void()> on_window_start;
  std::function<void()> on_window_end;

  // results
  latency_stats add_lat, checkout_lat;
  outcome_counts counts;
  std::uint64_t transport_errors = 0, reconnects = 0;
  std::uint64_t unfinished_ = 0;
  time_point window_start_{}, window_end_{}, actual_end_{};
  std::vector<client>& clients() { return clients_; }
  std::string register_failure;

private:
  std::size_t in_flight_count() const {
    std::size_t n = 0;
    for (auto& c : clients_)
      n += c.in_flight ? 1 : 0;
    return n;
  }

  bool open(client& c) {
    c.fd = connect_to(ep_, true);
    if (c.fd < 0)
      return false;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(c.index);
    ::epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev);
    c.want_write = false;
    c.in.clear();
    return true;
  }

  void close_conn(client& c) {
    if (c.fd >= 0) {
      ::epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
      ::close(c.fd);
    }
    c.fd = -1;
    c.in.clear();
    c.out.clear();
    c.out_off = 0;
    c.in_flight = false;
  }

  // Sends on the client's connection, opening a new one if it has none.
  void send(client& c, const std::string& req) {
    if (c.fd < 0) {
      if (!open(c)) {
        if (c.state == step::registering) {
          register_failure = "cannot reconnect during registration";
          ++failed_count_;
        }
        finish(c);
        return;
      }
      ++reconnects;
    }
    c.out = req;
    c.out_off = 0;
    c.in_flight = true;
    c.sent_at = clock_type::now();
    flush(c);
  }

  void flush(client& c) {
    while (c.out_off < c.out.size()) {
      auto n = ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off,
                      MSG_NOSIGNAL);
      if (n > 0) {
        c.out_off += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        set_write_interest(c, true);
        return;
      }
      transport_error(c);
      return;
    }
    if (c.want_write)
      set_write_interest(c, false);
  }

  void set_write_interest(client& c, bool on) {
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.u32 = static_cast<std::uint32_t>(c.index);
    ::epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_write = on;
  }

  void send_register(client& c) {
    ++c.register_attempts;
    json body = {
        {"email", email_prefix_ + std::to_string(c.index) + "@example.com"},
        {"password", "flash-sale-password"}};
    send(c, make_request("POST", "/auth/register", opt_.host, "", body.dump()));
  }

  void start_add(client& c) {
    c.state = step::add;
    send(c, c.add_req);
  }

  void start_checkout(client& c) {
    c.state = step::checkout;
    send(c, c.checkout_req);
  }

  void finish(client& c) {
    c.state = step::done;
    c.in_flight = false;
  }

  bool in_window(time_point t) const {
    return t >= window_start_ && t < window_end_ && !stopped_;
  }

  // The connection failed or closed: the request in flight is lost.
  void transport_error(client& c) {
    bool was_in_flight = c.in_flight;
    close_conn(c);
    if (c.state == step::registering) {
      if (c.register_attempts >= 3) {
        register_failure = "connection lost during registration";
        ++failed_count_;
        finish(c);
      } else {
        send_register(c);
      }
      return;
    }
    if (was_in_flight && in_window(clock_type::now()))
      ++transport_errors;
    if (c.state == step::ready) // run() reconnects it
      return;
    if (stopped_ || c.state == step::done) {
      finish(c);
      return;
    }
    start_add(c); // a lost checkout leaves the item in the cart: harmless
  }

  void poll_once(int timeout_ms) {
    epoll_event events[256];
    int n = ::epoll_wait(epfd_, events, 256, timeout_ms);
    if (n < 0) {
      if (errno == EINTR)
        return;
      die("epoll_wait failed");
    }
    for (int i = 0; i < n; ++i) {
      auto& c = clients_[events[i].data.u32];
      if (c.fd < 0)
        continue;
      if (events[i].events & EPOLLOUT)
        flush(c);
      if (c.fd >= 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        read_ready(c);
    }
  }

  void read_ready(client& c) {
    char buf[16384];
    bool eof = false;
    for (;;) {
      auto n = ::recv(c.fd, buf, sizeof(buf), 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof(buf))
          break;
        continue;
      }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      eof = true; // EOF or reset: a whole response before it still counts
      break;
    }
    parsed_response p;
    int rc = parse_response(c.in, p);
    if (rc == 0) {
      if (eof)
        transport_error(c);
      return;
    }
    if (eof)
      p.close = true;
    auto now = clock_type::now();
    if (rc < 0 || !c.in_flight) {
      ++malformed_;
      transport_error(c);
      return;
    }
    std::string resp;
    resp.swap(c.in);
    c.in.assign(resp, p.length, std::string::npos);
    c.in_flight = false;
    if (p.close)
      close_conn(c); // the next send() opens a new connection
    std::string_view body(resp.data() + p.body_offset,
                          p.length - p.body_offset);
    handle(c, p, body, now);
  }

  static std::string error_code_of(std::string_view body) {
    auto k = body.find("\"code\"");
    if (k == std::string_view::npos)
      return "?";
    auto q1 = body.find('"', body.find(':', k) + 1);
    if (q1 == std::string_view::npos)
      return "?";
    auto q2 = body.find('"', q1 + 1);
    if (q2 == std::string_view::npos)
      return "?";
    return std::string(body.substr(q1 + 1, q2 - q1 - 1));
  }

  void handle(client& c, const parsed_response& p, std::string_view body,
              time_point now) {
    if (c.state == step::registering) {
      if (p.status == 201) {
        try {
          auto token = json::parse(body).at("access_token").get<std::string>();
          std::string add_body =
              "{\"book_id\":" + std::to_string(book_id_) + ",\"quantity\":1}";
          c.add_req =
              make_request("POST", "/cart/items", opt_.host, token, add_body);
          c.checkout_req =
              make_request("POST", "/orders/checkout", opt_.host, token, "{}");
          c.state = step::ready;
          ++ready_count_;
          return;
        } catch (const std::exception& e) {
          register_failure =
              std::string("bad registration answer: ") + e.what();
        }
      } else if (p.status >= 500 && c.register_attempts < 3) {
        send_register(c); // transient: try again
        return;
      } else {
        register_failure = "registration answered " + std::to_string(p.status)
                           + " " + std::string(body.substr(0, 200));
      }
      ++failed_count_;
      c.state = step::done;
      return;
    }
    bool is_add = c.state == step::add;
    if (in_window(now)) {
      auto lat =
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.sent_at)
              .count();
      bool ok = p.status >= 200 && p.status < 300;
      if (is_add) {
        ++counts.add_total;
        add_lat.ns.push_back(lat);
        if (ok)
          ++counts.add_ok;
      } else {
        ++counts.checkout_total;
        checkout_lat.ns.push_back(lat);
        if (p.status == 201) {
          ++counts.checkout_ok;
          ++c.window_checkouts;
        }
      }
      if (!ok)
        ++counts.non2xx[std::string(is_add ? "add-to-cart " : "checkout ")
                        + std::to_string(p.status) + " " + error_code_of(body)];
    }
    if (stopped_) {
      finish(c);
      return;
    }
    // A failed add (e.g. 409 CART_ITEM_DUPLICATE after a failed checkout)
    // still leads to a checkout: the cart holds the book either way.
    if (is_add)
      start_checkout(c);
    else
      start_add(c);
  }

  const options& opt_;
  endpoint ep_;
  int book_id_;
  int epfd_ = -1;
  std::vector<client> clients_;
  std::string email_prefix_;
  std::size_t ready_count_ = 0, failed_count_ = 0;
  bool stopped_ = false;

public:
  std::uint64_t malformed_ = 0;
};

// --- CPU accounting from /proc ---------------------------------------------

struct cpu_snapshot {
  double self_s = 0;        // this process, seconds
  long long busy_ticks = 0; // whole machine: user+nice+system+irq+softirq
  long long steal_ticks = 0;
  long long server_ticks = -1; // utime+stime of --server-pid
  time_point at{};
};

cpu_snapshot take_cpu_snapshot(int server_pid) {
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

// --- setup -----------------------------------------------------------------

struct store_counters {
  double orders = -1, commits = -1;
};

store_counters scrape_metrics(const options& opt, const endpoint& ep) {
  store_counters sc;
  int fd = connect_to(ep, false);
  if (fd < 0)
    return sc;
  auto r =
      blocking_request(fd, make_request("GET", "/metrics", opt.host, "", ""));
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

int setup_book(const options& opt, const endpoint& ep) {
  int fd = connect_to(ep, false);
  if (fd < 0)
    die("cannot connect to " + opt.host + ":" + std::to_string(opt.port));
  json login = {{"email", opt.admin_email}, {"password", opt.admin_password}};
  auto r = blocking_request(
      fd, make_request("POST", "/auth/login", opt.host, "", login.dump()));
  if (r.status != 200)
    die("admin login answered " + std::to_string(r.status) + ": " + r.body);
  auto token = json::parse(r.body).at("access_token").get<std::string>();
  json book = {{"title", "Flash Sale Book"},
               {"author", "Benchmark Author"},
               {"price", "9.99"}};
  r = blocking_request(
      fd, make_request("POST", "/books", opt.host, token, book.dump()));
  if (r.status != 201)
    die("POST /books answered " + std::to_string(r.status) + ": " + r.body);
  int id = json::parse(r.body).at("id").get<int>();
  json stock = {{"quantity", 2000000000}};
  r = blocking_request(
      fd, make_request("PATCH", "/books/" + std::to_string(id) + "/stock",
                       opt.host, token, stock.dump()));
  if (r.status != 200)
    die("PATCH stock answered " + std::to_string(r.status) + ": " + r.body);
  ::close(fd);
  return id;
}

void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--host H] [--port P] [--clients N] [--seconds D] "
               "[--warmup W]\n"
               "          [--drain S] [--label TEXT] [--admin-email E] "
               "[--admin-password P]\n"
               "          [--no-metrics] [--server-pid PID]\n",
               argv0);
}

options parse_options(int argc, char** argv) {
  options opt;
  const char* env_email = std::getenv("BOOKSTORE_ADMIN_EMAIL");
  const char* env_pass = std::getenv("BOOKSTORE_ADMIN_PASSWORD");
  opt.admin_email = env_email ? env_email : "admin@example.com";
  opt.admin_password = env_pass ? env_pass : "adminpass123";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage(argv[0]);
        std::exit(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--host")
        opt.host = value();
      else if (a == "--port")
        opt.port = std::stoi(value());
      else if (a == "--clients")
        opt.clients = std::stoi(value());
      else if (a == "--seconds")
        opt.seconds = std::stod(value());
      else if (a == "--warmup")
        opt.warmup = std::stod(value());
      else if (a == "--drain")
        opt.drain = std::stod(value());
      else if (a == "--label")
        opt.label = value();
      else if (a == "--admin-email")
        opt.admin_email = value();
      else if (a == "--admin-password")
        opt.admin_password = value();
      else if (a == "--no-metrics")
        opt.metrics = false;
      else if (a == "--server-pid")
        opt.server_pid = std::stoi(value());
      else if (a == "-h" || a == "--help") {
        usage(argv[0]);
        std::exit(0);
      } else {
        usage(argv[0]);
        std::exit(2);
      }
    } catch (const std::exception&) {
      usage(argv[0]);
      std::exit(2);
    }
  }
  if (opt.clients < 1 || opt.clients > 10000 || opt.seconds <= 0
      || opt.warmup < 0 || opt.drain < 0 || opt.port <= 0 || opt.port > 65535) {
    usage(argv[0]);
    std::exit(2);
  }
  return opt;
}

} // namespace

int main(int argc, char** argv) {
  auto opt = parse_options(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  endpoint ep;
  ep.addr = resolve(opt.host, opt.port, ep.len);

  auto setup_start = clock_type::now();
  int book_id = setup_book(opt, ep);
  load_loop loop(opt, ep, book_id);
  auto prefix =
      "flash-" + std::to_string(::getpid()) + "-"
      + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count())
      + "-";
  if (!loop.register_all(prefix))
    die("setup failed: " + loop.register_failure);
  std::printf("setup: book %d with stock 2000000000, %d users registered in "
              "%.1f s\n",
              book_id, opt.clients,
              seconds_between(setup_start, clock_type::now()));
  std::fflush(stdout);

  store_counters before, after;
  cpu_snapshot cpu_before, cpu_after;
  loop.on_window_start = [&] {
    if (opt.metrics)
      before = scrape_metrics(opt, ep);
    cpu_before = take_cpu_snapshot(opt.server_pid);
  };
  loop.on_window_end = [&] {
    cpu_after = take_cpu_snapshot(opt.server_pid);
    if (opt.metrics)
      after = scrape_metrics(opt, ep);
  };
  loop.run();

  double measured = seconds_between(loop.window_start_, loop.window_end_);
  auto& co = loop.checkout_lat;
  auto& ad = loop.add_lat;
  std::sort(co.ns.begin(), co.ns.end());
  std::sort(ad.ns.begin(), ad.ns.end());
  double cps = static_cast<double>(loop.counts.checkout_ok) / measured;
  std::uint64_t non2xx = 0;
  for (auto& [k, v] : loop.counts.non2xx)
    non2xx += v;
  std::uint64_t fewest = UINT64_MAX, most = 0;
  for (auto& c : loop.clients()) {
    fewest = std::min(fewest, c.window_checkouts);
    most = std::max(most, c.window_checkouts);
  }
  double cpu_wall = seconds_between(cpu_before.at, cpu_after.at);
  double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  double gen_cores = (cpu_after.self_s - cpu_before.self_s) / cpu_wall;
  double gen_cpu = gen_cores * 100;
  double busy_cores =
      static_cast<double>(cpu_after.busy_ticks - cpu_before.busy_ticks) / hz
      / cpu_wall;
  double steal_cores =
      static_cast<double>(cpu_after.steal_ticks - cpu_before.steal_ticks) / hz
      / cpu_wall;
  double server_cores = -1, other_cores = -1;
  if (opt.server_pid > 0 && cpu_before.server_ticks >= 0
      && cpu_after.server_ticks >= 0) {
    server_cores =
        static_cast<double>(cpu_after.server_ticks - cpu_before.server_ticks)
        / hz / cpu_wall;
    other_cores = std::max(0.0, busy_cores - server_cores - gen_cores);
  }

  std::printf("measured %.2f s after %.1f s warm-up, %d clients, %s:%d\n",
              measured, opt.warmup, opt.clients, opt.host.c_str(), opt.port);
  std::printf("checkouts: %llu answered, %llu x 201 -> %.1f checkouts/s\n",
              static_cast<unsigned long long>(loop.counts.checkout_total),
              static_cast<unsigned long long>(loop.counts.checkout_ok), cps);
  std::printf("  latency ms: mean %.3f p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f "
              "max %.3f\n",
              co.mean(), co.pct(0.50), co.pct(0.90), co.pct(0.99),
              co.pct(0.999), co.pct(1.0));
  std::printf("add-to-cart: %llu answered, %llu x 2xx -> %.1f/s\n",
              static_cast<unsigned long long>(loop.counts.add_total),
              static_cast<unsigned long long>(loop.counts.add_ok),
              static_cast<double>(loop.counts.add_total) / measured);
  std::printf("  latency ms: mean %.3f p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f "
              "max %.3f\n",
              ad.mean(), ad.pct(0.50), ad.pct(0.90), ad.pct(0.99),
              ad.pct(0.999), ad.pct(1.0));
  std::printf("checkouts per client in the window: fewest %llu, most %llu\n",
              static_cast<unsigned long long>(fewest),
              static_cast<unsigned long long>(most));
  std::printf("non-2xx answers: %llu\n",
              static_cast<unsigned long long>(non2xx));
  for (auto& [k, v] : loop.counts.non2xx)
    std::printf("  %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
  std::printf("transport errors (reset/EOF with a request in flight): %llu, "
              "reconnects: %llu, malformed: %llu, unanswered at the end: "
              "%llu\n",
              static_cast<unsigned long long>(loop.transport_errors),
              static_cast<unsigned long long>(loop.reconnects),
              static_cast<unsigned long long>(loop.malformed_),
              static_cast<unsigned long long>(loop.unfinished_));
  double opc = -1;
  if (opt.metrics && before.orders >= 0 && after.orders >= 0) {
    double d_orders = after.orders - before.orders;
    double d_commits = after.commits - before.commits;
    opc = d_commits > 0 ? d_orders / d_commits : 0;
    std::printf("store during the window: %.0f orders in %.0f commits "
                "(%.2f orders/commit)\n",
                d_orders, d_commits, opc);
  }
  std::printf("CPU during the window (cores of %ld): machine busy %.2f, "
              "generator %.2f, server %.2f, other processes %.2f, steal "
              "%.2f\n",
              sysconf(_SC_NPROCESSORS_ONLN), busy_cores, gen_cores,
              server_cores, other_cores, steal_cores);
  std::printf("\n| scenario | clients | checkouts/s | checkout p50 ms | "
              "checkout p99 ms | checkout max ms | add p50 ms | add p99 ms | "
              "add max ms | non-2xx | transport errors |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %s | %d | %.0f | %.2f | %.2f | %.1f | %.2f | %.2f | %.1f | "
              "%llu | %llu |\n",
              opt.label.c_str(), opt.clients, cps, co.pct(0.5), co.pct(0.99),
              co.pct(1.0), ad.pct(0.5), ad.pct(0.99), ad.pct(1.0),
              static_cast<unsigned long long>(non2xx),
              static_cast<unsigned long long>(loop.transport_errors));
  // One machine-readable line for scripts.
  std::printf("RESULT checkouts_per_s=%.1f co_p50_ms=%.3f co_p99_ms=%.3f "
              "co_max_ms=%.3f add_p50_ms=%.3f add_p99_ms=%.3f add_max_ms=%.3f "
              "checkouts=%llu adds=%llu non2xx=%llu transport_errors=%llu "
              "unanswered=%llu fewest_per_client=%llu orders_per_commit=%.2f "
              "gen_cpu_pct=%.1f server_cores=%.2f other_cores=%.2f "
              "busy_cores=%.2f measured_s=%.3f\n",
              cps, co.pct(0.5), co.pct(0.99), co.pct(1.0), ad.pct(0.5),
              ad.pct(0.99), ad.pct(1.0),
              static_cast<unsigned long long>(loop.counts.checkout_ok),
              static_cast<unsigned long long>(loop.counts.add_total),
              static_cast<unsigned long long>(non2xx),
              static_cast<unsigned long long>(loop.transport_errors),
              static_cast<unsigned long long>(loop.unfinished_),
              static_cast<unsigned long long>(fewest), opc, gen_cpu,
              server_cores, other_cores, busy_cores, measured);
  return 0;
}
