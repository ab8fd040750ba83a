// Security pass, access control: every route of API.md in one table with who
// may call it. Admin routes refuse a user's token (403) and no token (401)
// and change nothing; user-scoped routes refuse another user's resources
// with API.md's answer (403 for cart items, 404 for orders, an idempotency
// key of another user replays nothing) and change nothing.

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("security").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

enum class who { anyone, user, admin };

// One route of API.md: the OpenAPI path (ids as "{}") and a request that
// would succeed for a caller who is allowed, so that a missing check would
// show as a success or a change, not as a validation error.
struct route {
  std::string method;
  std::string path;
  who access;
  std::string target;
  json body;
  std::string raw_body = {};     // sent verbatim with `content_type` instead
  std::string content_type = {}; // of `body` when set (multipart uploads)
};

response send(http_client& c, const route& r, const std::string& token) {
  if (!r.content_type.empty())
    return c.request(r.method, r.target, r.raw_body,
                     {{"Content-Type", r.content_type}}, token);
  if (r.body.is_null())
    return c.request(r.method, r.target, {}, {}, token);
  return c.request(r.method, r.target, r.body.dump(), {}, token);
}

std::string key_of(const std::string& method, const std::string& path) {
  return method + " " + path;
}

/// Every route the server describes in /openapi.json, ids written "{}".
std::set<std::string> described_routes(http_client& c) {
  auto r = c.get("/openapi.json");
  REQUIRE_STATUS(r, 200);
  std::set<std::string> out;
  auto paths = r.json().at("paths");
  for (auto p = paths.begin(); p != paths.end(); ++p) {
    auto path = std::regex_replace(p.key(), std::regex{R"(\{[^}]*\})"}, "{}");
    for (auto m = p.value().begin(); m != p.value().end(); ++m) {
      std::string method = m.key();
      for (auto& ch : method)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (method == "GET" || method == "POST" || method == "PUT"
          || method == "PATCH" || method == "DELETE")
        out.insert(key_of(method, path));
    }
  }
  return out;
}

/// All of API.md. `book` is a live book, `item` a cart item and `order` an
/// order of some user; the admin requests act on them.
std::vector<route> all_routes(std::int64_t book, std::int64_t item,
                              std::int64_t order, std::int64_t user = 1) {
  auto u = "/admin/users/" + std::to_string(user);
  auto b = "/books/" + std::to_string(book);
  auto i = "/cart/items/" + std::to_string(item);
  auto o = "/orders/" + std::to_string(order);
  return {
      {"GET", "/health", who::anyone, "/health", {}},
      {"GET", "/metrics", who::anyone, "/metrics", {}},
      {"GET", "/openapi.json", who::anyone, "/openapi.json", {}},
      {"POST", "/auth/register", who::anyone, "/auth/register", json::object()},
      {"POST", "/auth/login", who::anyone, "/auth/login", json::object()},
      {"POST", "/auth/refresh", who::anyone, "/auth/refresh", json::object()},
      {"POST", "/auth/logout", who::anyone, "/auth/logout", json::object()},
      {"GET", "/books", who::anyone, "/books", {}},
      {"GET", "/books/{}", who::anyone, b, {}},
      {"GET", "/genres", who::anyone, "/genres", {}},
      {"POST", "/books", who::admin, "/books", book_fields()},
      {"PUT",
       "/books/{}",
       who::admin,
       b,
       {{"title", "Renamed " + unique_word()}}},
      {"DELETE", "/books/{}", who::admin, b, {}},
      {"PATCH",
       "/books/{}/stock",
       who::admin,
       b + "/stock",
       {{"quantity", 77}}},
      {"POST",
       "/genres",
       who::admin,
       "/genres",
       {{"name", "G" + unique_word()}}},
      {"GET", "/admin/orders", who::admin, "/admin/orders", {}},
      {"GET",
       "/admin/analytics/sales/summary",
       who::admin,
       "/admin/analytics/sales/summary?period=week",
       {}},
      {"GET",
       "/admin/analytics/sales/top-books",
       who::admin,
       "/admin/analytics/sales/top-books?sort_by=volume&limit=5&period=month",
       {}},
      {"GET",
       "/admin/analytics/inventory/low-stock",
       who::admin,
       "/admin/analytics/inventory/low-stock?threshold=0",
       {}},
      {"GET",
       "/admin/sales/summary",
       who::admin,
       "/admin/sales/summary?period=today",
       {}},
      {"GET",
       "/admin/sales/top-books",
       who::admin,
       "/admin/sales/top-books?sort_by=revenue&limit=5",
       {}},
      {"GET",
       "/admin/inventory/low-stock",
       who::admin,
       "/admin/inventory/low-stock?threshold=10",
       {}},
      {"GET", "/admin/users", who::admin, "/admin/users?is_active=true", {}},
      // Deactivates the user, then reactivates it (in this order).
      {"PATCH", "/admin/users/{}/deactivate", who::admin, u + "/deactivate",
       json::object()},
      {"PATCH", "/admin/users/{}/reactivate", who::admin, u + "/reactivate",
       json::object()},
      {"GET", "/cart", who::user, "/cart", {}},
      {"POST",
       "/cart/items",
       who::user,
       "/cart/items",
       {{"book_id", book}, {"quantity", 1}}},
      {"PUT", "/cart/items/{}", who::user, i, {{"quantity", 3}}},
      {"DELETE", "/cart/items/{}", who::user, i, {}},
      {"POST", "/orders/checkout", who::user, "/orders/checkout",
       json::object()},
      {"GET", "/orders", who::user, "/orders", {}},
      {"GET", "/orders/{}", who::user, o, {}},
      {"POST", "/books/{}/reviews", who::user, b + "/reviews", {{"rating", 5}}},
      {"GET", "/books/{}/reviews", who::anyone, b + "/reviews", {}},
      {"GET", "/reviews/{}", who::anyone, "/reviews/1", {}},
      {"PATCH", "/reviews/{}", who::user, "/reviews/1", {{"rating", 4}}},
      {"DELETE", "/reviews/{}", who::user, "/reviews/1", {}},
      {"GET", "/admin/reviews", who::admin, "/admin/reviews", {}},
      {"DELETE",
       "/admin/reviews/bulk",
       who::admin,
       "/admin/reviews/bulk",
       {{"review_ids", {999999999}}}},
      {"POST", "/wishlist", who::user, "/wishlist", {{"book_id", book}}},
      {"GET", "/wishlist", who::user, "/wishlist", {}},
      {"DELETE",
       "/wishlist/{}",
       who::user,
       "/wishlist/" + std::to_string(book),
       {}},
      {"POST", "/prebooks", who::user, "/prebooks", {{"book_id", book}}},
      {"GET", "/prebooks", who::user, "/prebooks", {}},
      {"DELETE", "/prebooks/{}", who::user, "/prebooks/1", {}},
      {"POST",
       "/uploads/images",
       who::admin,
       "/uploads/images",
       {},
       "--b0und\r\nContent-Disposition: form-data; name=\"file\"; "
       "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n"
       "--b0und--\r\n",
       "multipart/form-data; boundary=b0und"},
      {"GET",
       "/uploads/{}",
       who::anyone,
       "/uploads/0123456789abcdef0123456789abcdef.png",
       {}},
  };
}

/// What an admin must get from each admin route of all_routes().
int admin_success(const route& r) {
  if (r.method == "POST" && r.path == "/uploads/images")
    return 200;
  if (r.method == "POST")
    return 201;
  if (r.method == "DELETE")
    return r.path == "/admin/reviews/bulk" ? 200 : 204;
  return 200;
}

} // namespace

TEST_CASE("the route table covers every route the server describes",
          "[security]") {
  auto c = client();
  auto routes = all_routes(1, 1, 1);
  std::set<std::string> listed;
  for (auto& r : routes)
    listed.insert(key_of(r.method, r.path));
  CHECK(listed.size() == routes.size());
  // A new route must be added to the table (and so to these checks).
  CHECK(described_routes(c) == listed);
}

TEST_CASE("every admin route refuses a user and an anonymous caller and "
          "changes nothing",
          "[security]") {
  auto c = client();
  auto admin = admin_token(c);
  auto user = register_user(c, "notadmin");
  auto book = stocked_book(c, admin, 4, "12.50");
  auto book_path = "/books/" + std::to_string(id_of(book));
  auto item = add_to_cart(c, user.access_token, id_of(book), 1);
  REQUIRE_STATUS(checkout(c, user.access_token), 201);
  auto order = list_orders(c, user.access_token).at(0);
  auto routes =
      all_routes(id_of(book), id_of(item), id_of(order), std::stoll(user.id));

  auto book_before = c.get(book_path);
  REQUIRE_STATUS(book_before, 200);
  auto genres_before = c.get("/genres");
  auto books_before = c.get("/books?size=100");
  int admin_routes = 0;
  for (auto& r : routes) {
    if (r.access != who::admin)
      continue;
    ++admin_routes;
    CAPTURE(r.method, r.target);
    check_error(send(c, r, {}), 401, "AUTH_REQUIRED");
    check_error(send(c, r, user.access_token), 403, "AUTH_FORBIDDEN");
  }
  CHECK(admin_routes == 18);
  // The refused writes wrote nothing: the book (title, stock, not deleted),
  // the genres and the catalog are as they were.
  CHECK(c.get(book_path).body == book_before.body);
  CHECK(c.get("/genres").body == genres_before.body);
  CHECK(c.get("/books?size=100").json()["total"]
        == books_before.json()["total"]);

  // The same requests succeed with the admin's token, so the 403s above
  // came from the role check, not from the requests themselves. DELETE goes
  // last: the other book routes need the book.
  for (auto& r : routes) {
    if (r.access != who::admin || r.method == "DELETE")
      continue;
    CAPTURE(r.method, r.target);
    CHECK_STATUS(send(c, r, admin), admin_success(r));
  }
  for (auto& r : routes)
    if (r.access == who::admin && r.method == "DELETE")
      CHECK_STATUS(send(c, r, admin), admin_success(r));
}

TEST_CASE("every user route needs a token and public routes do not",
          "[security]") {
  auto c = client();
  auto routes = all_routes(1, 1, 1);
  for (auto& r : routes) {
    CAPTURE(r.method, r.target);
    auto resp = send(c, r, {});
    if (r.access == who::anyone) {
      INFO(describe(resp));
      CHECK(resp.status != 401);
      CHECK(resp.status != 403);
      CHECK(resp.status < 500);
    } else {
      check_error(resp, 401, "AUTH_REQUIRED");
    }
  }
}

TEST_CASE("every user-scoped route refuses another user's resources and "
          "changes nothing",
          "[security]") {
  auto c = client();
  auto admin = admin_token(c);
  auto alice = register_user(c, "alice");
  auto bob = register_user(c, "bob");
  auto book = stocked_book(c, admin, 10, "7.25");
  // Alice: an order made with an idempotency key, then a line in her cart.
  auto key = "alice-key-" + unique_suffix();
  add_to_cart(c, alice.access_token, id_of(book), 1);
  auto first = checkout(c, alice.access_token, false, key);
  REQUIRE_STATUS(first, 201);
  auto order = id_of(first.json());
  auto item = id_of(add_to_cart(c, alice.access_token, id_of(book), 2));

  // Alice's wishlist item and pre-booking, of a sold-out book.
  auto sold_out = create_book(c, admin, book_fields());
  auto sold_out_id = id_of(sold_out);
  REQUIRE_STATUS(
      c.post("/wishlist", {{"book_id", sold_out_id}}, alice.access_token), 201);
  auto prebooked =
      c.post("/prebooks", {{"book_id", sold_out_id}}, alice.access_token);
  REQUIRE_STATUS(prebooked, 201);
  auto prebook_path = "/prebooks/" + std::to_string(id_of(prebooked.json()));
  auto wish_path = "/wishlist/" + std::to_string(sold_out_id);
  auto wishlist_before = c.get("/wishlist", alice.access_token).body;
  auto prebooks_before = c.get("/prebooks", alice.access_token).body;

  auto cart_before = c.get("/cart", alice.access_token).body;
  auto orders_before = c.get("/orders", alice.access_token).body;
  auto stock_before = book_stock(c, id_of(book));
  auto item_path = "/cart/items/" + std::to_string(item);
  auto order_path = "/orders/" + std::to_string(order);

  // Another user, and the admin too: on user routes an admin is a user
  // like any other (all orders are on GET /admin/orders).
  for (const auto& [name, token] :
       std::vector<std::pair<std::string, std::string>>{
           {"another user", bob.access_token}, {"the admin", admin}}) {
    CAPTURE(name);
    check_error(c.put(item_path, {{"quantity", 5}}, token), 403,
                "CART_ITEM_FORBIDDEN");
    check_error(c.del(item_path, token), 403, "CART_ITEM_FORBIDDEN");
    check_error(c.get(order_path, token), 404, "ORDER_NOT_FOUND");
    for (auto& o : list_orders(c, token))
      CHECK(id_of(o) != order);
    // Named: a member of a temporary would be gone before the loop runs.
    const auto cart = get_cart(c, token);
    for (auto& i : cart["items"])
      CHECK(id_of(i) != item);
    // Alice's key names nothing for anyone else: their own (empty) cart
    // is checked out, her order is not replayed.
    check_error(checkout(c, token, false, key), 422, "ORDER_CART_EMPTY");
    // Her pre-booking and wishlist item are nobody else's to see or cancel.
    check_error(c.del(prebook_path, token), 404, "PREBOOK_NOT_FOUND");
    check_error(c.del(wish_path, token), 404, "WISHLIST_ITEM_NOT_FOUND");
    CHECK(c.get("/prebooks", token).json()["items"] == json::array());
    CHECK(c.get("/wishlist", token).json()["items"] == json::array());
  }
  CHECK(c.get("/wishlist", alice.access_token).body == wishlist_before);
  CHECK(c.get("/prebooks", alice.access_token).body == prebooks_before);

  CHECK(c.get("/cart", alice.access_token).body == cart_before);
  CHECK(c.get("/orders", alice.access_token).body == orders_before);
  CHECK(book_stock(c, id_of(book)) == stock_before);
  // Her key still replays her first outcome.
  auto replay = checkout(c, alice.access_token, false, key);
  CHECK_STATUS(replay, 201);
  CHECK(replay.body == first.body);
  // And she can still do what the others could not.
  CHECK_STATUS(c.put(item_path, {{"quantity", 3}}, alice.access_token), 200);
  CHECK_STATUS(c.get(order_path, alice.access_token), 200);
}
