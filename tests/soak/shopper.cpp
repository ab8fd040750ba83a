// A customer's client: one keep-alive connection, one customer at a time.
// It keeps its own picture of the cart so that every request it sends has
// one right answer (an add never duplicates a line, a checkout never sees
// an empty cart); only stock, which other threads buy, may say 409.

#include <chrono>
#include <deque>
#include <map>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "load.hpp"

namespace soak {

namespace {

using json = nlohmann::json;
using steady = std::chrono::steady_clock;

constexpr std::size_t max_cart_lines = 3;
constexpr std::size_t remembered_orders = 16;

class shopper {
public:
  shopper(const load_context& ctx, std::vector<credentials> customers,
          std::uint64_t seed)
      : ctx_{ctx}, client_{ctx.port, *ctx.counts},
        customers_{std::move(customers)}, rng_{seed} {}

  int run() {
    while (!ctx_.stop->load()) {
      if (token_.empty() || steady::now() >= switch_at_)
        switch_customer();
      else
        step();
    }
    return client_.reconnects();
  }

private:
  std::uint64_t roll(std::uint64_t n) { return rng_() % n; }

  std::int64_t any_book() {
    const auto& books = ctx_.shop->books;
    return books[roll(books.size())];
  }

  /// Every 2 to 8 s: a new customer one time in four, else one of ours
  /// logs in again. The cart is then read back: it may hold lines from an
  /// earlier session.
  void switch_customer() {
    switch_at_ = steady::now() + std::chrono::milliseconds(2000 + roll(6000));
    token_.clear();
    cart_.clear();
    orders_.clear();
    std::optional<e2e::response> res;
    {
      std::lock_guard<std::mutex> guard{*ctx_.sample_gate};
      if (roll(4) == 0) {
        credentials fresh{e2e::unique_email("soak"),
                          "password-" + e2e::unique_suffix()};
        res = client_.send(
            route::auth, "POST", "/auth/register",
            json{{"email", fresh.email}, {"password", fresh.password}}.dump());
        if (res)
          customers_.push_back(fresh);
      } else {
        const auto& who = customers_[roll(customers_.size())];
        res = client_.send(
            route::auth, "POST", "/auth/login",
            json{{"email", who.email}, {"password", who.password}}.dump());
      }
    }
    if (!res)
      return;
    token_ = res->json().at("access_token").get<std::string>();
    auto cart = client_.send(route::cart, "GET", "/cart", {}, token_);
    if (!cart)
      return;
    // Named: ranging over a member of the temporary json() would read it
    // after its end (it lost lines now and then).
    const auto body = cart->json();
    for (const auto& item : body.at("items"))
      cart_[item.at("book_id").get<std::int64_t>()] =
          item.at("id").get<std::int64_t>();
  }

  /// One request after a think time of 0 to 20 ms: a steady load that
  /// leaves the shared machine some room, not a saturation test.
  void step() {
    std::this_thread::sleep_for(std::chrono::milliseconds(roll(21)));
    auto dice = roll(100);
    if (dice < 22)
      browse();
    else if (dice < 40)
      search();
    else if (dice < 57)
      client_.send(route::detail, "GET",
                   "/books/" + std::to_string(any_book()));
    else if (dice < 83)
      change_cart();
    else if (dice < 88)
      checkout();
    else if (dice < 95)
      list_orders();
    else
      client_.send(route::health, "GET", "/health");
  }

  void browse() {
    static constexpr const char* sorts[] = {"title", "price", "date",
                                            "created_at"};
    auto pages = ctx_.shop->books.size() / 20;
    client_.send(route::browse, "GET",
                 "/books?page=" + std::to_string(1 + roll(pages))
                     + "&size=20&sort=" + sorts[roll(4)]
                     + (roll(2) == 0 ? "&sort_dir=desc" : ""));
  }

  /// A word or a word's prefix, two words, an author, a genre or a price
  /// band: each takes another path through the catalog query.
  void search() {
    const auto& shop = *ctx_.shop;
    const auto& word = shop.words[roll(shop.words.size())];
    std::string query;
    switch (roll(5)) {
    case 0:
      query = "q=" + word;
      break;
    case 1:
      query = "q=" + word.substr(0, 3);
      break;
    case 2:
      query = "q=" + word + "+" + shop.words[roll(shop.words.size())];
      break;
    case 3:
      query = "author=" + shop.authors[roll(shop.authors.size())];
      break;
    default:
      query =
          "genre_id=" + std::to_string(shop.genres[roll(shop.genres.size())])
          + "&min_price=5&max_price=" + std::to_string(10 + roll(50));
    }
    client_.send(route::search, "GET", "/books?" + query + "&size=10");
  }

  void change_cart() {
    if (cart_.size() < max_cart_lines && (cart_.empty() || roll(2) == 0))
      return add_line();
    auto line = std::next(cart_.begin(),
                          static_cast<std::ptrdiff_t>(roll(cart_.size())));
    auto item = "/cart/items/" + std::to_string(line->second);
    switch (roll(3)) {
    case 0:
      client_.send(route::cart, "PUT", item,
                   json{{"quantity", 1 + roll(3)}}.dump(), token_);
      break;
    case 1:
      if (client_.send(route::cart, "DELETE", item, {}, token_))
        cart_.erase(line);
      break;
    default:
      client_.send(route::cart, "GET", "/cart", {}, token_);
    }
  }

  void add_line() {
    auto book = any_book();
    if (cart_.count(book) != 0)
      return;
    auto res =
        client_.send(route::cart, "POST", "/cart/items",
                     json{{"book_id", book}, {"quantity", 1 + roll(2)}}.dump(),
                     token_, {"CART_BOOK_OUT_OF_STOCK"});
    if (res && res->status == 201)
      cart_[book] = res->json().at("id").get<std::int64_t>();
  }

  /// Half of the checkouts carry an Idempotency-Key. A 409 for stock
  /// names the short lines: they leave the cart, so the next one can work.
  void checkout() {
    if (cart_.empty())
      return add_line();
    e2e::header_list extra;
    if (roll(2) == 0)
      extra.emplace_back("Idempotency-Key", "soak-" + e2e::unique_suffix());
    auto res = client_.send(route::checkout, "POST", "/orders/checkout", "{}",
                            token_, {"ORDER_INSUFFICIENT_STOCK"}, extra);
    if (!res)
      return;
    auto body = res->json();
    if (res->status == 201) {
      cart_.clear();
      orders_.push_back(body.at("id").get<std::int64_t>());
      if (orders_.size() > remembered_orders)
        orders_.pop_front();
      return;
    }
    for (const auto& short_line : body.at("items")) {
      auto line = cart_.find(short_line.at("book_id").get<std::int64_t>());
      if (line == cart_.end())
        continue;
      if (client_.send(route::cart, "DELETE",
                       "/cart/items/" + std::to_string(line->second), {},
                       token_))
        cart_.erase(line);
    }
  }

  void list_orders() {
    if (orders_.empty() || roll(2) == 0)
      client_.send(route::orders, "GET", "/orders", {}, token_);
    else
      client_.send(route::orders, "GET",
                   "/orders/" + std::to_string(orders_[roll(orders_.size())]),
                   {}, token_);
  }

  const load_context& ctx_;
  judged_client client_;
  std::vector<credentials> customers_;
  std::mt19937_64 rng_;
  std::string token_;
  steady::time_point switch_at_;
  std::map<std::int64_t, std::int64_t> cart_; // book id -> cart item id
  std::deque<std::int64_t> orders_;           // this customer's latest
};

} // namespace

int run_shopper(const load_context& ctx, std::vector<credentials> customers,
                std::uint64_t seed) {
  return shopper{ctx, std::move(customers), seed}.run();
}

} // namespace soak
