// Reads of every node's data through any node (API.md, "Cluster": "gets
// the answer a single server holding all the data would give"): the
// expected answers are computed here from the books the test made, by the
// rules a single server's listing follows.

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cluster_support.hpp"

using namespace cluster_test;
using e2e::json;

namespace {

std::string lower_ascii(std::string text) {
  for (auto& ch : text)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

long long cents(const json& book) {
  auto text = book["price"].get<std::string>();
  auto dot = text.find('.');
  return std::stoll(text.substr(0, dot)) * 100
         + std::stoll(text.substr(dot + 1));
}

/// The ids of GET /books?<query>, page by page of `size`, through random
/// nodes; checks total on every page.
std::vector<std::int64_t> listed(test_cluster& cl, const std::string& query,
                                 std::size_t size, std::size_t expected_total) {
  std::vector<std::int64_t> ids;
  for (std::size_t page = 1;; ++page) {
    auto r =
        cl.any_client().get("/books?" + query + "&size=" + std::to_string(size)
                            + "&page=" + std::to_string(page));
    REQUIRE(r.status == 200);
    auto body = r.json();
    CHECK(body["total"] == expected_total);
    CHECK(body["page"] == page);
    CHECK(body["size"] == size);
    for (auto& item : body["items"])
      ids.push_back(item["id"]);
    if (body["items"].size() < size)
      return ids;
  }
}

/// "Deep 0042": titles whose order is their number's.
std::string padded_title(int i) {
  auto digits = std::to_string(i);
  return "Deep " + std::string(4 - digits.size(), '0') + digits;
}

} // namespace

TEST_CASE("GET /books through any node lists every node's books, sorted, "
          "filtered and paged as one server would",
          "[cluster][cluster_reads]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  // Titles that differ only in case and repeat, prices and dates that tie,
  // books without a date: every tiebreak of the orders shows.
  const std::vector<std::string> titles = {"alpha", "Beta",  "beta",   "Gamma",
                                           "delta", "Alpha", "epsilon"};
  std::vector<json> books;
  for (int i = 0; i < 17; ++i) {
    auto fields =
        e2e::book_fields(titles[static_cast<std::size_t>(i) % titles.size()],
                         i % 3 == 0 ? "Ann Writer" : "Bob Author",
                         std::to_string(5 + i % 4) + ".99");
    if (i % 5 != 0)
      fields["publish_date"] =
          "2020-0" + std::to_string(1 + i % 3) + "-1" + std::to_string(i % 2);
    auto c = cl.any_client();
    books.push_back(e2e::create_book(c, admin, fields));
  }
  std::set<std::size_t> owners;
  for (auto& b : books)
    owners.insert(cl.owner_of(b["id"].get<std::int64_t>()));
  REQUIRE(owners.size() == cl.size()); // the catalog spans every node

  auto id_of = [](const json& b) { return b["id"].get<std::int64_t>(); };
  auto expect = [&](auto before, const std::vector<json>& from) {
    auto sorted = from;
    std::sort(sorted.begin(), sorted.end(), before);
    std::vector<std::int64_t> ids;
    for (auto& b : sorted)
      ids.push_back(id_of(b));
    return ids;
  };
  auto by_title = [&](const json& a, const json& b) {
    auto x = lower_ascii(a["title"]), y = lower_ascii(b["title"]);
    return x != y ? x < y : id_of(a) < id_of(b);
  };
  auto by_title_desc = [&](const json& a, const json& b) {
    auto x = lower_ascii(a["title"]), y = lower_ascii(b["title"]);
    return x != y ? x > y : id_of(a) < id_of(b);
  };
  auto by_price_desc = [&](const json& a, const json& b) {
    return cents(a) != cents(b) ? cents(a) > cents(b) : id_of(a) < id_of(b);
  };
  // Books without a date last in both directions.
  auto by_date = [&](bool desc) {
    return [&, desc](const json& a, const json& b) {
      bool na = a["publish_date"].is_null(), nb = b["publish_date"].is_null();
      if (na != nb)
        return nb;
      if (!na) {
        auto x = a["publish_date"].get<std::string>();
        auto y = b["publish_date"].get<std::string>();
        if (x != y)
          return desc ? x > y : x < y;
      }
      return id_of(a) < id_of(b);
    };
  };

  SECTION("every order, across pages, through random nodes") {
    for (std::size_t size : {std::size_t{4}, std::size_t{7}}) {
      CHECK(listed(cl, "sort=title", size, books.size())
            == expect(by_title, books));
      CHECK(listed(cl, "sort=title&sort_dir=desc", size, books.size())
            == expect(by_title_desc, books));
      CHECK(listed(cl, "sort=price&sort_dir=desc", size, books.size())
            == expect(by_price_desc, books));
      CHECK(listed(cl, "sort=date", size, books.size())
            == expect(by_date(false), books));
      CHECK(listed(cl, "sort=date&sort_dir=desc", size, books.size())
            == expect(by_date(true), books));
      // Newest first: ids grow with creation on every node, but not in
      // creation order across nodes; created_at is kept to the second, so
      // only the set and the total are the same as one server's here.
      auto newest =
          listed(cl, "sort=created_at&sort_dir=desc", size, books.size());
      CHECK(std::set<std::int64_t>(newest.begin(), newest.end()).size()
            == books.size());
    }
  }

  SECTION("filters: totals count every node's matches") {
    std::vector<json> anns;
    for (auto& b : books)
      if (b["author"] == "Ann Writer" && cents(b) >= 600)
        anns.push_back(b);
    CHECK(listed(cl, "author=ann%20w&min_price=6&sort=title", 3, anns.size())
          == expect(by_title, anns));
    std::vector<json> betas;
    for (auto& b : books)
      if (lower_ascii(b["title"]) == "beta")
        betas.push_back(b);
    CHECK(listed(cl, "q=beta&sort=title", 2, betas.size())
          == expect(by_title, betas));
  }

  SECTION("a page past the end is empty, with the total") {
    auto r = cl.any_client().get("/books?page=9&size=5");
    REQUIRE(r.status == 200);
    CHECK(r.json()["items"].empty());
    CHECK(r.json()["total"] == books.size());
  }
}

TEST_CASE("GET /books: a deep page and a page past the end through any node "
          "are the pages one server gives",
          "[cluster][cluster_reads]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  // More than a node's first round holds (1000 rows): page 11 of 100 is
  // asked as totals first, then as every node's first 1100 rows.
  constexpr int count = 1001;
  const auto author = e2e::unique_word();
  std::vector<std::int64_t> ids(count, 0);
  std::vector<std::string> refused(8);
  e2e::run_concurrently(8, [&](int t) {
    auto c = cl.client(static_cast<std::size_t>(t) % cl.size());
    for (int i = t; i < count; i += 8) {
      auto made =
          c.post("/books", e2e::book_fields(padded_title(i), author), admin);
      if (made.status != 201) {
        refused[static_cast<std::size_t>(t)] = made.body;
        return;
      }
      ids[static_cast<std::size_t>(i)] = made.json()["id"];
    }
  });
  for (auto& body : refused)
    CHECK(body.empty());
  // By title, as one server lists a query without words: "Deep 0000" on.
  REQUIRE(std::count(ids.begin(), ids.end(), 0) == 0);
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto c = cl.client(n);
    auto last = c.get("/books?author=" + author + "&size=100&page=11").json();
    CHECK(last["total"] == count);
    REQUIRE(last["items"].size() == 1);
    CHECK(last["items"][0]["id"] == ids.back());
    auto tenth = c.get("/books?author=" + author + "&size=100&page=10").json();
    REQUIRE(tenth["items"].size() == 100);
    CHECK(tenth["items"][0]["id"] == ids[900]);
    CHECK(tenth["items"][99]["id"] == ids[999]);
    for (auto page : {"12", "1000000"}) {
      auto beyond = c.get("/books?author=" + author + "&size=100&page=" + page);
      REQUIRE(beyond.status == 200);
      CHECK(beyond.json()["total"] == count);
      CHECK(beyond.json()["items"].empty());
    }
  }
}

TEST_CASE("genres: one list, named once, usable by the books of every node",
          "[cluster][cluster_reads]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  std::vector<std::int64_t> genres;
  for (const char* name : {"Poetry", "Drama", "Essays"}) {
    auto r = cl.any_client().post("/genres", {{"name", name}}, admin);
    REQUIRE(r.status == 201);
    genres.push_back(r.json()["id"]);
  }
  // A name is taken cluster-wide, in any case, whichever node hears it.
  for (std::size_t n = 0; n < cl.size(); ++n)
    e2e::check_error(cl.client(n).post("/genres", {{"name", "drama"}}, admin),
                     409, "GENRE_CONFLICT");
  auto list = cl.client(0).get("/genres").json();
  CHECK(list.size() == 3);
  for (std::size_t n = 1; n < cl.size(); ++n)
    CHECK(cl.client(n).get("/genres").json() == list);

  // Books of every node with a genre, made and changed through any node.
  std::vector<std::int64_t> dramas;
  for (std::size_t owner = 0; owner < cl.size(); ++owner) {
    auto book = book_owned_by(cl, admin, owner, 1);
    auto id = book["id"].get<std::int64_t>();
    auto set = cl.any_client().request("PUT", "/books/" + std::to_string(id),
                                       json{{"genre_id", genres[1]}}.dump(), {},
                                       admin);
    REQUIRE(set.status == 200);
    CHECK(set.json()["genre_id"] == genres[1]);
    dramas.push_back(id);
    auto fields = e2e::book_fields();
    fields["genre_id"] = genres[2];
    auto made = cl.any_client().post("/books", fields, admin);
    REQUIRE(made.status == 201);
    CHECK(made.json()["genre_id"] == genres[2]);
  }
  auto filtered = cl.any_client().get("/books?sort=price&genre_id="
                                      + std::to_string(genres[1]));
  REQUIRE(filtered.status == 200);
  auto body = filtered.json();
  CHECK(body["total"] == 3);
  std::set<std::int64_t> listed;
  for (auto& b : body["items"])
    listed.insert(b["id"].get<std::int64_t>());
  CHECK(listed == std::set<std::int64_t>(dramas.begin(), dramas.end()));
  // A genre nobody made is refused as one server refuses it, on any node.
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto fields = e2e::book_fields();
    fields["genre_id"] = 999;
    CHECK(cl.client(n).post("/books", fields, admin).status == 422);
  }
}

TEST_CASE("GET /admin/users through any node lists the accounts of every "
          "node, newest first, filtered and paged as one server would",
          "[cluster][cluster_reads]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  std::vector<std::string> off;
  // Ten users at least, and more until every node has one (an email picks
  // its node: ten might all miss one, in some 5 % of runs).
  std::set<std::size_t> nodes_with_users;
  int registered = 0;
  for (int i = 0; i < 10 || nodes_with_users.size() < cl.size(); ++i) {
    auto c = cl.any_client();
    auto user = e2e::register_user(c, "lister");
    ++registered;
    nodes_with_users.insert(cl.owner_of(std::stoll(user.id)));
    if (i % 3 == 0) {
      REQUIRE(cl.any_client()
                  .request("PATCH", "/admin/users/" + user.id + "/deactivate",
                           "", {}, admin)
                  .status
              == 200);
      off.push_back(user.id);
    }
  }
  // Everything, one page at a time through random nodes.
  auto pages = [&](const std::string& filter, std::size_t per_page) {
    std::vector<json> items;
    std::int64_t total = -1;
    for (std::size_t page = 1;; ++page) {
      auto r = cl.any_client().get(
          "/admin/users?per_page=" + std::to_string(per_page)
              + "&page=" + std::to_string(page) + filter,
          admin);
      REQUIRE(r.status == 200);
      auto body = r.json();
      if (total < 0)
        total = body["total_count"];
      CHECK(body["total_count"] == total);
      CHECK(body["page"] == page);
      CHECK(body["per_page"] == per_page);
      CHECK(body["total_pages"] == (total + per_page - 1) / per_page);
      for (auto& item : body["items"])
        items.push_back(item);
      if (body["items"].size() < per_page) {
        CHECK(items.size() == static_cast<std::size_t>(total));
        return items;
      }
    }
  };
  auto newest_first = [](const std::vector<json>& items) {
    for (std::size_t i = 1; i < items.size(); ++i) {
      auto a = items[i - 1]["created_at"].get<std::string>();
      auto b = items[i]["created_at"].get<std::string>();
      if (a < b || (a == b && items[i - 1]["id"] < items[i]["id"]))
        return false;
    }
    return true;
  };
  auto all = pages("", 4);
  CHECK(all.size() == static_cast<std::size_t>(registered) + 1); // + admin
  CHECK(newest_first(all));
  std::set<std::size_t> owners;
  for (auto& a : all)
    owners.insert(cl.owner_of(a["id"].get<std::int64_t>()));
  CHECK(owners.size() == cl.size());

  auto inactive = pages("&is_active=false&role=user", 3);
  CHECK(newest_first(inactive));
  std::set<std::string> listed;
  for (auto& a : inactive)
    listed.insert(std::to_string(a["id"].get<std::int64_t>()));
  CHECK(listed == std::set<std::string>(off.begin(), off.end()));

  // A page past the end, near (one round) and far (the totals first): the
  // same body but its page number, as one server answers both.
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto near = cl.client(n).get("/admin/users?per_page=100&page=2", admin);
    auto far =
        cl.client(n).get("/admin/users?per_page=100&page=1000000", admin);
    REQUIRE(near.status == 200);
    REQUIRE(far.status == 200);
    auto expected = near.json();
    CHECK(expected["items"].empty());
    CHECK(expected["total_count"] == all.size());
    expected["page"] = 1000000;
    CHECK(far.json() == expected);
  }
}

TEST_CASE("the admin reports through any node add up every node's orders "
          "and books",
          "[cluster][cluster_reads]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  // Two books of each node, prices that make distinct revenues.
  std::vector<json> books;
  for (std::size_t owner = 0; owner < cl.size(); ++owner)
    for (int k = 0; k < 2; ++k)
      books.push_back(book_owned_by(
          cl, admin, owner, 20 + static_cast<long long>(owner * 2 + k)));
  // Buyers of every node, each a cart across nodes.
  std::map<std::int64_t, long long> revenue, units; // by book
  long long total = 0;
  std::int64_t orders = 0;
  for (std::size_t buyer = 0; buyer < cl.size(); ++buyer) {
    auto user = user_owned_by(cl, buyer);
    for (std::size_t i = 0; i < books.size(); ++i) {
      if ((i + buyer) % 2 != 0)
        continue;
      int qty = static_cast<int>(1 + (i + buyer) % 3);
      REQUIRE(cl.any_client()
                  .post("/cart/items",
                        {{"book_id", books[i]["id"]}, {"quantity", qty}},
                        user.access_token)
                  .status
              == 201);
    }
    auto out = cl.any_client().post("/orders/checkout", json::object(),
                                    user.access_token);
    REQUIRE(out.status == 201);
    ++orders;
    auto order = out.json();
    for (auto& item : order["items"]) {
      json priced{{"price", item["unit_price"]}};
      auto line = cents(priced) * item["quantity"].get<long long>();
      revenue[item["book_id"]] += line;
      units[item["book_id"]] += item["quantity"].get<long long>();
      total += line;
    }
  }
  REQUIRE(revenue.size() >= 4); // books of several nodes were sold

  SECTION("sales summary: revenue, orders and average of every node") {
    for (std::size_t n = 0; n < cl.size(); ++n) {
      auto r = cl.client(n).get("/admin/analytics/sales/summary?period=today",
                                admin);
      REQUIRE(r.status == 200);
      auto s = r.json();
      CHECK(s["period"] == "today");
      CHECK(s["revenue"].get<double>() == Approx(total / 100.0));
      CHECK(s["order_count"] == orders);
      auto aov = (total + orders / 2) / orders; // cents, halves up
      CHECK(s["aov"].get<double>() == Approx(aov / 100.0));
    }
  }

  SECTION("top books: every node's sales of every node's books, ranked") {
    auto ranked = [&](const std::map<std::int64_t, long long>& by) {
      std::vector<std::pair<std::int64_t, long long>> rows(by.begin(),
                                                           by.end());
      std::stable_sort(rows.begin(), rows.end(),
                       [](auto& a, auto& b) { return a.second > b.second; });
      std::vector<std::int64_t> ids;
      for (auto& row : rows)
        ids.push_back(row.first);
      return ids;
    };
    auto ids_of = [](const json& body) {
      std::vector<std::int64_t> ids;
      for (auto& item : body["items"])
        ids.push_back(item["book_id"]);
      return ids;
    };
    auto by_revenue = ranked(revenue);
    auto r = cl.any_client().get(
        "/admin/analytics/sales/top-books?sort_by=revenue&limit=50", admin);
    REQUIRE(r.status == 200);
    auto top = r.json();
    CHECK(ids_of(top) == by_revenue);
    for (auto& item : top["items"]) {
      auto id = item["book_id"].get<std::int64_t>();
      CHECK(item["units_sold"] == units[id]);
      CHECK(item["total_revenue"].get<double>() == Approx(revenue[id] / 100.0));
      CHECK_FALSE(item["title"].get<std::string>().empty());
    }
    auto by_units = ranked(units);
    auto top2 = cl.any_client().get(
        "/admin/sales/top-books?sort_by=volume&limit=2", admin);
    REQUIRE(top2.status == 200);
    CHECK(ids_of(top2.json())
          == std::vector<std::int64_t>(by_units.begin(), by_units.begin() + 2));
    // A deleted best seller leaves the report; the next one moves up.
    auto best = by_revenue.front();
    REQUIRE(
        cl.any_client()
            .request("DELETE", "/books/" + std::to_string(best), "", {}, admin)
            .status
        == 204);
    auto after = cl.any_client().get(
        "/admin/analytics/sales/top-books?sort_by=revenue&limit=2", admin);
    REQUIRE(after.status == 200);
    CHECK(ids_of(after.json())
          == std::vector<std::int64_t>(by_revenue.begin() + 1,
                                       by_revenue.begin() + 3));
  }

  SECTION("low stock: the books of every node, lowest first") {
    // Every book made (book_owned_by leaves others on the way), read from
    // its owner.
    auto all = cl.any_client().get("/books?size=100").json();
    REQUIRE(all["total"] == all["items"].size());
    std::vector<std::pair<long long, std::int64_t>> low;
    for (auto& b : all["items"]) {
      auto c = cl.any_client();
      auto stock = e2e::book_stock(c, b["id"]);
      if (stock <= 22)
        low.push_back({stock, b["id"].get<std::int64_t>()});
    }
    REQUIRE(low.size() > 3);
    std::sort(low.begin(), low.end());
    auto r = cl.any_client().get(
        "/admin/analytics/inventory/low-stock?threshold=22", admin);
    REQUIRE(r.status == 200);
    auto body = r.json();
    CHECK(body["total_low_stock"] == low.size());
    std::vector<std::pair<long long, std::int64_t>> listed;
    for (auto& item : body["items"])
      listed.push_back({item["current_stock"], item["book_id"]});
    CHECK(listed == low);
  }
}

TEST_CASE("GET /admin/orders through any node lists every node's orders "
          "once, newest first, across pages",
          "[cluster][cluster_reads]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  // More than a page (200 orders) from one node's buyer, some from the
  // others': the merger reads that node's second page in the middle of a
  // piece, while the other nodes' rows wait.
  std::vector<e2e::account> buyers;
  std::vector<std::int64_t> books;
  for (std::size_t owner = 0; owner < cl.size(); ++owner) {
    buyers.push_back(user_owned_by(cl, owner));
    books.push_back(book_owned_by(cl, admin, owner, 200)["id"]);
  }
  std::set<std::int64_t> placed;
  for (int i = 0; i < 240; ++i) {
    auto& buyer =
        buyers[i < 210 ? 0 : static_cast<std::size_t>(i) % buyers.size()];
    auto book = books[static_cast<std::size_t>(i * 7) % books.size()];
    REQUIRE(cl.any_client()
                .post("/cart/items", {{"book_id", book}, {"quantity", 1}},
                      buyer.access_token)
                .status
            == 201);
    auto out = cl.any_client().post("/orders/checkout", json::object(),
                                    buyer.access_token);
    REQUIRE(out.status == 201);
    placed.insert(out.json()["id"].get<std::int64_t>());
  }
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto r = cl.client(n).get("/admin/orders", admin);
    REQUIRE(r.status == 200);
    std::vector<std::int64_t> listed;
    for (const auto& order : r.json())
      listed.push_back(order["id"]);
    // Strictly decreasing: newest first, none twice.
    CHECK(std::adjacent_find(listed.begin(), listed.end(),
                             std::less_equal<std::int64_t>{})
          == listed.end());
    CHECK(std::set<std::int64_t>(listed.begin(), listed.end()) == placed);
  }
}
