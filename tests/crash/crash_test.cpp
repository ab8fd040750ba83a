// Crash safety: the server is killed with SIGKILL while checkouts are in
// flight, restarted on the same database file, and every invariant of
// DESIGN.md that a crash could break is checked: every order answered 201
// survives exactly, an unanswered checkout either committed completely or
// left the cart unchanged, no other order appears, and for every book
// initial stock + restocks = current stock + units in confirmed orders.
//
// BOOKSTORE_CRASH_ROUNDS (default 20), BOOKSTORE_CRASH_USERS (default 24),
// BOOKSTORE_CRASH_SEED (to replay the random choices; timing still varies)
// and BOOKSTORE_CRASH_KEEP_DB (keep the database) tune it.

#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "crash_support.hpp"
#include "shop_model.hpp"
#include "tests/support/timeouts.hpp"

using namespace crash;
using e2e::http_client;
using e2e::server_options;
using e2e::server_process;

namespace {

constexpr int book_count = 6;
constexpr long long initial_stock = 15;
constexpr long long restock_below = 12;
constexpr int max_attempts = 4; // checkouts per customer and round
constexpr double forced_decline = 0.15;

// Replaces or keeps the customer's cart: 1 to 3 distinct books, 1 to 4 of
// each. Every request must be answered (the server is idle and healthy).
void fill_cart(std::uint16_t port, const customer& cu,
               const std::vector<book_entry>& books, std::uint64_t seed,
               activity& act) {
  std::mt19937_64 rng{seed};
  wire_client w{port};
  const auto& token = cu.account.access_token;
  auto expect = [&](const std::string& what, const exchange& ex, int status) {
    act.history += history_line(what, ex);
    if (ex.kind == outcome::answered && ex.res.status == status)
      return true;
    act.error += what + " -> " + to_string(ex.kind) + " "
                 + std::to_string(ex.res.status) + " "
                 + ex.res.body.substr(0, 200) + "\n";
    return false;
  };
  auto ex = w.request("GET", "/cart", {}, token);
  if (!expect("GET /cart", ex, 200))
    return;
  auto items = json::parse(ex.res.body).at("items");
  if (items.empty() || std::bernoulli_distribution(0.6)(rng)) {
    for (auto& item : items) {
      auto target =
          "/cart/items/" + std::to_string(item.at("id").get<std::int64_t>());
      if (!expect("DELETE " + target, w.request("DELETE", target, {}, token),
                  204))
        return;
    }
    auto n = std::uniform_int_distribution<std::size_t>(1, 3)(rng);
    std::vector<std::int64_t> ids;
    for (auto& b : books)
      ids.push_back(b.id);
    std::shuffle(ids.begin(), ids.end(), rng);
    for (std::size_t k = 0; k < n && k < ids.size(); ++k) {
      auto qty = std::uniform_int_distribution<int>(1, 4)(rng);
      json body{{"book_id", ids[k]}, {"quantity", qty}};
      if (!expect("POST /cart/items " + body.dump(),
                  w.request("POST", "/cart/items", body.dump(), token), 201))
        return;
    }
  }
  ex = w.request("GET", "/cart", {}, token);
  if (!expect("GET /cart", ex, 200))
    return;
  act.cart = lines_of(json::parse(ex.res.body).at("items"));
  act.history += "  cart " + to_string(act.cart) + "\n";
  if (act.cart.empty())
    act.error += "the cart is empty after filling it\n";
}

struct counters {
  std::atomic<int> answered{0};
  std::atomic<int> created{0};
  std::atomic<int> declined{0};
  std::atomic<int> short_stock{0};
  std::atomic<int> unanswered{0};
};

// The customer checks out their cart (a forced decline now and then) until
// a 201, a 409, an unanswered request or max_attempts. Most customers send
// an Idempotency-Key with each attempt (`key_prefix` + the attempt number).
void checkout_until_done(std::uint16_t port, const customer& cu,
                         std::uint64_t seed, const std::string& key_prefix,
                         start_gate& gate, counters& n, activity& act) {
  std::mt19937_64 rng{seed};
  wire_client w{port};
  bool connected = w.connect();
  gate.arrive();
  if (!connected) {
    act.error += "could not connect before the checkouts\n";
    return;
  }
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    bool force = std::bernoulli_distribution(forced_decline)(rng);
    json body = json::object();
    if (force)
      body["force_payment_failure"] = true;
    std::string key;
    if (!key_prefix.empty())
      key = key_prefix + std::to_string(attempt);
    e2e::header_list headers;
    if (!key.empty())
      headers.push_back({"Idempotency-Key", key});
    auto ex = w.request("POST", "/orders/checkout", body.dump(),
                        cu.account.access_token, headers);
    act.history += history_line("POST /orders/checkout " + body.dump()
                                    + (key.empty() ? "" : " key " + key),
                                ex);
    if (ex.kind != outcome::answered) {
      ++n.unanswered;
      act.pending = pending_kind::checkout;
      act.pending_key = key;
      return;
    }
    ++n.answered;
    json j;
    try {
      j = json::parse(ex.res.body);
    } catch (const std::exception&) {
      act.error += "checkout answer is not JSON: " + ex.res.body + "\n";
      return;
    }
    auto code = j.is_object() ? j.value("code", "") : "";
    if (ex.res.status == 201) {
      ++n.created;
      act.confirmed.push_back({j, act.cart});
      act.cart.clear();
      return;
    }
    if (ex.res.status == 402 && code == "ORDER_PAYMENT_FAILED") {
      ++n.declined;
      continue;
    }
    if (ex.res.status == 409 && code == "ORDER_INSUFFICIENT_STOCK") {
      ++n.short_stock;
      return;
    }
    act.error += "checkout answered " + std::to_string(ex.res.status) + " "
                 + ex.res.body.substr(0, 300) + "\n";
    return;
  }
}

// After a restart, the client retries each checkout the kill left without an
// answer under the same key. The key must answer the order the checkout
// committed, if it did, or run the checkout once now: either way the
// outcome is recorded as answered, and verify() then finds exactly the
// orders the answers name (a key that ran again would sell a second time or
// answer 422 ORDER_CART_EMPTY, and fail).
void retry_pending_keys(std::uint16_t port, const shop& s,
                        std::vector<activity>& acts, int& retried) {
  for (std::size_t i = 0; i < acts.size(); ++i) {
    auto& act = acts[i];
    if (act.pending != pending_kind::checkout || act.pending_key.empty())
      continue;
    ++retried;
    wire_client w{port};
    auto ex = w.request("POST", "/orders/checkout", "{}",
                        s.customers[i].account.access_token,
                        {{"Idempotency-Key", act.pending_key}});
    act.history += history_line("retry POST /orders/checkout key "
                                    + act.pending_key + " after the restart",
                                ex);
    if (ex.kind != outcome::answered) {
      act.error += "the retried key got no answer\n";
      continue;
    }
    json j = json::parse(ex.res.body, nullptr, false);
    auto code = j.is_object() ? j.value("code", "") : "";
    act.pending = pending_kind::none;
    if (ex.res.status == 201) {
      act.confirmed.push_back({j, act.cart});
      act.cart.clear();
    } else if (!((ex.res.status == 402 && code == "ORDER_PAYMENT_FAILED")
                 || (ex.res.status == 409
                     && code == "ORDER_INSUFFICIENT_STOCK"))) {
      act.error += "the retried key answered " + std::to_string(ex.res.status)
                   + " " + ex.res.body.substr(0, 300) + "\n";
    }
  }
}

std::vector<std::string> latency_args(std::mt19937_64& rng) {
  static const char* choices[] = {"0", "0", "2", "10"};
  auto i = std::uniform_int_distribution<int>(0, 3)(rng);
  return {"--payment-latency-ms", choices[i]};
}

} // namespace

TEST_CASE("SIGKILL while checkouts are in flight loses no confirmed order and "
          "half-commits nothing and conserves stock",
          "[crash]") {
  const auto rounds = env_long("BOOKSTORE_CRASH_ROUNDS", 20);
  const auto users = static_cast<int>(env_long("BOOKSTORE_CRASH_USERS", 24));
  const auto seed = test_seed();
  std::mt19937_64 rng{seed};
  std::printf("[crash] seed %llu (BOOKSTORE_CRASH_SEED), %ld rounds, %d "
              "customers\n",
              static_cast<unsigned long long>(seed), rounds, users);
  std::fflush(stdout);
  INFO("seed " << seed);

  temp_dir dir{"bookstore-crash-"};
  REQUIRE(dir.ok());
  INFO("database " << dir.db());
  server_options opts;
  opts.db_path = dir.db();
  opts.payment_failure_rate = "0.3";
  opts.extra_args = latency_args(rng);

  auto started = clock_type::now();
  auto srv = std::make_unique<server_process>(opts);
  auto c = std::make_unique<http_client>(srv->port());
  shop s;
  s.admin_token = e2e::login(*c, e2e::admin_email, e2e::admin_password);
  s.add_books(*c, book_count, initial_stock);
  s.add_customers(srv->port(), users);
  auto tokens_at = clock_type::now();
  std::printf("[crash] setup %.1f s\n",
              std::chrono::duration<double>(tokens_at - started).count());

  counters total;
  verify_stats stats;
  int rounds_with_unanswered = 0;
  int keys_retried = 0;
  for (long round = 1; round <= rounds; ++round) {
    auto when = "round " + std::to_string(round);
    INFO(when);
    // Access tokens live 15 minutes; long runs log in again.
    if (clock_type::now() - tokens_at > std::chrono::minutes(10)) {
      s.renew_tokens(*c);
      tokens_at = clock_type::now();
    }
    s.restock(*c, restock_below, rng);

    // Fill the carts, each customer on their own connection and thread.
    std::vector<activity> acts(s.customers.size());
    std::vector<std::uint64_t> seeds;
    for (std::size_t i = 0; i < acts.size(); ++i)
      seeds.push_back(rng());
    e2e::run_concurrently(users, [&](int i) {
      auto k = static_cast<std::size_t>(i);
      fill_cart(srv->port(), s.customers[k], s.books, seeds[k], acts[k]);
    });
    for (std::size_t i = 0; i < acts.size(); ++i) {
      INFO("customer " << i << ":\n" << acts[i].history);
      REQUIRE(acts[i].error.empty());
    }

    // Concurrent checkouts; SIGKILL after a random number of answers plus
    // a random delay, so the kill lands anywhere in the burst.
    counters n;
    start_gate gate;
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < acts.size(); ++i) {
      auto thread_seed = rng();
      // Three customers in four use keys: both kinds meet every kill.
      std::string key_prefix;
      if (std::bernoulli_distribution(0.75)(rng))
        key_prefix = "crash-" + std::to_string(seed) + "-"
                     + std::to_string(round) + "-" + std::to_string(i) + "-";
      threads.emplace_back([&, i, thread_seed, key_prefix] {
        checkout_until_done(srv->port(), s.customers[i], thread_seed,
                            key_prefix, gate, n, acts[i]);
      });
    }
    auto answers_before_kill =
        std::uniform_int_distribution<int>(0, users)(rng);
    auto delay_us = std::uniform_int_distribution<int>(0, 3000)(rng);
    bool all_ready =
        gate.open_when(users, test_support::scaled(std::chrono::seconds(10)));
    auto deadline = clock_type::now() + std::chrono::seconds(5);
    while (n.answered.load() < answers_before_kill
           && clock_type::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    bool alive = srv->running();
    int status = srv->kill();
    auto killed_stderr = srv->stderr_tail();
    for (auto& t : threads)
      t.join();
    CHECK(all_ready);
    {
      INFO("the server exited before the SIGKILL with status "
           << status << "; stderr tail:\n"
           << killed_stderr);
      REQUIRE(alive);
      REQUIRE(status == 128 + SIGKILL);
    }
    if (n.unanswered > 0)
      ++rounds_with_unanswered;
    total.answered += n.answered;
    total.created += n.created;
    total.declined += n.declined;
    total.short_stock += n.short_stock;
    total.unanswered += n.unanswered;

    // (a) The server starts cleanly on the same file.
    c.reset();
    srv.reset();
    opts.extra_args = latency_args(rng);
    try {
      srv = std::make_unique<server_process>(opts);
    } catch (const std::exception& e) {
      FAIL(when << ": the server did not restart after the SIGKILL: "
                << e.what());
    }
    c = std::make_unique<http_client>(srv->port());
    REQUIRE_STATUS(c->get("/health"), 200);
    retry_pending_keys(srv->port(), s, acts, keys_retried);
    for (std::size_t i = 0; i < acts.size(); ++i) {
      INFO("customer " << i << ":\n" << acts[i].history);
      CHECK(acts[i].error.empty());
    }

    // (b), (c), (d): orders, carts and the stock ledger.
    bool ok = s.verify(*c, acts, when, stats);
    if (!ok) {
      INFO("stderr of the restarted server:\n" << srv->stderr_tail());
      FAIL(when << ": invariants broken after the SIGKILL (answers before "
                   "the kill: "
                << n.answered.load() << ", unanswered: " << n.unanswered.load()
                << ")");
    }
  }

  auto status = srv->stop(SIGTERM);
  INFO("stderr tail:\n" << srv->stderr_tail());
  CHECK(status == 0);
  auto secs =
      std::chrono::duration<double>(clock_type::now() - started).count();
  std::printf(
      "[crash] %ld rounds in %.1f s: %d checkouts answered (%d x 201, %d x "
      "402, %d x 409), %d unanswered at the kill in %d rounds (%d had "
      "committed, %d had not); %d keys retried after a restart; %zu orders "
      "in the store, all checked after every restart\n",
      rounds, secs, total.answered.load(), total.created.load(),
      total.declined.load(), total.short_stock.load(), total.unanswered.load(),
      rounds_with_unanswered, stats.pending_committed,
      stats.pending_not_committed, keys_retried, stats.orders_total);
  std::fflush(stdout);
}
