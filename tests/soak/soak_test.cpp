// The soak: the real server under a bounded mixed load (browse, search,
// detail, cart, checkout, orders, admin reports, registrations and logins,
// /health) from concurrent keep-alive clients, with its resident memory and
// open descriptors sampled every few seconds. It fails on any answer but
// the expected ones (2xx, and 409 where stock legitimately ran out) and on
// growth after warm-up (growth.hpp).
//
// BOOKSTORE_SOAK_SECONDS sets the length of the load (default 60: CI; 600
// for the full soak of README.md); the first quarter is warm-up.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "growth.hpp"
#include "helpers.hpp"
#include "load.hpp"
#include "proc_stats.hpp"

using namespace soak;
using steady = std::chrono::steady_clock;

namespace {

constexpr int shopper_count = 16;
constexpr int customers_per_shopper = 3;
constexpr int book_count = 300;
constexpr std::int64_t mib = 1024;

long soak_seconds() {
  const char* v = std::getenv("BOOKSTORE_SOAK_SECONDS");
  long n = v != nullptr ? std::strtol(v, nullptr, 10) : 0;
  return n >= 20 ? n : 60;
}

/// A gauge of /metrics ("name value" line), -1 if absent.
long gauge(const std::string& text, const std::string& name) {
  auto at = text.find("\n" + name + " ");
  return at == std::string::npos
             ? -1
             : std::strtol(text.c_str() + at + name.size() + 2, nullptr, 10);
}

struct row {
  sample s;
  totals t;
  long live_books = -1;
  long live_carts = -1;
};

void print_table(const std::vector<row>& rows, double warmup) {
  std::printf("%7s %8s %5s %9s %7s %9s %6s %5s %6s %6s\n", "t(s)", "RSS(MiB)",
              "fds", "requests", "req/s", "2xx", "409", "fail", "books",
              "carts");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    auto prev = i == 0 ? row{} : rows[i - 1];
    double rate = (r.t.requests - prev.t.requests)
                  / std::max(r.s.seconds - prev.s.seconds, 1e-3);
    std::printf(
        "%7.1f %8.1f %5lld %9lld %7.0f %9lld %6lld %5lld %6ld %6ld%s\n",
        r.s.seconds, r.s.rss_kib / 1024.0, static_cast<long long>(r.s.fds),
        static_cast<long long>(r.t.requests), rate,
        static_cast<long long>(r.t.ok), static_cast<long long>(r.t.conflicts),
        static_cast<long long>(r.t.failures), r.live_books, r.live_carts,
        r.s.seconds < warmup ? "  warm-up" : "");
  }
}

} // namespace

TEST_CASE("a mixed load for the soak's length gets no unexpected answer and "
          "grows nothing",
          "[soak]") {
  const long seconds = soak_seconds();
  const double warmup = seconds / 4.0;
  const auto interval =
      std::chrono::seconds(std::clamp<long>(seconds / 120, 2, 5));
  const std::uint64_t seed = std::random_device{}();
  INFO("seed " << seed);

  e2e::server_options options;
  // Customers switch every 2 to 8 s and come back later: with a short
  // passivation delay their carts (and the books nobody touched for a
  // while) stop and load again many times in any run, not only after the
  // default 60 s.
  options.extra_args = {"--idle-timeout-ms", "5000"};
  e2e::server_process server{options};
  std::vector<credentials> customers;
  catalog shop;
  {
    e2e::http_client c{server.port()};
    shop = seed_catalog(c, e2e::admin_token(c), book_count, seed);
    customers = seed_customers(c, shopper_count * customers_per_shopper);
  }
  // The seeding connection is closed: what remains is the server's own.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto idle_fds = open_fds(server.pid()).value_or(-1);
  REQUIRE(idle_fds > 0);

  tally counts;
  std::mutex sample_gate;
  std::atomic<bool> stop{false};
  load_context ctx{server.port(), &shop, &counts, &sample_gate, &stop};
  std::vector<std::future<int>> shoppers;
  for (int i = 0; i < shopper_count; ++i) {
    std::vector<credentials> own(customers.begin() + i * customers_per_shopper,
                                 customers.begin()
                                     + (i + 1) * customers_per_shopper);
    shoppers.push_back(std::async(std::launch::async, run_shopper,
                                  std::cref(ctx), std::move(own),
                                  seed + i + 1));
  }
  auto admin = std::async(std::launch::async, run_admin, std::cref(ctx), seed);

  judged_client sampler{server.port(), counts};
  std::vector<row> rows;
  const auto start = steady::now();
  for (auto at = start; at <= start + std::chrono::seconds(seconds);
       at += interval) {
    std::this_thread::sleep_until(at);
    row r;
    r.s.seconds = std::chrono::duration<double>(steady::now() - start).count();
    {
      std::lock_guard<std::mutex> guard{sample_gate};
      r.s.rss_kib = resident_kib(server.pid()).value_or(-1);
      r.s.fds = open_fds(server.pid()).value_or(-1);
    }
    if (auto m = sampler.send(route::metrics, "GET", "/metrics")) {
      r.live_books = gauge(m->body, "bookstore_live_book_actors");
      r.live_carts = gauge(m->body, "bookstore_live_cart_actors");
    }
    r.t = counts.snapshot();
    rows.push_back(r);
  }
  stop = true;
  auto listing = admin.get();
  int reconnects = sampler.reconnects() + listing.reconnects;
  for (auto& f : shoppers)
    reconnects += f.get();
  const double elapsed =
      std::chrono::duration<double>(steady::now() - start).count();

  growth_limits limits;
  limits.warmup_seconds = warmup;
  // Slack for the peak RSS, not for a leak: SQLite's page cache (2 MiB by
  // default) fills as orders grow the file, glibc's per-thread arenas keep
  // their high-water marks and reach them at different moments, and the
  // gateway's token cache (bounded at 16384 entries) fills with every
  // login. A leak of a few hundred bytes per request outgrows it at once.
  limits.rss_slack_kib = 8 * mib;
  limits.rss_slack_fraction = 0.05;
#ifdef BOOKSTORE_SOAK_SANITIZED
  // In the ASan and TSan builds RSS grows by design: ASan keeps freed memory
  // in a quarantine of up to 256 MiB, TSan maps shadow memory as it goes.
  // There the RSS rule only catches a gross leak; the descriptor rule holds.
  limits.rss_slack_kib = 512 * mib;
#endif
  // Every connection the soak holds (the shoppers', the admin's, the
  // sampler's) and each reopened one, whose old socket the server may not
  // have closed yet when sampled.
  limits.fd_ceiling = idle_fds + shopper_count + 2 + reconnects;
  std::vector<sample> samples;
  for (const auto& r : rows)
    samples.push_back(r.s);
  auto verdict = judge_growth(samples, limits);

  auto t = counts.snapshot();
  std::printf("\nsoak: %ld s load (%.0f s warm-up), %d shoppers + admin, "
              "sampled every %lld s, seed %llu\n",
              seconds, warmup, shopper_count,
              static_cast<long long>(interval.count()),
              static_cast<unsigned long long>(seed));
  print_table(rows, warmup);
  std::printf("requests by route (status x count):\n%s",
              counts.by_route().c_str());
  const auto& warm = *std::find_if(rows.begin(), rows.end(), [&](const row& r) {
    return r.s.seconds >= warmup;
  });
  std::int64_t max_rss = 0;
  for (const auto& r : rows)
    max_rss = std::max(max_rss, r.s.rss_kib);
  std::printf(
      "summary: %lld requests in %.0f s (%.0f/s): %lld 2xx, %lld expected "
      "409, %lld failures; RSS warm-up end %.1f MiB, max %.1f MiB, end %.1f "
      "MiB (peak first/last third %.1f/%.1f MiB, allowed %.1f); fds idle "
      "%lld, max %lld (ceiling %lld); reconnects %d; %s\n",
      static_cast<long long>(t.requests), elapsed, t.requests / elapsed,
      static_cast<long long>(t.ok), static_cast<long long>(t.conflicts),
      static_cast<long long>(t.failures), warm.s.rss_kib / 1024.0,
      max_rss / 1024.0, rows.back().s.rss_kib / 1024.0,
      verdict.first_max_rss_kib / 1024.0, verdict.last_max_rss_kib / 1024.0,
      verdict.allowed_rss_kib / 1024.0, static_cast<long long>(idle_fds),
      static_cast<long long>(verdict.max_fds),
      static_cast<long long>(limits.fd_ceiling), reconnects,
      verdict.ok && t.failures == 0 ? "PASS" : "FAIL");
  std::printf("GET /admin/orders: %lld listings, the last of %lld orders, "
              "slowest %.0f ms\n",
              static_cast<long long>(listing.listings),
              static_cast<long long>(listing.listed_orders),
              listing.slowest_listing_ms);
  std::fflush(stdout);

  INFO("unexpected answers:\n" << counts.failures());
  CHECK(t.failures == 0);
  INFO(verdict.reason);
  CHECK(verdict.ok);
  CHECK(server.running());
}
