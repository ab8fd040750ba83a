// Graceful stop: SIGTERM (or SIGINT) while customers fill carts and check
// out on their own connections. Every answer that comes back is complete
// and valid, no answer is ever cut in half, the server exits 0, and after
// a restart on the same database every 201 order exists, no other order
// appeared, the carts are what the answers said and stock is conserved.
//
// BOOKSTORE_GRACEFUL_ROUNDS (default 3: stops, each followed by a restart),
// BOOKSTORE_CRASH_SEED and BOOKSTORE_CRASH_KEEP_DB tune it.

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

constexpr int customer_count = 16;
constexpr int book_count = 6;
constexpr long long initial_stock = 300;
constexpr long long restock_below = 300;
constexpr double forced_decline = 0.15;
// A request sent this long before the stop signal is in flight: the server
// has read it (it is far longer than a read takes, even on a busy machine).
constexpr auto in_flight_margin = std::chrono::milliseconds(100);

// One request of the load, with what came back.
struct record {
  std::size_t customer = 0;
  std::string what; // "POST /orders/checkout" or "POST /cart/items"
  exchange ex;
};

// Fills the cart when it is empty and checks out, again and again, until a
// request gets no answer (the server stopped) or `until`. Only answers
// move the expected state; the first unanswered request is the pending one.
void shop_until_stopped(std::uint16_t port, std::size_t index,
                        const customer& cu,
                        const std::vector<book_entry>& books,
                        std::uint64_t seed, start_gate& gate,
                        clock_type::time_point until, activity& act,
                        std::vector<record>& out) {
  std::mt19937_64 rng{seed};
  wire_client w{port};
  bool connected = w.connect();
  gate.arrive();
  if (!connected) {
    act.error += "could not connect before the load\n";
    return;
  }
  const auto& token = cu.account.access_token;
  auto send = [&](const std::string& what, const std::string& target,
                  const json& body) {
    record r;
    r.customer = index;
    r.what = what;
    r.ex = w.request("POST", target, body.dump(), token);
    act.history += history_line(what + " " + body.dump(), r.ex);
    out.push_back(r);
    return out.back().ex;
  };
  auto code_of = [](const exchange& ex) {
    try {
      auto j = json::parse(ex.res.body);
      return j.is_object() ? j.value("code", std::string{}) : std::string{};
    } catch (...) {
      return std::string{};
    }
  };
  while (clock_type::now() < until) {
    if (act.cart.empty()) {
      std::vector<std::int64_t> ids;
      for (auto& b : books)
        ids.push_back(b.id);
      std::shuffle(ids.begin(), ids.end(), rng);
      auto n = std::uniform_int_distribution<std::size_t>(1, 3)(rng);
      for (std::size_t k = 0; k < n; ++k) {
        auto qty = std::uniform_int_distribution<int>(1, 3)(rng);
        auto ex = send("POST /cart/items", "/cart/items",
                       {{"book_id", ids[k]}, {"quantity", qty}});
        if (ex.kind != outcome::answered) {
          act.pending = pending_kind::add_item;
          act.pending_book = ids[k];
          act.pending_quantity = qty;
          return;
        }
        if (ex.res.status == 201)
          act.cart[ids[k]] += qty;
        // 409 (out of stock) changes nothing; other answers are judged
        // by the test thread.
      }
    }
    json body = json::object();
    if (std::bernoulli_distribution(forced_decline)(rng))
      body["force_payment_failure"] = true;
    auto ex = send("POST /orders/checkout", "/orders/checkout", body);
    if (ex.kind != outcome::answered) {
      act.pending = pending_kind::checkout;
      return;
    }
    if (ex.res.status == 201) {
      try {
        act.confirmed.push_back({json::parse(ex.res.body), act.cart});
      } catch (const std::exception&) {
        act.error += "a 201 checkout answer is not JSON\n";
        return;
      }
      act.cart.clear();
    } else if (ex.res.status == 402 && code_of(ex) == "ORDER_PAYMENT_FAILED") {
    } else if (ex.res.status == 409
               && code_of(ex) == "ORDER_INSUFFICIENT_STOCK") {
    } else if (ex.res.status == 422 && code_of(ex) == "ORDER_CART_EMPTY") {
    } else {
      act.error += "checkout answered " + std::to_string(ex.res.status) + " "
                   + ex.res.body.substr(0, 300) + "\n";
      return;
    }
  }
}

// Whether a complete answer is a valid one for its request (checked on the
// test thread, with the shape checks of the e2e helpers).
void check_answer(const record& r) {
  const auto& res = r.ex.res;
  INFO(r.what << " of customer " << r.customer << "\n" << e2e::describe(res));
  if (r.what == "POST /orders/checkout") {
    if (res.status == 201)
      e2e::check_order_shape(res.json());
    else if (res.status == 402)
      e2e::check_error(res, 402, "ORDER_PAYMENT_FAILED");
    else if (res.status == 409)
      e2e::check_error(res, 409, "ORDER_INSUFFICIENT_STOCK");
    else
      e2e::check_error(res, 422, "ORDER_CART_EMPTY");
  } else {
    if (res.status == 201)
      e2e::check_cart_item_shape(res.json());
    else
      e2e::check_error(res, 409, "CART_BOOK_OUT_OF_STOCK");
  }
}

} // namespace

TEST_CASE("SIGTERM under checkout load answers every request it answers "
          "completely and exits 0 and loses nothing",
          "[graceful]") {
  const auto rounds = env_long("BOOKSTORE_GRACEFUL_ROUNDS", 3);
  const auto seed = test_seed();
  std::mt19937_64 rng{seed};
  std::printf("[graceful] seed %llu (BOOKSTORE_CRASH_SEED), %ld stops\n",
              static_cast<unsigned long long>(seed), rounds);
  std::fflush(stdout);
  INFO("seed " << seed);

  temp_dir dir{"bookstore-graceful-"};
  REQUIRE(dir.ok());
  INFO("database " << dir.db());
  server_options opts;
  opts.db_path = dir.db();
  opts.payment_failure_rate = "0.3";
  // Short and long payments in turn: with long ones most checkouts are
  // parked at the payment provider when the signal comes.
  auto latency_for = [](long round) -> std::vector<std::string> {
    return {"--payment-latency-ms", round % 2 == 1 ? "20" : "250"};
  };
  opts.extra_args = latency_for(1);

  auto srv = std::make_unique<server_process>(opts);
  auto c = std::make_unique<http_client>(srv->port());
  shop s;
  s.admin_token = e2e::login(*c, e2e::admin_email, e2e::admin_password);
  s.add_books(*c, book_count, initial_stock);
  s.add_customers(srv->port(), customer_count);

  verify_stats stats;
  int answered_total = 0, after_signal_answered = 0, dropped_total = 0,
      in_flight_total = 0;
  for (long round = 1; round <= rounds; ++round) {
    auto when = "stop " + std::to_string(round);
    INFO(when);
    s.restock(*c, restock_below, rng);
    c.reset();

    std::vector<activity> acts(s.customers.size());
    for (std::size_t i = 0; i < acts.size(); ++i)
      acts[i].cart = s.customers[i].cart;
    std::vector<std::vector<record>> records(s.customers.size());
    start_gate gate;
    auto until = clock_type::now() + std::chrono::seconds(30);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < acts.size(); ++i) {
      auto thread_seed = rng();
      threads.emplace_back([&, i, thread_seed] {
        shop_until_stopped(srv->port(), i, s.customers[i], s.books, thread_seed,
                           gate, until, acts[i], records[i]);
      });
    }
    bool all_ready = gate.open_when(
        customer_count, test_support::scaled(std::chrono::seconds(10)));
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::uniform_int_distribution<int>(150, 450)(rng)));
    int sig = round % 2 == 0 ? SIGINT : SIGTERM;
    auto signal_at = clock_type::now();
    srv->signal(sig);
    int status = srv->wait_exit(std::chrono::seconds(20));
    auto exit_at = clock_type::now();
    if (status == -1) {
      srv->kill();
      for (auto& t : threads)
        t.join();
      FAIL(when << ": the server did not exit within "
                << test_support::scaled(std::chrono::seconds(20)).count()
                << " ms of signal " << sig << "; stderr tail:\n"
                << srv->stderr_tail());
    }
    for (auto& t : threads)
      t.join();
    CHECK(all_ready);
    {
      INFO("signal " << sig << "; stderr tail:\n" << srv->stderr_tail());
      CHECK(status == 0);
    }
    // Nobody listens any more.
    CHECK_FALSE(wire_client{srv->port()}.connect());

    // Every answer is complete and valid; none is cut off.
    int answered = 0, dropped = 0, refused = 0, late = 0, in_flight = 0;
    for (auto& per : records) {
      for (auto& r : per) {
        auto ms = [&](clock_type::time_point t) {
          return std::chrono::duration<double, std::milli>(t - signal_at)
              .count();
        };
        INFO(r.what << " of customer " << r.customer << ": sent "
                    << ms(r.ex.sent_at) << " ms after the signal, outcome "
                    << to_string(r.ex.kind) << " " << ms(r.ex.done_at)
                    << " ms after it (exit " << ms(exit_at) << " ms)\n"
                    << "bytes: " << r.ex.bytes.substr(0, 300));
        CHECK(r.ex.kind != outcome::partial);
        CHECK(r.ex.kind != outcome::timeout);
        // In flight at the signal: read by the server long before it, so
        // it must be finished and answered (a request sent just before the
        // signal may still be unread, and a stopping server reads nothing
        // more).
        if (r.ex.fully_sent && r.ex.sent_at + in_flight_margin < signal_at
            && r.ex.done_at > signal_at) {
          ++in_flight;
          CHECK(r.ex.kind == outcome::answered);
        }
        if (r.ex.kind == outcome::answered) {
          ++answered;
          if (r.ex.sent_at > signal_at)
            ++late;
          check_answer(r);
        } else if (r.ex.kind == outcome::no_answer) {
          ++dropped;
          std::printf("[graceful]   %s closed unanswered: sent %.1f ms "
                      "after the signal (fully sent: %d), closed %.1f ms "
                      "after it\n",
                      r.what.c_str(), ms(r.ex.sent_at), r.ex.fully_sent ? 1 : 0,
                      ms(r.ex.done_at));
        } else if (r.ex.kind == outcome::refused) {
          ++refused;
        }
      }
    }
    answered_total += answered;
    in_flight_total += in_flight;
    after_signal_answered += late;
    dropped_total += dropped;
    std::printf(
        "[graceful] %s (signal %d): %d answers (%d to requests sent "
        "after the signal), %d requests in flight for over %d ms at the "
        "signal, %d closed unanswered, %d refused; exit %.0f ms after the "
        "signal\n",
        when.c_str(), sig, answered, late, in_flight,
        static_cast<int>(in_flight_margin.count()), dropped, refused,
        std::chrono::duration<double, std::milli>(exit_at - signal_at).count());
    std::fflush(stdout);

    // Restart on the same file: orders, carts and stock as answered.
    srv.reset();
    opts.extra_args = latency_for(round + 1);
    try {
      srv = std::make_unique<server_process>(opts);
    } catch (const std::exception& e) {
      FAIL(when << ": the server did not restart: " << e.what());
    }
    c = std::make_unique<http_client>(srv->port());
    bool ok = s.verify(*c, acts, when, stats);
    if (!ok) {
      INFO("stderr of the restarted server:\n" << srv->stderr_tail());
      FAIL(when << ": invariants broken after the graceful stop");
    }
  }
  auto status = srv->stop(SIGTERM);
  INFO("stderr tail:\n" << srv->stderr_tail());
  CHECK(status == 0);
  std::printf("[graceful] %ld stops: %d answers, %d to requests sent after "
              "the signal, %d requests in flight at a signal all answered, "
              "%d requests closed unanswered; %d orders confirmed, %d "
              "unanswered checkouts (%d had committed)\n",
              rounds, answered_total, after_signal_answered, in_flight_total,
              dropped_total, stats.confirmed,
              stats.pending_committed + stats.pending_not_committed,
              stats.pending_committed);
  std::fflush(stdout);
}
