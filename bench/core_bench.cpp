// core_bench: drives checkouts through the embedding API (actors/core.hpp) on
// CAF's threaded scheduler against a durable SQLite file, and reports
// throughput, client-side latency, group-commit batching and the memory of
// idle book actors. The load generator runs in the same process as the
// actors. See bench/README.md.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include "caf/all.hpp"

#include "actors/core.hpp"

namespace {

using namespace bookstore;
using clock_type = std::chrono::steady_clock;
using model::error_code;

// -- options ------------------------------------------------------------------

struct options {
  std::string scenario = "all";
  double seconds = 5.0;       // measured window per load scenario
  double warmup = 0.5;        // seconds run before the window opens
  int buyers = 64;            // concurrent client actors
  int spread_books = 10'000;  // catalog size of the spread scenario
  int memory_books = 100'000; // book actors of the memory scenario
  int payment_ms = 20;        // provider latency of the payment scenario
  std::size_t workers = 0;    // CAF scheduler threads; 0 = CAF's default
  int commit_window_us = -1;  // store's group commit window; -1 = default
};

int commit_window_us = -1; // from --commit-window-us, for bench_config

[[noreturn]] void usage(const char* argv0, int code) {
  std::cout
      << "usage: " << argv0 << " [options]\n"
      << "  --scenario NAME   hot | spread | payment | memory | all (default)\n"
      << "  --seconds N       measured seconds per load scenario (default 5)\n"
      << "  --warmup N        seconds before measuring starts (default 0.5)\n"
      << "  --buyers N        concurrent buyers (default 64)\n"
      << "  --catalog N       books in the spread scenario (default 10000)\n"
      << "  --books N         book actors in the memory scenario (default "
         "100000)\n"
      << "  --payment-ms N    provider latency in the payment scenario "
         "(default 20)\n"
      << "  --workers N       CAF scheduler threads (default: CAF's, "
         "max(cores, 4))\n"
      << "  --commit-window-us N  store's group commit window (default: "
         "the core's)\n";
  std::exit(code);
}

options parse(int argc, char** argv) {
  options opts;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc)
      usage(argv[0], 2);
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    try {
      if (arg == "--scenario")
        opts.scenario = value(i);
      else if (arg == "--seconds")
        opts.seconds = std::stod(value(i));
      else if (arg == "--warmup")
        opts.warmup = std::stod(value(i));
      else if (arg == "--buyers")
        opts.buyers = std::stoi(value(i));
      else if (arg == "--catalog")
        opts.spread_books = std::stoi(value(i));
      else if (arg == "--books")
        opts.memory_books = std::stoi(value(i));
      else if (arg == "--payment-ms")
        opts.payment_ms = std::stoi(value(i));
      else if (arg == "--commit-window-us")
        opts.commit_window_us = std::stoi(value(i));
      else if (arg == "--workers")
        opts.workers = static_cast<std::size_t>(std::stoul(value(i)));
      else if (arg == "--help" || arg == "-h")
        usage(argv[0], 0);
      else
        usage(argv[0], 2);
    } catch (const std::logic_error&) { // stod/stoi on garbage
      usage(argv[0], 2);
    }
  }
  const auto& s = opts.scenario;
  if (s != "all" && s != "hot" && s != "spread" && s != "payment"
      && s != "memory")
    usage(argv[0], 2);
  if (opts.seconds <= 0 || opts.warmup < 0 || opts.buyers <= 0
      || opts.spread_books <= 0 || opts.memory_books <= 0
      || opts.payment_ms < 0)
    usage(argv[0], 2);
  return opts;
}

// -- process information
// --------------------------------------------------------

/// A field of /proc/self/status in kB (VmRSS, VmHWM), in bytes.
std::int64_t proc_status_bytes(const std::string& field) {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, field.size() + 1, field + ":") == 0) {
      std::istringstream fields{line.substr(field.size() + 1)};
      std::int64_t kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  return -1;
}

std::int64_t rss_bytes() {
  return proc_status_bytes("VmRSS");
}

/// Bytes malloc has handed out and not taken back (all arenas, incl. mmap).
std::int64_t heap_in_use() {
  auto info = ::mallinfo2();
  return static_cast<std::int64_t>(info.uordblks + info.hblkhd);
}

/// CPU time of the whole machine and of this process, to tell how much of
/// the (possibly shared) machine the benchmark had.
struct cpu_sample {
  clock_type::time_point when;
  double machine_busy = 0; // seconds of all CPUs not idle
  double self = 0;         // seconds used by this process

  static cpu_sample now() {
    cpu_sample s;
    s.when = clock_type::now();
    std::ifstream stat{"/proc/stat"};
    std::string cpu;
    stat >> cpu; // the aggregate "cpu" line
    std::uint64_t v[10] = {};
    for (auto& x : v)
      stat >> x;
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    // user nice system idle iowait irq softirq steal (guest is in user)
    auto busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    s.machine_busy = static_cast<double>(busy) / tick;
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    auto secs = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6;
    };
    s.self = secs(ru.ru_utime) + secs(ru.ru_stime);
    return s;
  }
};

/// /proc/loadavg's first three fields: the machine may be shared.
std::string load_average() {
  std::ifstream in{"/proc/loadavg"};
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::string fmt(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string mib(std::int64_t bytes) {
  return fmt(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MiB";
}

/// A fresh directory in the temp dir, removed with everything in it.
class temp_dir {
public:
  temp_dir() {
    auto pattern =
        (std::filesystem::temp_directory_path() / "core_bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a temp directory");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  std::string file(const std::string& name) const {
    return (std::filesystem::path{path_} / name).string();
  }

private:
  std::string path_;
};

// -- the shop under test ------------------------------------------------------

core_config bench_config(const std::string& db_path) {
  core_config config;
  config.database_path = db_path;
  config.payment_failure_rate = 0.0;
  config.payment_seed = 0xbe7c4;
  config.payment_latency = std::chrono::milliseconds{0};
  if (commit_window_us >= 0)
    config.group_commit_window = std::chrono::microseconds{commit_window_us};
  return config;
}

/// An actor system, the started bookstore and a blocking actor for setup.
/// The blocking actor is only used to prepare data, never on the hot path.
class harness {
public:
  harness(const core_config& config, std::size_t workers)
      : sys_(configure(cfg_, workers)), self(sys_) {
    shop = start(sys_, config);
  }
  ~harness() { stop(shop); }
  harness(const harness&) = delete;
  harness& operator=(const harness&) = delete;

  caf::actor_system& sys() { return sys_; }
  std::size_t workers() { return sys_.scheduler().num_workers(); }

  /// Issues `count` requests made by `make(self, i)`, at most `window` at a
  /// time, and hands every answer of type T to `sink(i, answer)`. A rejection
  /// throws: setup must not fail.
  template <class T, class Make, class Sink>
  void pipelined(std::size_t count, std::size_t window, Make make, Sink sink) {
    using handle_t = decltype(make(self, std::size_t{0}));
    std::vector<handle_t> pending;
    for (std::size_t first = 0; first < count; first += window) {
      auto last = std::min(count, first + window);
      pending.clear();
      for (auto i = first; i < last; ++i)
        pending.push_back(make(self, i));
      for (auto i = first; i < last; ++i)
        pending[i - first].receive([&](T& answer) { sink(i, answer); },
                                   [&](caf::error& err) {
                                     throw std::runtime_error(
                                         std::string{"setup request rejected: "}
                                         + model::code_name(domain_code(err))
                                         + " (" + sys_.render(err) + ")");
                                   });
    }
  }

  /// Creates `count` books (titles `prefix`0.., price 10.00) with `stock`.
  std::vector<model::book_id> create_books(std::size_t count,
                                           const std::string& prefix,
                                           std::int64_t stock) {
    std::vector<model::book_id> ids(count);
    pipelined<model::book>(
        count, 2000,
        [&](caf::scoped_actor& s, std::size_t i) {
          model::book draft;
          draft.title = prefix + std::to_string(i);
          draft.author = "Bench Author";
          draft.price = 1000;
          draft.stock_quantity = stock;
          return s->request(shop.registry, caf::infinite, create_atom::value,
                            std::move(draft));
        },
        [&](std::size_t i, model::book& created) { ids[i] = created.id; });
    return ids;
  }

  /// Looks every book up through the registry, which spawns its actor.
  void spawn_book_actors(const std::vector<model::book_id>& ids) {
    pipelined<book_actor>(
        ids.size(), 1000,
        [&](caf::scoped_actor& s, std::size_t i) {
          return s->request(shop.registry, caf::infinite, book_atom::value,
                            ids[i]);
        },
        [](std::size_t, book_actor&) {}); // the handle is dropped at once
  }

  /// Creates `count` users and returns their (spawned) cart actors.
  std::vector<cart_actor> create_buyers(std::size_t count) {
    std::vector<model::user_id> users(count);
    pipelined<storage::user_record>(
        count, 1000,
        [&](caf::scoped_actor& s, std::size_t i) {
          return s->request(
              shop.store, caf::infinite, create_atom::value,
              user_registration{"buyer" + std::to_string(i) + "@bench.example",
                                "not-a-real-hash", "user"});
        },
        [&](std::size_t i, storage::user_record& u) { users[i] = u.id; });
    std::vector<cart_actor> carts(count);
    pipelined<cart_actor>(
        count, 1000,
        [&](caf::scoped_actor& s, std::size_t i) {
          return s->request(shop.registry, caf::infinite, cart_atom::value,
                            users[i]);
        },
        [&](std::size_t i, cart_actor& c) { carts[i] = c; });
    return carts;
  }

private:
  static caf::actor_system_config& configure(caf::actor_system_config& cfg,
                                             std::size_t workers) {
    if (workers > 0)
      cfg.set("scheduler.max-threads", workers);
    return cfg;
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_;

public:
  caf::scoped_actor self;
  core shop;
};

// -- the buyers
// -----------------------------------------------------------------

/// Counts down to zero; the main thread waits for it.
class countdown {
public:
  explicit countdown(int n) : left_(n) {}
  void arrive() {
    std::lock_guard<std::mutex> guard{mtx_};
    if (--left_ == 0)
      cv_.notify_all();
  }
  template <class Duration> bool wait_for(Duration timeout) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, timeout, [&] { return left_ == 0; });
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  int left_;
};

/// What one buyer saw inside the measured window. Written only by its own
/// client actor; read by main after the buyer arrived at the countdown.
struct buyer_stats {
  std::vector<std::int64_t> checkout_ns; // successful checkouts
  std::vector<std::int64_t> add_ns;      // successful cart adds
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t add_failed = 0;
  std::array<std::uint64_t, 32> by_code{}; // failed checkouts and adds
};

/// One buyer's loop: add a book to its cart (qty 1), check out, repeat
/// until the deadline. Runs as an event-based actor, never blocking.
struct buyer {
  cart_actor cart;
  std::shared_ptr<const std::vector<model::book_id>> books;
  std::mt19937_64 random;
  clock_type::time_point window_start;
  clock_type::time_point deadline;
  buyer_stats stats;
  std::shared_ptr<countdown> done;

  model::book_id pick() {
    if (books->size() == 1)
      return books->front();
    std::uniform_int_distribution<std::size_t> any(0, books->size() - 1);
    return (*books)[any(random)];
  }
  bool in_window(clock_type::time_point t) const {
    return t >= window_start && t < deadline;
  }
  static std::int64_t ns(clock_type::duration d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  }
  void count_failure(error_code code) {
    ++stats.by_code[static_cast<std::size_t>(code) % stats.by_code.size()];
  }
};

void buy_next(caf::event_based_actor* self, buyer* b);

void check_out(caf::event_based_actor* self, buyer* b) {
  auto sent = clock_type::now();
  self->request(b->cart, caf::infinite, checkout_atom::value,
                checkout_request{})
      .then(
          [=](checkout_outcome& outcome) {
            auto now = clock_type::now();
            if (b->in_window(now)) {
              if (outcome.ok()) {
                ++b->stats.ok;
                b->stats.checkout_ns.push_back(buyer::ns(now - sent));
              } else {
                ++b->stats.failed;
                b->count_failure(outcome.error);
              }
            }
            buy_next(self, b);
          },
          [=](caf::error& err) {
            if (b->in_window(clock_type::now())) {
              ++b->stats.failed;
              b->count_failure(domain_code(err));
            }
            buy_next(self, b);
          });
}

void buy_next(caf::event_based_actor* self, buyer* b) {
  auto sent = clock_type::now();
  if (sent >= b->deadline) {
    b->done->arrive();
    self->quit();
    return;
  }
  self->request(b->cart, caf::infinite, add_atom::value, b->pick(),
                std::int64_t{1})
      .then(
          [=](storage::cart_view_line&) {
            auto now = clock_type::now();
            if (b->in_window(now))
              b->stats.add_ns.push_back(buyer::ns(now - sent));
            check_out(self, b);
          },
          [=](caf::error& err) {
            auto code = domain_code(err);
            if (b->in_window(clock_type::now())) {
              ++b->stats.add_failed;
              b->count_failure(code);
            }
            // A line left over from a failed checkout: buy what is there.
            if (code == error_code::cart_item_duplicate)
              check_out(self, b);
            else
              buy_next(self, b);
          });
}

// -- reporting
// ------------------------------------------------------------------

struct metrics_snapshot {
  std::uint64_t commits = 0;
  std::uint64_t writes = 0;
  std::uint64_t orders = 0;
  std::uint64_t failed_batches = 0;

  static metrics_snapshot of(const core_metrics& m) {
    return {m.commits.load(), m.writes_committed.load(),
            m.orders_committed.load(), m.failed_batches.load()};
  }
};

/// Nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto rank = static_cast<std::size_t>(
      std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

struct load_result {
  std::string name;
  int buyers = 0;
  double seconds = 0;
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t add_failed = 0;
  double per_second = 0;
  std::int64_t p50 = 0, p99 = 0, max = 0;
  std::int64_t add_p50 = 0, add_p99 = 0;
  std::uint64_t commits = 0, writes = 0, orders = 0, failed_batches = 0;
  std::int64_t rss_before = 0, rss_after = 0;
  double cores_self = 0;  // CPU cores this process used in the window
  double cores_other = 0; // CPU cores everything else on the machine used
  std::string target;     // throughput target, if the scenario has one
  bool target_met = false;
  bool batching_target = true; // ">= 32 orders/commit under load" applies
  std::string failure_detail;

  double orders_per_commit() const {
    return commits == 0
               ? 0.0
               : static_cast<double>(orders) / static_cast<double>(commits);
  }
  double writes_per_commit() const {
    return commits == 0
               ? 0.0
               : static_cast<double>(writes) / static_cast<double>(commits);
  }
};

struct memory_result {
  int books = 0;
  std::int64_t rss_books = 0;  // after creating the books
  std::int64_t rss_actors = 0; // after spawning an actor per book
  std::int64_t heap_books = 0;
  std::int64_t heap_actors = 0;
  std::int64_t live_actors = 0;
  double spawn_seconds = 0;
  double create_seconds = 0;
  double stop_seconds = 0; // until the actor system has shut down

  double rss_per_actor() const {
    return static_cast<double>(rss_actors - rss_books) / books;
  }
  double heap_per_actor() const {
    return static_cast<double>(heap_actors - heap_books) / books;
  }
};

// -- scenarios
// ------------------------------------------------------------------

struct load_spec {
  std::string name;
  std::size_t catalog = 1; // books to choose from
  std::int64_t stock = 2'000'000'000;
  std::chrono::milliseconds payment_latency{0};
  bool prewarm_books = false; // spawn every book actor before the run
};

load_result run_load(const options& opts, const load_spec& spec) {
  temp_dir dir;
  auto config = bench_config(dir.file("bench.db"));
  config.payment_latency = spec.payment_latency;
  load_result r;
  r.name = spec.name;
  r.buyers = opts.buyers;
  r.seconds = opts.seconds;
  {
    harness h{config, opts.workers};
    std::cout << "\n## " << spec.name << "\n"
              << "setup: " << spec.catalog << " book(s) with stock "
              << spec.stock << ", " << opts.buyers << " buyers, payment "
              << "latency " << spec.payment_latency.count() << " ms, "
              << h.workers() << " CAF workers, db " << dir.file("bench.db")
              << std::endl;
    auto ids = std::make_shared<const std::vector<model::book_id>>(
        h.create_books(spec.catalog, spec.name + " book ", spec.stock));
    if (spec.prewarm_books)
      h.spawn_book_actors(*ids);
    auto carts = h.create_buyers(static_cast<std::size_t>(opts.buyers));

    auto done = std::make_shared<countdown>(opts.buyers);
    auto start = clock_type::now();
    auto window_start = start
                        + std::chrono::duration_cast<clock_type::duration>(
                            std::chrono::duration<double>(opts.warmup));
    auto deadline = window_start
                    + std::chrono::duration_cast<clock_type::duration>(
                        std::chrono::duration<double>(opts.seconds));
    // Owned here; each is touched only by its actor until `done` says so.
    std::vector<std::unique_ptr<buyer>> buyers;
    for (int i = 0; i < opts.buyers; ++i) {
      auto b = std::make_unique<buyer>();
      b->cart = carts[static_cast<std::size_t>(i)];
      b->books = ids;
      b->random.seed(0x5eed0000u + static_cast<unsigned>(i));
      b->window_start = window_start;
      b->deadline = deadline;
      b->stats.checkout_ns.reserve(16384);
      b->stats.add_ns.reserve(16384);
      b->done = done;
      buyers.push_back(std::move(b));
    }
    for (auto& b : buyers)
      h.sys().spawn([ptr = b.get()](caf::event_based_actor* self) {
        buy_next(self, ptr);
      });

    std::this_thread::sleep_until(window_start);
    auto before = metrics_snapshot::of(*h.shop.metrics);
    auto cpu_before = cpu_sample::now();
    r.rss_before = rss_bytes();
    std::this_thread::sleep_until(deadline);
    auto after = metrics_snapshot::of(*h.shop.metrics);
    auto cpu_after = cpu_sample::now();
    r.rss_after = rss_bytes();
    auto wall =
        std::chrono::duration<double>(cpu_after.when - cpu_before.when).count();
    r.cores_self = (cpu_after.self - cpu_before.self) / wall;
    r.cores_other =
        std::max(0.0, (cpu_after.machine_busy - cpu_before.machine_busy) / wall
                          - r.cores_self);
    if (!done->wait_for(std::chrono::seconds{60})) {
      std::cerr << "core_bench: buyers did not finish within 60 s after the "
                   "deadline; giving up\n";
      std::_Exit(3);
    }

    std::vector<std::int64_t> latencies;
    std::vector<std::int64_t> adds;
    std::array<std::uint64_t, 32> by_code{};
    for (auto& b : buyers) {
      auto& s = b->stats;
      latencies.insert(latencies.end(), s.checkout_ns.begin(),
                       s.checkout_ns.end());
      adds.insert(adds.end(), s.add_ns.begin(), s.add_ns.end());
      r.ok += s.ok;
      r.failed += s.failed;
      r.add_failed += s.add_failed;
      for (std::size_t c = 0; c < by_code.size(); ++c)
        by_code[c] += s.by_code[c];
    }
    std::sort(latencies.begin(), latencies.end());
    std::sort(adds.begin(), adds.end());
    r.per_second = static_cast<double>(r.ok) / opts.seconds;
    r.p50 = percentile(latencies, 0.50);
    r.p99 = percentile(latencies, 0.99);
    r.max = latencies.empty() ? 0 : latencies.back();
    r.add_p50 = percentile(adds, 0.50);
    r.add_p99 = percentile(adds, 0.99);
    r.commits = after.commits - before.commits;
    r.writes = after.writes - before.writes;
    r.orders = after.orders - before.orders;
    r.failed_batches = after.failed_batches - before.failed_batches;
    for (std::size_t c = 0; c < by_code.size(); ++c)
      if (by_code[c] > 0)
        r.failure_detail += std::string{r.failure_detail.empty() ? "" : ", "}
                            + model::code_name(static_cast<error_code>(c))
                            + " x" + std::to_string(by_code[c]);
  }
  return r;
}

void print_load(const load_result& r) {
  std::cout << "checkouts: " << r.ok << " ok, " << r.failed << " failed, in "
            << fmt(r.seconds, 1) << " s -> " << fmt(r.per_second, 0)
            << " checkouts/s\n"
            << "checkout latency (client, request to reply): p50 "
            << fmt(ms(r.p50), 2) << " ms, p99 " << fmt(ms(r.p99), 2)
            << " ms, max " << fmt(ms(r.max), 2) << " ms\n"
            << "cart add latency (not in the table): p50 "
            << fmt(ms(r.add_p50), 2) << " ms, p99 " << fmt(ms(r.add_p99), 2)
            << " ms; failed adds " << r.add_failed << "\n"
            << "store: " << r.commits << " commits, " << r.orders << " orders, "
            << r.writes << " writes, " << r.failed_batches
            << " failed batches -> " << fmt(r.orders_per_commit(), 1)
            << " orders/commit, " << fmt(r.writes_per_commit(), 1)
            << " writes/commit\n"
            << "RSS at window start " << mib(r.rss_before) << ", at end "
            << mib(r.rss_after) << "\n"
            << "CPU in the window: this process " << fmt(r.cores_self, 2)
            << " cores, other processes " << fmt(r.cores_other, 2)
            << " cores\n";
  if (!r.failure_detail.empty())
    std::cout << "failures by code: " << r.failure_detail << "\n";
  if (!r.target.empty())
    std::cout << "target checkouts/s " << r.target << ": "
              << (r.target_met ? "met" : "MISSED") << "\n";
  if (r.batching_target)
    std::cout << "target orders/commit >= 32: "
              << (r.orders_per_commit() >= 32.0 ? "met" : "MISSED") << "\n";
  std::cout << std::flush;
}

memory_result run_memory(const options& opts) {
  temp_dir dir;
  auto config = bench_config(dir.file("bench.db"));
  // Nothing may passivate while we count.
  config.idle_timeout = std::chrono::hours{24};
  config.checkout_timeout = std::chrono::hours{1};
  config.reservation_timeout = std::chrono::hours{2};
  memory_result r;
  r.books = opts.memory_books;
  auto stop_started = clock_type::now();
  {
    harness h{config, opts.workers};
    std::cout << "\n## memory\nsetup: " << r.books << " books, idle_timeout "
              << "24 h, " << h.workers() << " CAF workers, db "
              << dir.file("bench.db") << std::endl;
    auto t0 = clock_type::now();
    auto ids =
        h.create_books(static_cast<std::size_t>(r.books), "Idle book ", 10);
    auto t1 = clock_type::now();
    // Give freed setup garbage back so that neither figure counts it.
    ::malloc_trim(0);
    r.rss_books = rss_bytes();
    r.heap_books = heap_in_use();
    auto live_before = h.shop.metrics->live_books.load();
    auto t2 = clock_type::now();
    h.spawn_book_actors(ids);
    // The registry answers before a new actor has run its initialization
    // (which counts it live and fills in its state): wait for all of them.
    auto settle_by = clock_type::now() + std::chrono::seconds{30};
    while (h.shop.metrics->live_books.load() - live_before < r.books
           && clock_type::now() < settle_by)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    auto t3 = clock_type::now();
    ::malloc_trim(0);
    r.rss_actors = rss_bytes();
    r.heap_actors = heap_in_use();
    r.live_actors = h.shop.metrics->live_books.load() - live_before;
    r.create_seconds = std::chrono::duration<double>(t1 - t0).count();
    r.spawn_seconds = std::chrono::duration<double>(t3 - t2).count();
    std::cout << "stopping the shop and its " << r.live_actors
              << " book actors..." << std::endl;
    stop_started = clock_type::now();
  }
  r.stop_seconds =
      std::chrono::duration<double>(clock_type::now() - stop_started).count();
  std::cout << "created " << r.books << " books in " << fmt(r.create_seconds, 2)
            << " s; looked them up (spawning " << r.live_actors
            << " book actors) in " << fmt(r.spawn_seconds, 2)
            << " s; shutting them down took " << fmt(r.stop_seconds, 2)
            << " s\n"
            << "RSS after creating books " << mib(r.rss_books)
            << ", after spawning actors " << mib(r.rss_actors) << " -> "
            << fmt(r.rss_per_actor(), 0) << " bytes/actor (RSS)\n"
            << "malloc in use " << mib(r.heap_books) << " -> "
            << mib(r.heap_actors) << " -> " << fmt(r.heap_per_actor(), 0)
            << " bytes/actor (heap)\n"
            << "target <= 1536 bytes/actor: "
            << (r.rss_per_actor() <= 1536.0 ? "met" : "MISSED") << std::endl;
  return r;
}

std::string yes_no(bool met) {
  return met ? "met" : "**missed**";
}

} // namespace

int main(int argc, char** argv) {
  auto opts = parse(argc, argv);
  commit_window_us = opts.commit_window_us;
  std::cout << "# core_bench\n\ncommand:";
  for (int i = 0; i < argc; ++i)
    std::cout << ' ' << argv[i];
  std::cout << "\nnproc: " << std::thread::hardware_concurrency()
            << " (online CPUs: " << ::sysconf(_SC_NPROCESSORS_ONLN) << ")\n"
            << "load generator: in-process (" << opts.buyers
            << " event-based CAF client actors in the same process and on "
               "the same scheduler as the bookstore's actors; no HTTP)\n"
            << "storage: SQLite file in a fresh temp dir per scenario, WAL, "
               "synchronous=FULL\n"
            << "load average at start: " << load_average() << "\n"
            << "window: " << fmt(opts.warmup, 1) << " s warm-up, then "
            << fmt(opts.seconds, 1) << " s measured per load scenario"
            << std::endl;

  auto wants = [&](const char* name) {
    return opts.scenario == "all" || opts.scenario == name;
  };
  std::vector<load_result> loads;
  std::vector<memory_result> memories;
  try {
    // Memory first: it measures RSS, which the heap left behind by the
    // load scenarios (fragmented, partly still resident) would understate.
    if (wants("memory"))
      memories.push_back(run_memory(opts));
    if (wants("hot")) {
      auto r = run_load(opts, {"hot", 1, 2'000'000'000, {}, false});
      r.target = ">= 20000/s";
      r.target_met = r.per_second >= 20'000;
      print_load(r);
      loads.push_back(r);
    }
    if (wants("spread")) {
      auto r = run_load(opts, {"spread",
                               static_cast<std::size_t>(opts.spread_books),
                               1'000'000,
                               {},
                               true});
      print_load(r);
      loads.push_back(r);
    }
    if (wants("payment")) {
      auto latency = std::chrono::milliseconds{opts.payment_ms};
      auto r = run_load(opts, {"payment", 1, 2'000'000'000, latency, false});
      if (opts.payment_ms > 0) {
        auto ideal = opts.buyers * 1000.0 / opts.payment_ms;
        r.target = "~" + fmt(ideal, 0) + "/s (>= 90%; got "
                   + fmt(100.0 * r.per_second / ideal, 1) + "%)";
        r.target_met = r.per_second >= 0.9 * ideal;
      }
      // The provider's 20 ms spread the writes out: the store is not under
      // load here, so small batches are expected.
      r.batching_target = false;
      print_load(r);
      loads.push_back(r);
    }
  } catch (const std::exception& e) {
    std::cerr << "core_bench: " << e.what() << "\n";
    return 1;
  }

  std::cout << "\n## Summary\n\n";
  if (!loads.empty()) {
    std::cout << "| scenario | buyers | checkouts/s | failed | p50 ms | "
                 "p99 ms | max ms | orders/commit | writes/commit | "
                 "checkouts/s target | orders/commit >= 32 |\n"
              << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
    for (auto& r : loads)
      std::cout << "| " << r.name << " | " << r.buyers << " | "
                << fmt(r.per_second, 0) << " | " << r.failed << " | "
                << fmt(ms(r.p50), 2) << " | " << fmt(ms(r.p99), 2) << " | "
                << fmt(ms(r.max), 2) << " | " << fmt(r.orders_per_commit(), 1)
                << " | " << fmt(r.writes_per_commit(), 1) << " | "
                << (r.target.empty() ? std::string{"-"}
                                     : r.target + ": " + yes_no(r.target_met))
                << " | "
                << (r.batching_target ? yes_no(r.orders_per_commit() >= 32.0)
                                      : std::string{"n/a"})
                << " |\n";
    std::cout << "\n";
  }
  if (!memories.empty()) {
    std::cout << "| idle book actors | RSS before | RSS after | bytes/actor "
                 "(RSS) | bytes/actor (malloc) | target |\n"
              << "|---:|---:|---:|---:|---:|---|\n";
    for (auto& m : memories)
      std::cout << "| " << m.books << " | " << mib(m.rss_books) << " | "
                << mib(m.rss_actors) << " | " << fmt(m.rss_per_actor(), 0)
                << " | " << fmt(m.heap_per_actor(), 0)
                << " | <= 1536: " << yes_no(m.rss_per_actor() <= 1536.0)
                << " |\n";
    std::cout << "\n";
  }
  std::cout << std::flush;
  return 0;
}
