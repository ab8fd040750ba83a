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
//                   [--server-pid PID] [--books N] [--first-book ID]
//                   [--seed S] [--owned-by I/N]
// --books N spreads the load: each add-to-cart picks one of N books at
// random (uniformly, seeded by --seed and the client's index). The books are
// ids ID..ID+N-1 that already exist (seeded by bench/run.sh straight into
// SQLite, with enough stock) when --first-book is given; otherwise setup
// creates them over HTTP (stock 1,000,000 each; slow for large N).
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

#include "http_common.hpp"
#include "model/cluster.hpp"

namespace {

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
  int server_pid = 0;          // for CPU accounting; 0: none
  int books = 1;               // > 1: spread checkouts over this many books
  std::int64_t first_book = 0; // > 0: use existing books first_book..+books-1
  unsigned seed = 1;
  // --owned-by I/N: only users whose email node I of an N-node cluster owns
  // (model::ownership), as a balancer that knows the rule would send them.
  std::size_t owner = 0, owner_of = 0; // owner_of 0: any user
};

using namespace bench;

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
  std::string add_req; // one hot book: built once
  std::string token;   // spread: the add is built per iteration
  std::uint64_t rng = 0;
  std::string checkout_req;
  std::uint64_t window_checkouts = 0; // 201s inside the measured window
  int register_attempts = 0;
  std::string email;
};

struct outcome_counts {
  // key: "add 409 CART_ITEM_DUPLICATE" and the like (non-2xx only)
  std::map<std::string, std::uint64_t> non2xx;
  std::uint64_t add_ok = 0, checkout_ok = 0, add_total = 0, checkout_total = 0;
};

class load_loop {
public:
  load_loop(const options& opt, const endpoint& ep, std::int64_t book_id)
      : opt_(opt), ep_(ep), book_id_(book_id) {
    if (book_id_ <= 0)
      die("no book to buy");
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
    pick_emails(email_prefix);
    // At most 16 registrations in flight: each is an Argon2id hash on the
    // server, and hundreds at once made setup superlinearly slow (256 users
    // took 100 s on 2 cores).
    constexpr std::size_t max_in_flight = 16;
    std::size_t next = 0;
    auto deadline = clock_type::now()
                    + std::chrono::milliseconds(
                        static_cast<std::int64_t>(opt_.setup_timeout * 1000));
    while (ready_count_ + failed_count_ < clients_.size()) {
      std::size_t pending = next - ready_count_ - failed_count_;
      for (; pending < max_in_flight && next < clients_.size(); ++pending) {
        auto& c = clients_[next++];
        if (!open(c))
          die("cannot connect to the server");
        send_register(c);
      }
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

  // One email a client: prefix + a number, skipping the numbers whose
  // email another node owns when --owned-by is given.
  void pick_emails(const std::string& prefix) {
    std::int64_t n = 0;
    for (auto& c : clients_) {
      for (;; ++n) {
        c.email = prefix + std::to_string(n) + "@example.com";
        if (opt_.owner_of == 0
            || bookstore::model::ownership{opt_.owner_of}.owner_of_key(c.email)
                   == opt_.owner)
          break;
      }
      ++n;
    }
  }

  void send_register(client& c) {
    ++c.register_attempts;
    json body = {{"email", c.email}, {"password", "flash-sale-password"}};
    send(c, make_request("POST", "/auth/register", opt_.host, "", body.dump()));
  }

  void start_add(client& c) {
    c.state = step::add;
    if (opt_.books <= 1) {
      send(c, c.add_req);
      return;
    }
    // xorshift64: cheap, and repeatable per client for a given --seed.
    c.rng ^= c.rng << 13;
    c.rng ^= c.rng >> 7;
    c.rng ^= c.rng << 17;
    auto book =
        book_id_
        + static_cast<std::int64_t>(c.rng % static_cast<unsigned>(opt_.books));
    send(c, make_request("POST", "/cart/items", opt_.host, c.token,
                         "{\"book_id\":" + std::to_string(book)
                             + ",\"quantity\":1}"));
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
          c.token = token;
          c.rng =
              (static_cast<std::uint64_t>(opt_.seed) << 32)
              ^ (0x9e3779b97f4a7c15ull * static_cast<unsigned>(c.index + 1));
          if (c.rng == 0)
            c.rng = 1;
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
  std::int64_t book_id_; // a cluster's ids are large (time_floor)
  int epfd_ = -1;
  std::vector<client> clients_;
  std::size_t ready_count_ = 0, failed_count_ = 0;
  bool stopped_ = false;

public:
  std::uint64_t malformed_ = 0;
};

// --- setup -----------------------------------------------------------------

// Creates one book with `stock` copies through the admin API; returns its id.
std::int64_t create_book(const options& opt, int fd, const std::string& token,
                         const std::string& title, int stock) {
  json book = {
      {"title", title}, {"author", "Benchmark Author"}, {"price", "9.99"}};
  auto r = blocking_request(
      fd, make_request("POST", "/books", opt.host, token, book.dump()));
  if (r.status != 201)
    die("POST /books answered " + std::to_string(r.status) + ": " + r.body);
  auto id = json::parse(r.body).at("id").get<std::int64_t>();
  json quantity = {{"quantity", stock}};
  r = blocking_request(
      fd, make_request("PATCH", "/books/" + std::to_string(id) + "/stock",
                       opt.host, token, quantity.dump()));
  if (r.status != 200)
    die("PATCH stock answered " + std::to_string(r.status) + ": " + r.body);
  return id;
}

// Returns the first of the opt.books consecutive book ids the load buys.
std::int64_t setup_books(const options& opt, const endpoint& ep) {
  if (opt.first_book > 0)
    return opt.first_book; // seeded beforehand
  int fd = connect_to(ep, false);
  if (fd < 0)
    die("cannot connect to " + opt.host + ":" + std::to_string(opt.port));
  json login = {{"email", opt.admin_email}, {"password", opt.admin_password}};
  auto r = blocking_request(
      fd, make_request("POST", "/auth/login", opt.host, "", login.dump()));
  if (r.status != 200)
    die("admin login answered " + std::to_string(r.status) + ": " + r.body);
  auto token = json::parse(r.body).at("access_token").get<std::string>();
  if (opt.books <= 1) {
    auto id = create_book(opt, fd, token, "Flash Sale Book", 2000000000);
    ::close(fd);
    return id;
  }
  std::int64_t first = 0, prev = 0;
  for (int i = 0; i < opt.books; ++i) {
    auto id = create_book(opt, fd, token, "Spread Book " + std::to_string(i),
                          1000000);
    if (i == 0)
      first = id;
    else if (id != prev + 1)
      die("book ids are not consecutive; seed them and use --first-book");
    prev = id;
  }
  ::close(fd);
  return first;
}

void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--host H] [--port P] [--clients N] [--seconds D] "
               "[--warmup W]\n"
               "          [--drain S] [--label TEXT] [--admin-email E] "
               "[--admin-password P]\n"
               "          [--no-metrics] [--server-pid PID] [--books N]\n"
               "          [--first-book ID] [--seed S] [--owned-by I/N]\n",
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
      else if (a == "--books")
        opt.books = std::stoi(value());
      else if (a == "--first-book")
        opt.first_book = std::stoll(value());
      else if (a == "--owned-by") {
        auto v = value();
        auto slash = v.find('/');
        if (slash == std::string::npos)
          throw std::invalid_argument("--owned-by I/N");
        opt.owner = std::stoul(v.substr(0, slash));
        opt.owner_of = std::stoul(v.substr(slash + 1));
        if (opt.owner_of == 0 || opt.owner >= opt.owner_of)
          throw std::invalid_argument("--owned-by I/N");
      } else if (a == "--seed")
        opt.seed = static_cast<unsigned>(std::stoul(value()));
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
      || opt.warmup < 0 || opt.drain < 0 || opt.port <= 0 || opt.port > 65535
      || opt.books < 1 || opt.first_book < 0) {
    usage(argv[0]);
    std::exit(2);
  }
  return opt;
}

} // namespace

int main(int argc, char** argv) {
  bench::program_name = "http_flash";
  auto opt = parse_options(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  endpoint ep;
  ep.addr = resolve(opt.host, opt.port, ep.len);

  auto setup_start = clock_type::now();
  auto book_id = setup_books(opt, ep);
  load_loop loop(opt, ep, book_id);
  auto prefix =
      "flash-" + std::to_string(::getpid()) + "-"
      + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count())
      + "-";
  if (!loop.register_all(prefix))
    die("setup failed: " + loop.register_failure);
  std::printf("setup: books %lld..%lld (%d), %d users registered in %.1f s\n",
              static_cast<long long>(book_id),
              static_cast<long long>(book_id + opt.books - 1), opt.books,
              opt.clients, seconds_between(setup_start, clock_type::now()));
  std::fflush(stdout);

  store_counters before, after;
  cpu_snapshot cpu_before, cpu_after;
  loop.on_window_start = [&] {
    if (opt.metrics)
      before = scrape_metrics(opt.host, ep);
    cpu_before = take_cpu_snapshot(opt.server_pid);
  };
  loop.on_window_end = [&] {
    cpu_after = take_cpu_snapshot(opt.server_pid);
    if (opt.metrics)
      after = scrape_metrics(opt.host, ep);
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
  std::printf(
      "RESULT checkouts_per_s=%.1f co_p50_ms=%.3f co_p99_ms=%.3f "
      "co_max_ms=%.3f add_p50_ms=%.3f add_p99_ms=%.3f add_max_ms=%.3f "
      "checkouts=%llu adds=%llu non2xx=%llu transport_errors=%llu "
      "unanswered=%llu fewest_per_client=%llu orders_per_commit=%.2f "
      "gen_cpu_pct=%.1f server_cores=%.2f other_cores=%.2f "
      "busy_cores=%.2f measured_s=%.3f clients=%d books=%d\n",
      cps, co.pct(0.5), co.pct(0.99), co.pct(1.0), ad.pct(0.5), ad.pct(0.99),
      ad.pct(1.0), static_cast<unsigned long long>(loop.counts.checkout_ok),
      static_cast<unsigned long long>(loop.counts.add_total),
      static_cast<unsigned long long>(non2xx),
      static_cast<unsigned long long>(loop.transport_errors),
      static_cast<unsigned long long>(loop.unfinished_),
      static_cast<unsigned long long>(fewest), opc, gen_cpu, server_cores,
      other_cores, busy_cores, measured, opt.clients, opt.books);
  return 0;
}
