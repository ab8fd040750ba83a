#include "shop_model.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

namespace crash {

using e2e::http_client;

std::string to_string(const lines& l) {
  std::ostringstream out;
  out << "{";
  bool first = true;
  for (auto& [book, qty] : l) {
    out << (first ? "" : ", ") << "book " << book << " x" << qty;
    first = false;
  }
  out << "}";
  return out.str();
}

lines lines_of(const json& items) {
  lines out;
  for (auto& item : items)
    out[item.at("book_id").get<std::int64_t>()] +=
        item.at("quantity").get<long long>();
  return out;
}

void shop::add_books(http_client& c, int count, long long stock) {
  for (int i = 0; i < count; ++i) {
    auto price = std::to_string(5 + i) + "." + std::to_string(10 + i * 7);
    auto book = e2e::stocked_book(c, admin_token, stock, price);
    book_entry entry;
    entry.id = book.at("id").get<std::int64_t>();
    entry.initial = stock;
    REQUIRE(book.at("stock_quantity").get<long long>() == stock);
    books.push_back(entry);
  }
}

void shop::add_customers(std::uint16_t port, int count) {
  std::vector<std::optional<e2e::account>> made(
      static_cast<std::size_t>(count));
  // A few at a time: each registration costs an Argon2id hash.
  constexpr int parallel = 4;
  e2e::run_concurrently(parallel, [&](int t) {
    for (int i = t; i < count; i += parallel) {
      try {
        http_client c{port};
        made[static_cast<std::size_t>(i)] = e2e::try_register(c, "crash");
      } catch (...) {
      }
    }
  });
  for (auto& m : made) {
    REQUIRE(m.has_value());
    REQUIRE(!m->id.empty());
    customer cu;
    cu.account = *m;
    customers.push_back(cu);
  }
}

void shop::renew_tokens(http_client& c) {
  admin_token = e2e::login(c, e2e::admin_email, e2e::admin_password);
  for (auto& cu : customers)
    cu.account.access_token =
        e2e::login(c, cu.account.email, cu.account.password);
}

long long shop::restock(http_client& c, long long below, std::mt19937_64& rng) {
  long long added = 0;
  for (auto& b : books) {
    auto now = e2e::book_stock(c, b.id);
    if (now >= below)
      continue;
    auto more = std::uniform_int_distribution<long long>(below, 2 * below)(rng);
    auto after = e2e::set_stock(c, admin_token, b.id, now + more);
    REQUIRE(after.at("stock_quantity").get<long long>() == now + more);
    b.restocks += more;
    added += more;
  }
  return added;
}

namespace {

std::optional<json> get_json(http_client& c, const std::string& target,
                             const std::string& token, int* status) {
  auto r = c.get(target, token);
  *status = r.status;
  if (r.status != 200)
    return std::nullopt;
  return r.json();
}

} // namespace

bool shop::verify(http_client& c, const std::vector<activity>& acts,
                  const std::string& when, verify_stats& stats) {
  REQUIRE(acts.size() == customers.size());
  bool ok = true;
  auto fail = [&](const std::string& what) {
    ok = false;
    FAIL_CHECK(when << ": " << what);
  };

  for (std::size_t i = 0; i < customers.size(); ++i) {
    auto& cu = customers[i];
    auto& act = acts[i];
    auto who = "customer " + std::to_string(i) + " (" + cu.account.email
               + ", user " + cu.account.id + ")";
    auto context = who + "; what the client saw:\n" + act.history;
    const auto& token = cu.account.access_token;

    // Every order answered 201 exists exactly as answered.
    std::set<std::int64_t> answered;
    for (auto& co : act.confirmed) {
      ++stats.confirmed;
      auto id = co.body.at("id").get<std::int64_t>();
      answered.insert(id);
      if (lines_of(co.body.at("items")) != co.cart)
        fail("the 201 of order " + std::to_string(id) + " has the lines "
             + to_string(lines_of(co.body.at("items")))
             + " but the cart checked out was " + to_string(co.cart) + "; "
             + context);
      int status = 0;
      auto got = get_json(c, "/orders/" + std::to_string(id), token, &status);
      if (!got) {
        fail("order " + std::to_string(id)
             + " was answered 201 but GET /orders/{id} answers "
             + std::to_string(status) + "; " + context);
        continue;
      }
      if (*got != co.body)
        fail("order " + std::to_string(id) + " was answered 201 as "
             + co.body.dump() + " but is now " + got->dump() + "; " + context);
    }

    int status = 0;
    auto orders = get_json(c, "/orders", token, &status);
    auto cart_json = get_json(c, "/cart", token, &status);
    if (!orders || !orders->is_array() || !cart_json) {
      fail("GET /orders or GET /cart failed (" + std::to_string(status)
           + ") for " + who);
      continue;
    }
    std::set<std::int64_t> listed;
    std::map<std::int64_t, json> by_id;
    for (auto& o : *orders) {
      auto id = o.at("id").get<std::int64_t>();
      listed.insert(id);
      by_id[id] = o;
    }
    for (auto id : cu.orders)
      if (!listed.count(id))
        fail("order " + std::to_string(id) + " (seen before) is gone from "
             + "GET /orders; " + context);
    for (auto id : answered)
      if (!listed.count(id))
        fail("order " + std::to_string(id) + " (answered 201) is missing "
             + "from GET /orders; " + context);
    std::vector<std::int64_t> extra;
    for (auto id : listed)
      if (!cu.orders.count(id) && !answered.count(id))
        extra.push_back(id);
    auto cart = lines_of(cart_json->at("items"));

    auto describe_extra = [&] {
      std::string s;
      for (auto id : extra)
        s += " " + by_id[id].dump();
      return s;
    };

    switch (act.pending) {
    case pending_kind::none:
      if (!extra.empty())
        fail("orders nobody confirmed appeared:" + describe_extra() + "; "
             + context);
      if (cart != act.cart)
        fail("the cart is " + to_string(cart) + ", expected "
             + to_string(act.cart) + "; " + context);
      break;
    case pending_kind::add_item: {
      ++stats.pending_adds;
      auto with = act.cart;
      with[act.pending_book] += act.pending_quantity;
      if (!extra.empty())
        fail("orders nobody confirmed appeared:" + describe_extra() + "; "
             + context);
      if (cart != act.cart && cart != with)
        fail("after an unanswered add of book "
             + std::to_string(act.pending_book) + " x"
             + std::to_string(act.pending_quantity) + " the cart is "
             + to_string(cart) + ", expected " + to_string(act.cart) + " or "
             + to_string(with) + "; " + context);
      break;
    }
    case pending_kind::checkout:
      if (extra.empty()) {
        ++stats.pending_not_committed;
        if (cart != act.cart)
          fail("an unanswered checkout left no order, so the cart must be "
               "unchanged: it is "
               + to_string(cart) + ", expected " + to_string(act.cart) + "; "
               + context);
      } else if (extra.size() == 1) {
        ++stats.pending_committed;
        auto& order = by_id[extra.front()];
        if (lines_of(order.at("items")) != act.cart)
          fail("an unanswered checkout committed order "
               + std::to_string(extra.front()) + " with the lines "
               + to_string(lines_of(order.at("items"))) + " but the cart was "
               + to_string(act.cart) + "; " + context);
        if (order.value("status", "") != "confirmed")
          fail("order " + order.dump() + " is not confirmed; " + context);
        if (!cart.empty())
          fail("an unanswered checkout committed order "
               + std::to_string(extra.front())
               + " but the cart was not emptied: " + to_string(cart) + "; "
               + context);
      } else {
        fail("one unanswered checkout made several orders:" + describe_extra()
             + "; " + context);
      }
      break;
    }
    if (!act.error.empty())
      fail("unexpected answers: " + act.error + "; " + context);

    for (auto id : listed)
      cu.orders.insert(id);
    cu.cart = cart;
  }

  // Every order in the store, and the stock ledger of every book.
  auto r = c.get("/admin/orders", admin_token);
  REQUIRE_STATUS(r, 200);
  auto all = r.json();
  REQUIRE(all.is_array());
  stats.orders_total = all.size();
  std::set<std::int64_t> known;
  for (auto& cu : customers)
    known.insert(cu.orders.begin(), cu.orders.end());
  std::set<std::int64_t> stored;
  std::map<std::int64_t, long long> sold;
  for (auto& o : all) {
    auto id = o.at("id").get<std::int64_t>();
    stored.insert(id);
    if (o.value("status", "") != "confirmed") {
      fail("order " + o.dump() + " is not confirmed");
      continue;
    }
    for (auto& [book, qty] : lines_of(o.at("items")))
      sold[book] += qty;
  }
  if (stored != known) {
    std::string missing, unknown;
    for (auto id : known)
      if (!stored.count(id))
        missing += " " + std::to_string(id);
    for (auto id : stored)
      if (!known.count(id))
        unknown += " " + std::to_string(id);
    fail("GET /admin/orders does not list exactly the customers' orders: "
         "missing ["
         + missing + " ], unknown [" + unknown + " ]");
  }
  for (auto& b : books) {
    auto stock = e2e::book_stock(c, b.id);
    auto units = sold[b.id];
    if (stock < 0 || b.initial + b.restocks != stock + units) {
      std::ostringstream msg;
      msg << "stock ledger of book " << b.id << ": initial " << b.initial
          << " + restocks " << b.restocks << " = " << b.initial + b.restocks
          << ", but current stock " << stock << " + units in confirmed orders "
          << units << " = " << stock + units;
      fail(msg.str());
    }
  }
  return ok;
}

} // namespace crash
