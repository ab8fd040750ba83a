// http_mix: closed-loop HTTP load generator for a TPC-W-like ordering mix,
// and a catalog sweep (GET every book once) for the memory scenario.
//
// --mode mix (default): N clients, each with its own keep-alive connection
// and its own user (registered at setup, not measured), pick one operation
// per iteration by weight (per mille):
//   browse   350  GET /books?page=P&size=20        (P uniform in 1..pages)
//   search   200  GET /books?q=WORD                 (WORD from --words)
//   detail   200  GET /books/{id}                   (id uniform in the books)
//   add      120  POST /cart/items {book_id, 1}     (a book not in the cart)
//   buy       80  POST /orders/checkout {}          (an add if the cart is
//   empty) cart      30  GET /cart orders    19  GET /orders register   1  POST
//   /auth/register; the client goes on as the new user
// TPC-W's ordering mix has about 13 % customer registrations, but there a
// registration is a cheap insert; here it is an Argon2id hash (~70 ms of
// server CPU by design), so at the TPC-W weight it would be the whole load.
// The generator tracks each client's cart, so every request has exactly one
// expected status (200 or 201); anything else is counted as unexpected and
// listed at the end (the exit status stays 0: the numbers are the result).
//
// --mode sweep: GET /books/{id} for every id in --first-book ..
// --first-book + --books - 1, each exactly once, over --clients connections,
// as fast as the server answers; no warm-up, no window (--seconds caps it).
//
// Usage: http_mix [--host H] [--port P] [--clients N] [--seconds D]
//                 [--warmup W] [--drain S] [--mode mix|sweep] [--books N]
//                 [--first-book ID] [--words w1,w2,...] [--seed S]
//                 [--server-pid PID] [--label TEXT]
// Latency is per request at the client, from sending it to reading the whole
// response; percentiles are nearest-rank. One `RESULT key=value ...` line and
// `OP name=... ...` lines are printed for scripts.

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/epoll.h>
#include <vector>

#include "http_common.hpp"

namespace {

using namespace bench;
using json = nlohmann::json;

struct options {
  std::string host = "127.0.0.1";
  int port = 8080;
  int clients = 64;
  double seconds = 10;
  double warmup = 2;
  double drain = 5;
  std::string mode = "mix";
  int books = 10000;
  int first_book = 1;
  std::vector<std::string> words = {"alpha", "beta", "gamma", "delta"};
  unsigned seed = 1;
  int server_pid = 0;
  std::string label = "mix";
};

enum op : int { browse, search, detail, add, buy, cart, orders, reg, op_count };
const char* const op_names[op_count] = {
    "browse", "search", "detail", "add", "buy", "cart", "orders", "register"};
const int op_weights[op_count] = {350, 200, 200, 120, 80, 30, 19, 1};
const int op_expected[op_count] = {200, 200, 200, 201, 201, 200, 200, 201};

struct client {
  int index = 0;
  int fd = -1;
  std::string out, in;
  std::size_t out_off = 0;
  bool in_flight = false;
  bool ready = false; // has a token (mix) or may start (sweep)
  op current = browse;
  int pending_book = 0; // book of the add in flight
  time_point sent_at{};
  std::string token;
  std::vector<int> cart; // book ids in this client's cart
  std::uint64_t rng = 1;
};

class mix_loop {
public:
  mix_loop(const options& opt, const endpoint& ep) : opt_(opt), ep_(ep) {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0)
      die("epoll_create1 failed");
    clients_.resize(static_cast<std::size_t>(opt.clients));
    for (int i = 0; i < opt.clients; ++i) {
      auto& c = clients_[static_cast<std::size_t>(i)];
      c.index = i;
      c.rng = (static_cast<std::uint64_t>(opt.seed) << 32)
              ^ (0x9e3779b97f4a7c15ull * static_cast<unsigned>(i + 1));
      if (c.rng == 0)
        c.rng = 1;
    }
    next_sweep_ = opt.first_book;
  }
  ~mix_loop() {
    for (auto& c : clients_)
      if (c.fd >= 0)
        ::close(c.fd);
    ::close(epfd_);
  }

  // Registers every client's first user at once (mix mode).
  void register_all() {
    for (auto& c : clients_)
      start(c, reg);
    auto deadline = clock_type::now() + std::chrono::seconds(300);
    std::size_t ready = 0;
    while (ready < clients_.size()) {
      if (clock_type::now() > deadline)
        die("registration timed out");
      poll_once(100);
      ready = static_cast<std::size_t>(
          std::count_if(clients_.begin(), clients_.end(),
                        [](const client& c) { return c.ready; }));
      if (setup_failure_)
        die("registration failed: " + setup_error_);
    }
  }

  void run() {
    bool sweep = opt_.mode == "sweep";
    auto to_dur = [](double s) {
      return std::chrono::duration_cast<clock_type::duration>(
          std::chrono::duration<double>(s));
    };
    auto t0 = clock_type::now();
    window_start_ = sweep ? t0 : t0 + to_dur(opt_.warmup);
    window_end_ = window_start_ + to_dur(opt_.seconds);
    bool started = sweep;
    if (sweep)
      cpu_before = take_cpu_snapshot(opt_.server_pid);
    for (auto& c : clients_)
      next(c);
    auto last_progress = t0;
    for (;;) {
      auto now = clock_type::now();
      if (!started && now >= window_start_) {
        started = true;
        cpu_before = take_cpu_snapshot(opt_.server_pid);
        window_start_ = now;
        window_end_ = now + to_dur(opt_.seconds);
      }
      if (sweep && now - last_progress > std::chrono::seconds(10)) {
        last_progress = now;
        std::fprintf(stderr, "http_mix: %d of %d books fetched\n",
                     next_sweep_ - opt_.first_book, opt_.books);
      }
      bool sweep_done = sweep && next_sweep_ >= opt_.first_book + opt_.books
                        && in_flight() == 0;
      if ((now >= window_end_ || sweep_done) && !stopped_) {
        stopped_ = true;
        window_end_ = std::min(now, window_end_);
        cpu_after = take_cpu_snapshot(opt_.server_pid);
      }
      if (stopped_
          && (in_flight() == 0 || now >= window_end_ + to_dur(opt_.drain)))
        break;
      poll_once(stopped_ ? 20 : 10);
    }
    unanswered = in_flight();
  }

  double measured_s() const {
    return seconds_between(window_start_, window_end_);
  }

  latency_stats lat[op_count];
  latency_stats all;
  std::map<std::string, std::uint64_t> unexpected; // "op status code"
  std::uint64_t transport_errors = 0, unanswered = 0;
  cpu_snapshot cpu_before, cpu_after;

private:
  std::uint64_t rand(std::uint64_t& s) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  int random_book(client& c) {
    return opt_.first_book
           + static_cast<int>(rand(c.rng) % static_cast<unsigned>(opt_.books));
  }

  std::size_t in_flight() const {
    return static_cast<std::size_t>(
        std::count_if(clients_.begin(), clients_.end(),
                      [](const client& c) { return c.in_flight; }));
  }

  // Picks the client's next operation (or finishes it).
  void next(client& c) {
    if (stopped_)
      return;
    if (opt_.mode == "sweep") {
      if (next_sweep_ >= opt_.first_book + opt_.books)
        return;
      c.pending_book = next_sweep_++;
      start(c, detail);
      return;
    }
    auto r = static_cast<int>(rand(c.rng) % 1000);
    int o = 0;
    while (o < op_count - 1 && r >= op_weights[o])
      r -= op_weights[o++];
    auto chosen = static_cast<op>(o);
    if (chosen == buy && c.cart.empty())
      chosen = add;
    if (chosen == add && c.cart.size() >= 10) // keep orders small
      chosen = buy;
    start(c, chosen);
  }

  void start(client& c, op o) {
    c.current = o;
    std::string target, body;
    const char* method = "GET";
    switch (o) {
    case browse: {
      int pages = std::max(1, std::min(50, opt_.books / 20));
      target = "/books?page="
               + std::to_string(1 + rand(c.rng) % static_cast<unsigned>(pages))
               + "&size=20";
      break;
    }
    case search:
      target = "/books?q=" + opt_.words[rand(c.rng) % opt_.words.size()];
      break;
    case detail:
      if (opt_.mode != "sweep")
        c.pending_book = random_book(c);
      target = "/books/" + std::to_string(c.pending_book);
      break;
    case add: {
      int book = 0;
      do
        book = random_book(c);
      while (std::find(c.cart.begin(), c.cart.end(), book) != c.cart.end());
      c.pending_book = book;
      method = "POST";
      target = "/cart/items";
      body = "{\"book_id\":" + std::to_string(book) + ",\"quantity\":1}";
      break;
    }
    case buy:
      method = "POST";
      target = "/orders/checkout";
      body = "{}";
      break;
    case cart:
      target = "/cart";
      break;
    case orders:
      target = "/orders";
      break;
    case reg:
    case op_count:
      method = "POST";
      target = "/auth/register";
      body = json{{"email", "mix-" + std::to_string(::getpid()) + "-"
                                + std::to_string(++registrations_)
                                + "@example.com"},
                  {"password", "mix-password-1"}}
                 .dump();
      break;
    }
    send(c, make_request(method, target, opt_.host, c.token, body));
  }

  void send(client& c, std::string req) {
    if (c.fd < 0 && !open(c)) {
      ++transport_errors;
      return;
    }
    c.out = std::move(req);
    c.out_off = 0;
    c.in_flight = true;
    c.sent_at = clock_type::now();
    flush(c);
  }

  bool open(client& c) {
    c.fd = connect_to(ep_, true);
    if (c.fd < 0)
      return false;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(c.index);
    ::epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev);
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
    c.in_flight = false;
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
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u32 = static_cast<std::uint32_t>(c.index);
        ::epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
        return;
      }
      lost(c);
      return;
    }
  }

  // The connection broke with a request in flight: count it, start over.
  void lost(client& c) {
    bool was = c.in_flight;
    close_conn(c);
    if (!c.ready) {
      setup_failure_ = true;
      setup_error_ = "connection lost";
      return;
    }
    if (was && !stopped_)
      ++transport_errors;
    // A lost add or checkout may or may not have happened, so this client
    // no longer knows its cart: it goes on as a fresh user (rare).
    if (c.current == add || c.current == buy)
      start(c, reg);
    else
      next(c);
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
      if (events[i].events & EPOLLOUT) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = static_cast<std::uint32_t>(c.index);
        ::epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
        flush(c);
      }
      if (c.fd >= 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
        read_ready(c);
    }
  }

  void read_ready(client& c) {
    char buf[65536];
    bool eof = false;
    for (;;) {
      auto n = ::recv(c.fd, buf, sizeof(buf), 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      eof = true;
      break;
    }
    parsed_response p;
    int rc = parse_response(c.in, p);
    if (rc == 0) {
      if (eof)
        lost(c);
      return;
    }
    if (rc < 0 || !c.in_flight) {
      lost(c);
      return;
    }
    auto now = clock_type::now();
    std::string resp;
    resp.swap(c.in);
    c.in.assign(resp, p.length, std::string::npos);
    c.in_flight = false;
    if (p.close || eof)
      close_conn(c);
    handle(
        c, p.status,
        std::string_view(resp).substr(p.body_offset, p.length - p.body_offset),
        now);
  }

  static std::string code_of(std::string_view body) {
    auto k = body.find("\"code\"");
    if (k == std::string_view::npos)
      return "-";
    auto q1 = body.find('"', body.find(':', k) + 1);
    auto q2 = q1 == std::string_view::npos ? q1 : body.find('"', q1 + 1);
    if (q2 == std::string_view::npos)
      return "?";
    return std::string(body.substr(q1 + 1, q2 - q1 - 1));
  }

  void handle(client& c, int status, std::string_view body, time_point now) {
    auto o = c.current;
    bool ok = status == op_expected[o];
    if (c.ready && now >= window_start_ && now < window_end_ && !stopped_) {
      auto ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.sent_at)
              .count();
      lat[o].ns.push_back(ns);
      all.ns.push_back(ns);
      if (!ok)
        ++unexpected[std::string(op_names[o]) + " " + std::to_string(status)
                     + " " + code_of(body)];
    }
    if (o == reg) {
      if (ok) {
        try {
          c.token = json::parse(body).at("access_token").get<std::string>();
          c.cart.clear();
          c.ready = true;
        } catch (const std::exception& e) {
          setup_failure_ = true;
          setup_error_ = e.what();
        }
      } else if (!c.ready) {
        setup_failure_ = true;
        setup_error_ = "POST /auth/register answered " + std::to_string(status)
                       + " " + std::string(body.substr(0, 200));
        return;
      }
      if (!running())
        return; // setup: wait for run()
    } else if (o == add && ok) {
      c.cart.push_back(c.pending_book);
    } else if (o == buy && ok) {
      c.cart.clear();
    } else if ((o == add || o == buy) && !ok) {
      // Out of step with the server's cart: continue as a fresh user.
      start(c, reg);
      return;
    }
    next(c);
  }

  bool running() const { return running_; }

public:
  void set_running() { running_ = true; }
  void mark_ready() {
    for (auto& c : clients_)
      c.ready = true;
  }

private:
  const options& opt_;
  endpoint ep_;
  int epfd_ = -1;
  std::vector<client> clients_;
  int next_sweep_ = 1;
  std::uint64_t registrations_ = 0;
  bool stopped_ = false, running_ = false, setup_failure_ = false;
  std::string setup_error_;
  time_point window_start_{}, window_end_{};
};

void usage() {
  std::fprintf(stderr,
               "usage: http_mix [--host H] [--port P] [--clients N] "
               "[--seconds D] [--warmup W]\n"
               "                [--drain S] [--mode mix|sweep] [--books N] "
               "[--first-book ID]\n"
               "                [--words w1,w2,...] [--seed S] "
               "[--server-pid PID] [--label TEXT]\n");
}

options parse_options(int argc, char** argv) {
  options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
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
      else if (a == "--mode")
        opt.mode = value();
      else if (a == "--books")
        opt.books = std::stoi(value());
      else if (a == "--first-book")
        opt.first_book = std::stoi(value());
      else if (a == "--seed")
        opt.seed = static_cast<unsigned>(std::stoul(value()));
      else if (a == "--server-pid")
        opt.server_pid = std::stoi(value());
      else if (a == "--label")
        opt.label = value();
      else if (a == "--words") {
        opt.words.clear();
        auto list = value();
        std::size_t pos = 0;
        while (pos <= list.size()) {
          auto comma = list.find(',', pos);
          if (comma == std::string::npos)
            comma = list.size();
          if (comma > pos)
            opt.words.push_back(list.substr(pos, comma - pos));
          pos = comma + 1;
        }
      } else {
        usage();
        std::exit(a == "-h" || a == "--help" ? 0 : 2);
      }
    } catch (const std::exception&) {
      usage();
      std::exit(2);
    }
  }
  if (opt.clients < 1 || opt.clients > 10000 || opt.seconds <= 0
      || opt.warmup < 0 || opt.books < 1 || opt.first_book < 1
      || opt.words.empty() || (opt.mode != "mix" && opt.mode != "sweep")) {
    usage();
    std::exit(2);
  }
  return opt;
}

void print_op(const char* name, latency_stats& s, double secs) {
  std::sort(s.ns.begin(), s.ns.end());
  std::printf("OP name=%s count=%zu per_s=%.1f p50_ms=%.3f p99_ms=%.3f "
              "max_ms=%.3f\n",
              name, s.ns.size(), static_cast<double>(s.ns.size()) / secs,
              s.pct(0.5), s.pct(0.99), s.pct(1.0));
}

} // namespace

int main(int argc, char** argv) {
  bench::program_name = "http_mix";
  auto opt = parse_options(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  endpoint ep;
  ep.addr = resolve(opt.host, opt.port, ep.len);
  mix_loop loop(opt, ep);
  auto setup_start = clock_type::now();
  if (opt.mode == "mix") {
    loop.register_all();
    std::printf("setup: %d users registered in %.1f s\n", opt.clients,
                seconds_between(setup_start, clock_type::now()));
  } else {
    loop.mark_ready(); // the sweep reads public routes: no account needed
  }
  loop.set_running();
  std::fflush(stdout);
  loop.run();

  double secs = loop.measured_s();
  double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  double wall = seconds_between(loop.cpu_before.at, loop.cpu_after.at);
  double server_cores =
      opt.server_pid > 0 ? static_cast<double>(loop.cpu_after.server_ticks
                                               - loop.cpu_before.server_ticks)
                               / hz / wall
                         : -1;
  double gen_cores = (loop.cpu_after.self_s - loop.cpu_before.self_s) / wall;
  double busy = static_cast<double>(loop.cpu_after.busy_ticks
                                    - loop.cpu_before.busy_ticks)
                / hz / wall;
  double other =
      server_cores >= 0 ? std::max(0.0, busy - server_cores - gen_cores) : -1;
  std::uint64_t bad = 0;
  for (auto& [k, v] : loop.unexpected)
    bad += v;
  std::sort(loop.all.ns.begin(), loop.all.ns.end());
  std::printf("%s: %d clients, mode %s, measured %.2f s\n", opt.label.c_str(),
              opt.clients, opt.mode.c_str(), secs);
  for (int o = 0; o < op_count; ++o)
    if (!loop.lat[o].ns.empty() || opt.mode == "mix")
      print_op(op_names[o], loop.lat[o], secs);
  std::printf("RESULT ops_per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
              "requests=%zu checkouts_per_s=%.1f unexpected=%llu "
              "transport_errors=%llu unanswered=%llu server_cores=%.2f "
              "gen_cores=%.2f other_cores=%.2f measured_s=%.3f clients=%d\n",
              static_cast<double>(loop.all.ns.size()) / secs, loop.all.pct(0.5),
              loop.all.pct(0.99), loop.all.pct(1.0), loop.all.ns.size(),
              static_cast<double>(loop.lat[buy].ns.size()) / secs,
              static_cast<unsigned long long>(bad),
              static_cast<unsigned long long>(loop.transport_errors),
              static_cast<unsigned long long>(loop.unanswered), server_cores,
              gen_cores, other, secs, opt.clients);
  if (bad || loop.transport_errors) {
    std::printf("UNEXPECTED answers (op status code: count):\n");
    for (auto& [k, v] : loop.unexpected)
      std::printf("  %s: %llu\n", k.c_str(),
                  static_cast<unsigned long long>(v));
    std::printf("  transport errors: %llu\n",
                static_cast<unsigned long long>(loop.transport_errors));
  }
  return 0;
}
