// The admin's client: keeps scarce books selling (so checkouts keep
// succeeding between the expected 409s), reads every report, lists all
// orders now and then and changes prices.

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "load.hpp"
#include "server_process.hpp"

namespace soak {

namespace {

using json = nlohmann::json;
using steady = std::chrono::steady_clock;

// An access token lives 900 s (API.md); log in again well before that.
constexpr auto relogin_every = std::chrono::minutes(5);
// GET /admin/orders answers every order ever placed (the contract has no
// paging), so its time grows with the run; a dashboard-like rate.
constexpr auto list_all_every = std::chrono::seconds(30);
constexpr auto restock_every = std::chrono::seconds(1);

class admin {
public:
  admin(const load_context& ctx, std::uint64_t seed)
      : ctx_{ctx}, client_{ctx.port, *ctx.counts}, rng_{seed} {}

  admin_result run() {
    auto now = steady::now();
    auto login_at = now, list_at = now + list_all_every, restock_at = now;
    while (!ctx_.stop->load()) {
      now = steady::now();
      if (now >= login_at) {
        login();
        login_at = now + relogin_every;
      } else if (now >= restock_at) {
        restock();
        restock_at = now + restock_every;
      } else if (now >= list_at) {
        list_all();
        list_at = steady::now() + list_all_every;
      } else {
        report();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    result_.reconnects = client_.reconnects();
    return result_;
  }

private:
  std::uint64_t roll(std::uint64_t n) { return rng_() % n; }

  void login() {
    std::lock_guard<std::mutex> guard{*ctx_.sample_gate};
    auto res = client_.send(
        route::auth, "POST", "/auth/login",
        json{{"email", e2e::admin_email}, {"password", e2e::admin_password}}
            .dump());
    if (res)
      token_ = res->json().at("access_token").get<std::string>();
  }

  // Not under the sample gate: the server streams the listing a page at a
  // time, so its memory must not follow the order table, even while it runs.
  void list_all() {
    auto sent = steady::now();
    auto res = client_.send(route::admin, "GET", "/admin/orders", {}, token_);
    if (!res)
      return;
    std::chrono::duration<double, std::milli> took = steady::now() - sent;
    ++result_.listings;
    result_.listed_orders = static_cast<std::int64_t>(res->json().size());
    result_.slowest_listing_ms =
        std::max(result_.slowest_listing_ms, took.count());
  }

  /// Sets every scarce book that ran low back to its seeded stock.
  void restock() {
    auto res = client_.send(route::admin, "GET",
                            "/admin/inventory/low-stock?threshold="
                                + std::to_string(scarce_stock - 1),
                            {}, token_);
    if (!res)
      return;
    const auto low = res->json(); // named: see shopper.cpp's switch_customer
    for (const auto& item : low.at("items"))
      client_.send(route::admin, "PATCH",
                   "/books/" + std::to_string(item.at("book_id").get<long>())
                       + "/stock",
                   json{{"quantity", scarce_stock}}.dump(), token_);
  }

  void report() {
    static constexpr const char* periods[] = {"today", "week", "month"};
    const auto& books = ctx_.shop->books;
    switch (roll(4)) {
    case 0:
      client_.send(route::admin, "GET",
                   std::string{"/admin/sales/summary?period="}
                       + periods[roll(3)],
                   {}, token_);
      break;
    case 1:
      client_.send(route::admin, "GET",
                   std::string{"/admin/sales/top-books?sort_by="}
                       + (roll(2) == 0 ? "revenue" : "volume")
                       + "&limit=" + std::to_string(1 + roll(50)),
                   {}, token_);
      break;
    case 2:
      client_.send(route::admin, "GET",
                   "/admin/inventory/low-stock?threshold="
                       + std::to_string(roll(20)),
                   {}, token_);
      break;
    default: {
      // A price change: later checkouts charge the new unit price.
      auto cents = 100 + roll(5900);
      client_.send(route::admin, "PUT",
                   "/books/" + std::to_string(books[roll(books.size())]),
                   json{{"price", std::to_string(cents / 100) + "."
                                      + std::to_string(cents / 10 % 10)
                                      + std::to_string(cents % 10)}}
                       .dump(),
                   token_);
    }
    }
  }

  const load_context& ctx_;
  judged_client client_;
  std::mt19937_64 rng_;
  std::string token_;
  admin_result result_;
};

} // namespace

admin_result run_admin(const load_context& ctx, std::uint64_t seed) {
  return admin{ctx, seed}.run();
}

} // namespace soak
