// Admin reports (API.md, Admin reports) and their access control.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("admin").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

const std::set<std::string> summary_keys{"period", "revenue", "order_count",
                                         "aov", "delta_percentage"};

json summary(http_client& c, const std::string& admin,
             const std::string& query = {}) {
  auto r = c.get("/admin/sales/summary" + query, admin);
  REQUIRE_STATUS(r, 200);
  auto j = r.json();
  INFO(j.dump());
  CHECK(keys_of(j) == summary_keys);
  CHECK(j.value("revenue", json{}).is_number());
  CHECK(j.value("order_count", json{}).is_number_integer());
  CHECK(j.value("aov", json{}).is_number());
  CHECK((j.value("delta_percentage", json{}).is_null()
         || j.value("delta_percentage", json{}).is_number()));
  return j;
}

double number(const json& j, const char* key) {
  REQUIRE(j.value(key, json{}).is_number());
  return j[key].get<double>();
}

} // namespace

TEST_CASE("the sales summary starts at zero and counts confirmed orders only",
          "[admin]") {
  // A server of its own: the numbers cover every order it has.
  http_client c{shared_server("admin-summary").port()};
  auto admin = admin_token(c);

  auto zero = summary(c, admin);
  CHECK(zero["period"] == "today");
  CHECK(number(zero, "revenue") == 0.0);
  CHECK(zero["order_count"] == 0);
  CHECK(number(zero, "aov") == 0.0);
  CHECK(zero["delta_percentage"].is_null());

  auto user = register_user(c);
  auto a = stocked_book(c, admin, 10, "50.00");
  auto b = stocked_book(c, admin, 10, "10.00");
  add_to_cart(c, user.access_token, id_of(a), 2);
  REQUIRE_STATUS(checkout(c, user.access_token), 201);
  add_to_cart(c, user.access_token, id_of(b), 1);
  REQUIRE_STATUS(checkout(c, user.access_token), 201);
  // A declined payment creates no order and no revenue.
  add_to_cart(c, user.access_token, id_of(a), 1);
  REQUIRE_STATUS(checkout(c, user.access_token, true), 402);

  for (const std::string& period :
       std::vector<std::string>{"today", "week", "month"}) {
    CAPTURE(period);
    auto s = summary(c, admin, "?period=" + period);
    CHECK(s["period"] == period);
    CHECK(number(s, "revenue") == Approx(110.0));
    CHECK(s["order_count"] == 2);
    CHECK(number(s, "aov") == Approx(55.0));
    // Nothing sold in the previous period.
    CHECK(s["delta_percentage"].is_null());
  }
}

TEST_CASE("sales summary validates the period and needs an admin", "[admin]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  check_validation_error(c.get("/admin/sales/summary?period=year", admin));
  check_validation_error(c.get("/admin/sales/summary?period=", admin));
  check_error(c.get("/admin/sales/summary"), 401, "AUTH_REQUIRED");
  check_error(c.get("/admin/sales/summary", user.access_token), 403,
              "AUTH_FORBIDDEN");
}

TEST_CASE("top books rank by revenue or by volume", "[admin]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  // Prices far above anything else this server sells, so both lead.
  auto a = stocked_book(c, admin, 10, "5000.00");
  auto b = stocked_book(c, admin, 10, "1000.00");
  add_to_cart(c, user.access_token, id_of(a), 1);
  add_to_cart(c, user.access_token, id_of(b), 3);
  REQUIRE_STATUS(checkout(c, user.access_token), 201);

  auto fetch = [&](const std::string& query) {
    auto r = c.get("/admin/sales/top-books" + query, admin);
    REQUIRE_STATUS(r, 200);
    auto j = r.json();
    INFO(j.dump());
    CHECK(keys_of(j) == std::set<std::string>{"sort_by", "items"});
    REQUIRE(j["items"].is_array());
    for (auto& item : j["items"]) {
      CHECK(keys_of(item)
            == std::set<std::string>{"book_id", "title", "author",
                                     "total_revenue", "units_sold"});
      CHECK(item.value("total_revenue", json{}).is_number());
      CHECK(item.value("units_sold", json{}).is_number_integer());
    }
    return j;
  };
  auto position = [&](const json& j, const json& book) {
    for (std::size_t i = 0; i < j["items"].size(); ++i)
      if (j["items"][i]["book_id"] == book["id"])
        return static_cast<long>(i);
    return -1L;
  };

  auto by_revenue = fetch("?sort_by=revenue&limit=50");
  CHECK(by_revenue["sort_by"] == "revenue");
  auto pa = position(by_revenue, a);
  auto pb = position(by_revenue, b);
  REQUIRE(pa >= 0);
  REQUIRE(pb >= 0);
  CHECK(pa < pb);
  auto item_a = by_revenue["items"][static_cast<std::size_t>(pa)];
  CHECK(item_a["title"] == a["title"]);
  CHECK(item_a["author"] == a["author"]);
  CHECK(item_a["total_revenue"].get<double>() == Approx(5000.0));
  CHECK(item_a["units_sold"] == 1);
  auto item_b = by_revenue["items"][static_cast<std::size_t>(pb)];
  CHECK(item_b["total_revenue"].get<double>() == Approx(3000.0));
  CHECK(item_b["units_sold"] == 3);
  for (std::size_t i = 1; i < by_revenue["items"].size(); ++i)
    CHECK(by_revenue["items"][i - 1]["total_revenue"].get<double>()
          >= by_revenue["items"][i]["total_revenue"].get<double>());

  auto by_volume = fetch("?sort_by=volume&limit=50");
  CHECK(by_volume["sort_by"] == "volume");
  for (std::size_t i = 1; i < by_volume["items"].size(); ++i)
    CHECK(by_volume["items"][i - 1]["units_sold"].get<long long>()
          >= by_volume["items"][i]["units_sold"].get<long long>());
  auto va = position(by_volume, a);
  auto vb = position(by_volume, b);
  REQUIRE(va >= 0);
  REQUIRE(vb >= 0);
  CHECK(vb < va);

  auto one = fetch("?sort_by=revenue&limit=1");
  CHECK(one["items"].size() == 1);
  auto defaults = fetch("");
  CHECK(defaults["sort_by"] == "revenue");
  CHECK(defaults["items"].size() <= 50);
  CHECK_STATUS(c.get("/admin/sales/top-books?limit=50", admin), 200);
}

TEST_CASE("top books validates its query and needs an admin", "[admin]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  for (const char* q :
       {"?sort_by=price", "?limit=0", "?limit=51", "?limit=x", "?limit=-1"}) {
    CAPTURE(q);
    check_validation_error(
        c.get(std::string("/admin/sales/top-books") + q, admin));
  }
  check_error(c.get("/admin/sales/top-books"), 401, "AUTH_REQUIRED");
  check_error(c.get("/admin/sales/top-books", user.access_token), 403,
              "AUTH_FORBIDDEN");
}

TEST_CASE(
    "low stock lists books at or below the threshold with the lowest first",
    "[admin]") {
  auto c = client();
  auto admin = admin_token(c);
  std::vector<json> books;
  for (long long stock : {11LL, 10LL, 0LL, 5LL})
    books.push_back(stocked_book(c, admin, stock));
  const auto& b11 = books[0];
  const auto& b10 = books[1];
  const auto& b0 = books[2];
  const auto& b5 = books[3];

  auto fetch = [&](const std::string& query) {
    auto r = c.get("/admin/inventory/low-stock" + query, admin);
    REQUIRE_STATUS(r, 200);
    auto j = r.json();
    INFO(j.dump());
    CHECK(keys_of(j)
          == std::set<std::string>{"threshold", "total_low_stock", "items"});
    REQUIRE(j["items"].is_array());
    CHECK(j["total_low_stock"] == j["items"].size());
    long long last = -1;
    for (auto& item : j["items"]) {
      CHECK(keys_of(item)
            == std::set<std::string>{"book_id", "title", "author",
                                     "current_stock", "threshold"});
      CHECK(item["threshold"] == j["threshold"]);
      auto stock = item.value("current_stock", -1LL);
      CHECK(stock <= j["threshold"].get<long long>());
      CHECK(stock >= last);
      last = stock;
    }
    return j;
  };
  auto ids = [](const json& j) {
    std::set<std::int64_t> out;
    for (auto& item : j["items"])
      out.insert(item["book_id"].get<std::int64_t>());
    return out;
  };

  auto def = fetch("");
  CHECK(def["threshold"] == 10);
  auto d = ids(def);
  CHECK(d.count(id_of(b0)) == 1);
  CHECK(d.count(id_of(b5)) == 1);
  CHECK(d.count(id_of(b10)) == 1);
  CHECK(d.count(id_of(b11)) == 0);
  for (auto& item : def["items"])
    if (item["book_id"] == b5["id"]) {
      CHECK(item["title"] == b5["title"]);
      CHECK(item["author"] == b5["author"]);
      CHECK(item["current_stock"] == 5);
    }

  auto five = fetch("?threshold=5");
  CHECK(five["threshold"] == 5);
  auto f = ids(five);
  CHECK(f.count(id_of(b0)) == 1);
  CHECK(f.count(id_of(b5)) == 1);
  CHECK(f.count(id_of(b10)) == 0);

  auto zero = fetch("?threshold=0");
  CHECK(ids(zero).count(id_of(b0)) == 1);
  CHECK(ids(zero).count(id_of(b5)) == 0);
}

TEST_CASE("low stock validates its query and needs an admin", "[admin]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c);
  check_validation_error(
      c.get("/admin/inventory/low-stock?threshold=-1", admin));
  check_validation_error(
      c.get("/admin/inventory/low-stock?threshold=ten", admin));
  check_error(c.get("/admin/inventory/low-stock"), 401, "AUTH_REQUIRED");
  check_error(c.get("/admin/inventory/low-stock", user.access_token), 403,
              "AUTH_FORBIDDEN");
}

TEST_CASE("admin routes answer 403 to a user token", "[admin]") {
  auto c = client();
  auto user = register_user(c);
  auto book = stocked_book(c, admin_token(c), 1);
  auto path = "/books/" + std::to_string(id_of(book));
  check_error(c.get("/admin/orders", user.access_token), 403, "AUTH_FORBIDDEN");
  check_error(c.post("/books", book_fields(), user.access_token), 403,
              "AUTH_FORBIDDEN");
  check_error(c.put(path, {{"title", "x"}}, user.access_token), 403,
              "AUTH_FORBIDDEN");
  check_error(c.del(path, user.access_token), 403, "AUTH_FORBIDDEN");
  check_error(c.patch(path + "/stock", {{"quantity", 3}}, user.access_token),
              403, "AUTH_FORBIDDEN");
  check_error(
      c.post("/genres", {{"name", "G" + unique_word()}}, user.access_token),
      403, "AUTH_FORBIDDEN");
}
