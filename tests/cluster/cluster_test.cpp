// The cluster from outside (API.md, "Cluster"): three nodes on loopback,
// every request sent to a random node, and nodes killed, stopped and started
// again while the others keep serving.

#include <stdlib.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "cluster_support.hpp"
#include "tests/support/timeouts.hpp"

using namespace cluster_test;
using namespace std::chrono_literals;
using e2e::json;

namespace {

/// Writes a cluster file with `text` in the folder of `cl`.
std::string write_file(const std::string& folder, const std::string& name,
                       const std::string& text) {
  auto path = folder + "/" + name;
  std::ofstream{path} << text;
  return path;
}

/// A new book's fields with this ISBN.
json book_with_isbn(const json& isbn) {
  auto fields = e2e::book_fields();
  fields["isbn"] = isbn;
  return fields;
}

/// The node that checks `admin`'s token (the bootstrap email hashes to
/// node 1): a test's victim must be another, or the admin is locked out.
std::size_t admin_node(const test_cluster& cl, const std::string& admin) {
  return cl.owner_of(
      std::stoll(e2e::jwt_payload(admin)["sub"].get<std::string>()));
}

} // namespace

TEST_CASE("a node that cannot join refuses to start, with status 2",
          "[cluster][cluster_start]") {
  test_cluster cl{1};
  auto file = cl.file();
  SECTION("without BOOKSTORE_SECRET_KEY") {
    // run_binary starts it without any BOOKSTORE_ variable.
    auto r = e2e::run_binary({"serve", "--cluster", file, "--node", "a"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("BOOKSTORE_SECRET_KEY") != std::string::npos);
    CHECK(r.out.find("listening") == std::string::npos);
  }
  SECTION("a node the file does not name") {
    auto r = e2e::run_binary({"serve", "--cluster", file, "--node", "zz"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("zz") != std::string::npos);
  }
  SECTION("--cluster without --node") {
    auto r = e2e::run_binary({"serve", "--cluster", file});
    CHECK(r.exit_code == 2);
  }
  SECTION("a peer off loopback without tls") {
    auto bad = write_file(
        cl.folder(), "open.json",
        R"({"nodes": [{"name": "a", "http": "127.0.0.1:1", "peer": "10.1.2.3:2", "db": "a.db"}]})");
    auto r = e2e::run_binary({"serve", "--cluster", bad, "--node", "a"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("loopback") != std::string::npos);
  }
  SECTION("a file that is not a cluster file") {
    auto bad = write_file(cl.folder(), "bad.json", "{\"nodes\": 3}");
    auto r = e2e::run_binary({"serve", "--cluster", bad, "--node", "a"});
    CHECK(r.exit_code == 2);
  }
}

TEST_CASE("every node answers for the data of every node",
          "[cluster][cluster_routing]") {
  test_cluster cl{3};
  for (std::size_t i = 0; i < cl.size(); ++i) {
    auto c = cl.client(i);
    auto health = c.get("/health").json();
    CHECK(health["node"] == cl.name(i));
    for (std::size_t j = 0; j < cl.size(); ++j)
      if (j != i)
        CHECK(health["peers"][cl.name(j)] == "up");
  }
  auto admin = admin_token(cl);

  SECTION("books: made through any node, the same from every node") {
    std::set<std::int64_t> ids;
    std::set<std::size_t> owners;
    for (int i = 0; i < 9; ++i) {
      auto c = cl.any_client();
      auto book = e2e::stocked_book(c, admin, 3 + i);
      auto id = book["id"].get<std::int64_t>();
      CHECK(ids.insert(id).second);
      owners.insert(cl.owner_of(id));
      std::string first;
      for (std::size_t n = 0; n < cl.size(); ++n) {
        auto r = cl.client(n).get("/books/" + std::to_string(id));
        REQUIRE(r.status == 200);
        CHECK(r.json()["stock_quantity"] == 3 + i);
        if (n == 0)
          first = r.body;
        else
          CHECK(r.body == first);
      }
    }
    // Spread over the nodes by title: 9 books all on one node would be
    // a 1 in 3^8 chance.
    CHECK(owners.size() > 1);
  }

  SECTION("one book per ISBN, whichever nodes the two creations reach") {
    auto isbn = e2e::unique_isbn13();
    auto fields = e2e::book_fields();
    fields["isbn"] = isbn;
    auto first = cl.client(0).post("/books", fields, admin);
    REQUIRE(first.status == 201);
    for (std::size_t n = 0; n < cl.size(); ++n) {
      fields["title"] = "another " + std::to_string(n);
      auto again = cl.client(n).post("/books", fields, admin);
      e2e::check_error(again, 409, "BOOK_ISBN_CONFLICT");
    }
  }

  SECTION("one book per ISBN also when a book of another node takes one") {
    auto path = [](const json& book) {
      return "/books/" + std::to_string(book["id"].get<std::int64_t>());
    };
    // The ISBN is node 1's, the book node 2's: the claim crosses.
    auto holder = isbn_book_owned_by(cl, admin, 1);
    auto isbn = holder["isbn"];
    auto book = book_owned_by(cl, admin, 2);
    for (std::size_t n = 0; n < cl.size(); ++n)
      e2e::check_error(cl.client(n).put(path(book), {{"isbn", isbn}}, admin),
                       409, "BOOK_ISBN_CONFLICT");
    // No book (an id of node 2) is 404 before its ISBN is looked at.
    e2e::check_error(
        cl.any_client().put("/books/999999", {{"isbn", isbn}}, admin), 404,
        "BOOK_NOT_FOUND");
    // The holder gives it up: the book takes it; then neither the old holder
    // nor a new book can, through any node.
    REQUIRE(cl.any_client()
                .put(path(holder), {{"isbn", e2e::unique_isbn13()}}, admin)
                .status
            == 200);
    auto taken = cl.any_client().put(path(book), {{"isbn", isbn}}, admin);
    REQUIRE(taken.status == 200);
    CHECK(taken.json()["isbn"] == isbn);
    for (std::size_t n = 0; n < cl.size(); ++n) {
      e2e::check_error(cl.client(n).put(path(holder), {{"isbn", isbn}}, admin),
                       409, "BOOK_ISBN_CONFLICT");
      e2e::check_error(cl.client(n).post("/books", book_with_isbn(isbn), admin),
                       409, "BOOK_ISBN_CONFLICT");
    }
    // Changing its other fields keeps it.
    CHECK(cl.any_client()
              .put(path(book), {{"isbn", isbn}, {"title", "Kept"}}, admin)
              .status
          == 200);
    // The book gives it up: its claim is stale, settled by the next comer.
    REQUIRE(cl.any_client().put(path(book), {{"isbn", nullptr}}, admin).status
            == 200);
    auto fresh = cl.any_client().post("/books", book_with_isbn(isbn), admin);
    REQUIRE(fresh.status == 201);
    e2e::check_error(cl.any_client().put(path(book), {{"isbn", isbn}}, admin),
                     409, "BOOK_ISBN_CONFLICT");
  }

  SECTION("a claim whose change failed, or whose book is gone, does not hold "
          "an ISBN") {
    // Fresh ISBNs of node 0, free again once their book is deleted.
    auto failed = isbn_book_owned_by(cl, admin, 0);
    auto gone = isbn_book_owned_by(cl, admin, 0);
    for (auto* b : {&failed, &gone})
      REQUIRE(
          cl.any_client()
              .del("/books/" + std::to_string((*b)["id"].get<std::int64_t>()),
                   admin)
              .status
          == 204);
    auto book = book_owned_by(cl, admin, 1);
    auto path = "/books/" + std::to_string(book["id"].get<std::int64_t>());
    // Claimed, then refused by the book's node (no such genre).
    e2e::check_validation_error(cl.any_client().put(
        path, {{"isbn", failed["isbn"]}, {"genre_id", 999999}}, admin));
    CHECK(cl.any_client().get(path).json()["isbn"].is_null());
    CHECK(cl.any_client()
              .post("/books", book_with_isbn(failed["isbn"]), admin)
              .status
          == 201);
    // The same book asking again: its own stale claim is settled first.
    auto again = isbn_book_owned_by(cl, admin, 0);
    REQUIRE(
        cl.any_client()
            .del("/books/" + std::to_string(again["id"].get<std::int64_t>()),
                 admin)
            .status
        == 204);
    e2e::check_validation_error(cl.any_client().put(
        path, {{"isbn", again["isbn"]}, {"genre_id", 999999}}, admin));
    auto retried = cl.any_client().put(path, {{"isbn", again["isbn"]}}, admin);
    REQUIRE(retried.status == 200);
    CHECK(retried.json()["isbn"] == again["isbn"]);
    // Claimed and taken, then the book is deleted.
    auto second = book_owned_by(cl, admin, 1);
    auto second_path =
        "/books/" + std::to_string(second["id"].get<std::int64_t>());
    REQUIRE(
        cl.any_client().put(second_path, {{"isbn", gone["isbn"]}}, admin).status
        == 200);
    REQUIRE(cl.any_client().del(second_path, admin).status == 204);
    CHECK(cl.any_client()
              .post("/books", book_with_isbn(gone["isbn"]), admin)
              .status
          == 201);
  }

  SECTION("a node's question to another is not a client's to ask") {
    auto claim = json{
        {"isbn", e2e::unique_isbn13()}, {"book_id", 5}, {"token", "forged"}};
    for (std::size_t n = 0; n < cl.size(); ++n)
      for (auto* to : {"/_cluster/isbn-claims", "/_cluster/isbn-claims/settle"})
        CHECK(cl.client(n).post(to, claim, admin).status == 404);
  }

  SECTION("accounts: one per email, cluster-wide; a token works everywhere") {
    auto c = cl.any_client();
    auto user = e2e::register_user(c, "everywhere");
    for (std::size_t n = 0; n < cl.size(); ++n) {
      auto again = cl.client(n).post(
          "/auth/register",
          {{"email", user.email}, {"password", "another-password-1"}});
      e2e::check_error(again, 409, "AUTH_EMAIL_CONFLICT");
      // The email in another case is the same account.
      auto upper = user.email;
      for (auto& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      auto login = cl.client(n).post(
          "/auth/login", {{"email", upper}, {"password", user.password}});
      CHECK(login.status == 200);
      CHECK(cl.client(n).get("/cart", user.access_token).status == 200);
    }
  }

  SECTION("a cart, a checkout and orders, each request at a random node") {
    for (std::size_t owner = 0; owner < cl.size(); ++owner) {
      auto user = user_owned_by(cl, owner);
      auto book = book_owned_by(cl, admin, owner, 5);
      auto book_id = book["id"].get<std::int64_t>();
      auto add = cl.any_client().post("/cart/items",
                                      {{"book_id", book_id}, {"quantity", 2}},
                                      user.access_token);
      REQUIRE(add.status == 201);
      auto cart = cl.any_client().get("/cart", user.access_token);
      REQUIRE(cart.status == 200);
      CHECK(cart.json()["items"].size() == 1);
      auto out = cl.any_client().post("/orders/checkout", json::object(),
                                      user.access_token);
      REQUIRE(out.status == 201);
      auto order_id = out.json()["id"].get<std::int64_t>();
      CHECK(cl.owner_of(order_id) == owner); // ids of the user's node
      for (std::size_t n = 0; n < cl.size(); ++n) {
        auto c = cl.client(n);
        CHECK(c.get("/orders/" + std::to_string(order_id), user.access_token)
                  .status
              == 200);
        auto list = c.get("/orders", user.access_token);
        REQUIRE(list.status == 200);
        CHECK(list.json().size() == 1);
        CHECK(e2e::book_stock(c, book_id) == 3);
      }
      // Another user of another node sees nothing of it.
      auto other = user_owned_by(cl, (owner + 1) % cl.size());
      for (std::size_t n = 0; n < cl.size(); ++n)
        e2e::check_error(cl.client(n).get("/orders/" + std::to_string(order_id),
                                          other.access_token),
                         404, "ORDER_NOT_FOUND");
    }
  }

  SECTION("another node's user's cart item is 403 at every node, an unknown "
          "one 404, and the cart keeps it") {
    auto user = user_owned_by(cl, 1);
    auto other = user_owned_by(cl, 2);
    auto book = book_owned_by(cl, admin, 0, 5);
    auto add = cl.client(0).post("/cart/items",
                                 {{"book_id", book["id"]}, {"quantity", 2}},
                                 user.access_token);
    REQUIRE(add.status == 201);
    auto item = add.json()["id"].get<std::int64_t>();
    CHECK(cl.owner_of(item) == 1); // an id of its user's node
    auto path = "/cart/items/" + std::to_string(item);
    for (std::size_t n = 0; n < cl.size(); ++n) {
      auto c = cl.client(n);
      e2e::check_error(c.put(path, {{"quantity", 7}}, other.access_token), 403,
                       "CART_ITEM_FORBIDDEN");
      e2e::check_error(c.del(path, other.access_token), 403,
                       "CART_ITEM_FORBIDDEN");
      // Ids no item has: one of the user's node, one of the caller's.
      const auto far = static_cast<std::int64_t>(cl.size()) * 1000;
      e2e::check_error(c.del("/cart/items/" + std::to_string(item + far),
                             other.access_token),
                       404, "CART_ITEM_NOT_FOUND");
      e2e::check_error(c.put("/cart/items/" + std::to_string(item + 1 + far),
                             {{"quantity", 7}}, other.access_token),
                       404, "CART_ITEM_NOT_FOUND");
    }
    auto cart = cl.client(2).get("/cart", user.access_token);
    REQUIRE(cart.status == 200);
    auto items = cart.json()["items"];
    REQUIRE(items.size() == 1);
    CHECK(items[0]["quantity"] == 2);
  }

  SECTION("refresh and logout work through any node") {
    for (std::size_t owner = 0; owner < cl.size(); ++owner) {
      auto user = user_owned_by(cl, owner);
      auto refresh = user.refresh_token;
      // Each node in turn rotates the token, wherever the user lives.
      for (std::size_t n = 0; n < cl.size(); ++n) {
        auto r =
            cl.client(n).post("/auth/refresh", {{"refresh_token", refresh}});
        REQUIRE(r.status == 200);
        auto pair = r.json();
        CHECK(cl.any_client().get("/cart", pair["access_token"]).status == 200);
        refresh = pair["refresh_token"];
      }
      // The first token again: a reuse, seen by the node that keeps the
      // family, whichever node hears it.
      e2e::check_error(
          cl.any_client().post("/auth/refresh",
                               {{"refresh_token", user.refresh_token}}),
          401, "AUTH_TOKEN_REUSE");
      auto user2 = user_owned_by(cl, owner);
      CHECK(cl.any_client()
                .post("/auth/logout", {{"refresh_token", user2.refresh_token}})
                .status
            == 204);
      // As one server: unusable (401), whichever node hears it.
      auto after = cl.any_client().post(
          "/auth/refresh", {{"refresh_token", user2.refresh_token}});
      CHECK(after.status == 401);
      auto code = after.json().value("code", "");
      CHECK((code == "AUTH_REFRESH_INVALID" || code == "AUTH_TOKEN_REUSE"));
    }
  }

  SECTION("wishlists and pre-bookings: a user's rows beside their books, on "
          "every node, listed and changed through any node") {
    auto user = user_owned_by(cl, 0);
    const auto& token = user.access_token;
    std::vector<std::int64_t> books; // one of each node, out of stock
    for (std::size_t owner = 0; owner < cl.size(); ++owner)
      books.push_back(book_owned_by(cl, admin, owner, 0)["id"]);
    for (std::size_t i = 0; i < books.size(); ++i) {
      // Through a node that is neither the user's nor the book's, where
      // there is one.
      auto through = cl.client((i + 1) % cl.size());
      auto wished = through.post("/wishlist", {{"book_id", books[i]}}, token);
      REQUIRE(wished.status == 201);
      // The row lives on the book's node: its id is of that node.
      CHECK(cl.owner_of(wished.json()["id"].get<std::int64_t>()) == i);
      e2e::check_error(
          cl.client(i).post("/wishlist", {{"book_id", books[i]}}, token), 409,
          "WISHLIST_ITEM_DUPLICATE");
      auto waiting = through.post("/prebooks", {{"book_id", books[i]}}, token);
      REQUIRE(waiting.status == 201);
      CHECK(cl.owner_of(waiting.json()["id"].get<std::int64_t>()) == i);
    }
    // Every node lists all of them, newest first (ties by id).
    auto listed = [&](std::size_t from, const char* path, const char* time) {
      auto r = cl.client(from).get(path, token);
      REQUIRE(r.status == 200);
      auto body = r.json();
      std::vector<std::pair<std::string, std::int64_t>> keys;
      std::set<std::int64_t> listed_books;
      for (auto& item : body["items"]) {
        keys.emplace_back(item[time].get<std::string>(),
                          item["id"].get<std::int64_t>());
        listed_books.insert(item["book_id"].get<std::int64_t>());
      }
      CHECK(std::is_sorted(keys.rbegin(), keys.rend()));
      return std::make_pair(listed_books, body);
    };
    const std::set<std::int64_t> all(books.begin(), books.end());
    for (std::size_t from = 0; from < cl.size(); ++from) {
      CHECK(listed(from, "/wishlist", "added_at").first == all);
      CHECK(listed(from, "/prebooks", "created_at").first == all);
    }
    // A restock on the book's node notifies its pre-booking in the same
    // transaction; the others wait.
    auto restock =
        cl.client(0).patch("/books/" + std::to_string(books[2]) + "/stock",
                           {{"quantity", 5}}, admin);
    REQUIRE(restock.status == 200);
    auto prebooks = listed(1, "/prebooks", "created_at").second;
    for (auto& p : prebooks["items"])
      CHECK(p["status"] == (p["book_id"] == books[2] ? "notified" : "waiting"));
    // Cancelled and removed through any node; another user's is nobody's.
    std::int64_t of_book_1 = 0;
    for (auto& p : prebooks["items"])
      if (p["book_id"] == books[1])
        of_book_1 = p["id"];
    auto path = "/prebooks/" + std::to_string(of_book_1);
    auto third = cl.client(2);
    auto other = e2e::register_user(third, "other");
    e2e::check_error(cl.client(0).del(path, other.access_token), 404,
                     "PREBOOK_NOT_FOUND");
    CHECK(cl.client(2).del(path, token).status == 204);
    CHECK(
        cl.client(2).del("/wishlist/" + std::to_string(books[0]), token).status
        == 204);
    CHECK(listed(1, "/wishlist", "added_at").first
          == std::set<std::int64_t>{books[1], books[2]});
    auto after = listed(0, "/prebooks", "created_at").second;
    for (auto& p : after["items"])
      if (p["book_id"] == books[1])
        CHECK(p["status"] == "cancelled");
  }

  SECTION("reviews: each beside its book, its author vouched for by the "
          "author's node, read and moderated through any node") {
    auto user = user_owned_by(cl, 0);
    const auto& token = user.access_token;
    auto other = user_owned_by(cl, 1);
    std::vector<std::int64_t> books; // one of each node
    for (std::size_t owner = 0; owner < cl.size(); ++owner)
      books.push_back(book_owned_by(cl, admin, owner, 5)["id"]);
    // The user buys the books of nodes 0 and 1, not 2's.
    for (auto book : {books[0], books[1]}) {
      auto to_cart = cl.client(2);
      e2e::add_to_cart(to_cart, token, book);
      auto to_checkout = cl.client(1);
      REQUIRE(e2e::checkout(to_checkout, token).status == 201);
    }
    auto reviews_of = [&](std::int64_t book) {
      return "/books/" + std::to_string(book) + "/reviews";
    };
    // Not bought (a book of another node, and one of the author's): refused,
    // also when the client claims what only the author's node may tell the
    // book's, through every node.
    const std::int64_t unbought_here = book_owned_by(cl, admin, 0, 5)["id"];
    for (auto book : {books[2], unbought_here})
      for (std::size_t n = 0; n < cl.size(); ++n) {
        json forged = {{"rating", 5},
                       {"_author_email", "forger@example.com"},
                       {"_author_purchased", true}};
        e2e::check_error(cl.client(n).post(reviews_of(book), forged, token),
                         403, "NOT_PURCHASED");
      }
    // Bought: through a node that is neither the author's nor the book's.
    auto far = cl.client(2).post(reviews_of(books[1]),
                                 {{"rating", 2}, {"text", "Far"}}, token);
    REQUIRE(far.status == 201);
    auto far_review = far.json();
    auto far_id = far_review["id"].get<std::int64_t>();
    CHECK(cl.owner_of(far_id) == 1); // it lives beside its book
    CHECK(far_review["verified_purchase"] == true);
    CHECK(far_review["user_id"] == std::stoll(user.id));
    CHECK(far_review["author"]["display_name"]
          == user.email.substr(0, user.email.find('@')));
    auto near = cl.client(1).post(reviews_of(books[0]), {{"rating", 5}}, token);
    REQUIRE(near.status == 201);
    auto near_id = near.json()["id"].get<std::int64_t>();
    CHECK(cl.owner_of(near_id) == 0);
    auto again =
        cl.client(0).post(reviews_of(books[1]), {{"rating", 4}}, token);
    CHECK(again.status == 409);
    CHECK(again.json()["code"] == "DUPLICATE_REVIEW");
    CHECK(again.json()["existing_review_id"] == far_id);
    // The same from every node: the review, its book's list and rating.
    auto far_path = "/reviews/" + std::to_string(far_id);
    for (std::size_t n = 0; n < cl.size(); ++n) {
      auto c = cl.client(n);
      auto got = c.get(far_path);
      REQUIRE(got.status == 200);
      CHECK(got.json() == far_review);
      auto listed = c.get(reviews_of(books[1])).json();
      CHECK(listed["total"] == 1);
      CHECK(listed["items"][0]["id"] == far_id);
      auto book = c.get("/books/" + std::to_string(books[1])).json();
      CHECK(book["review_count"] == 1);
      CHECK(book["avg_rating"] == 2.0);
      // The moderation list holds both, lowest rating first.
      auto moderated =
          c.get("/admin/reviews?sort_by=rating&sort_dir=asc", admin).json();
      CHECK(moderated["total_count"] == 2);
      REQUIRE(moderated["items"].size() == 2);
      CHECK(moderated["items"][0]["id"] == far_id);
      CHECK(moderated["items"][1]["id"] == near_id);
    }
    // Changed by its author through any node, by nobody else.
    e2e::check_error(
        cl.client(0).patch(far_path, {{"rating", 3}}, other.access_token), 403,
        "NOT_REVIEW_OWNER");
    auto patched = cl.client(2).patch(far_path, {{"rating", 3}}, token);
    REQUIRE(patched.status == 200);
    CHECK(cl.client(0)
              .get("/books/" + std::to_string(books[1]))
              .json()["avg_rating"]
          == 3.0);
    // A bulk delete through one node reaches every node's reviews.
    auto bulk = cl.client(2).send_text(
        "DELETE", "/admin/reviews/bulk",
        json{{"review_ids", {far_id, near_id, 999999}}}.dump(), admin);
    REQUIRE(bulk.status == 200);
    CHECK(bulk.json()["deleted_count"] == 2);
    for (std::size_t n = 0; n < cl.size(); ++n) {
      CHECK(cl.client(n).get(far_path).status == 404);
      CHECK(cl.client(n).get("/admin/reviews", admin).json()["total_count"]
            == 0);
      CHECK(cl.client(n)
                .get("/books/" + std::to_string(books[0]))
                .json()["review_count"]
            == 0);
    }
  }

  SECTION("an upload lives on one node and is served by every node") {
    const std::string boundary = "cluster-upload-boundary";
    for (std::size_t n = 0; n < cl.size(); ++n) {
      auto bytes = std::string("\x89PNG\r\n\x1a\n", 8) + "of node " + cl.name(n)
                   + std::string(1000, 'x');
      auto body = "--" + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    "filename=\"cover.png\"\r\nContent-Type: image/png\r\n\r\n"
                  + bytes + "\r\n--" + boundary + "--\r\n";
      auto stored = cl.client(n).request(
          "POST", "/uploads/images", body,
          {{"Content-Type", "multipart/form-data; boundary=" + boundary}},
          admin);
      REQUIRE(stored.status == 200);
      auto url = stored.json()["url"].get<std::string>();
      auto name = url.substr(url.rfind('/') + 1);
      // Each node has its own folder here, as on machines of their own:
      // one node holds the file (the one that ran the upload: the admin's,
      // which checked the token), and every node serves it.
      std::size_t holders = 0;
      for (std::size_t m = 0; m < cl.size(); ++m)
        holders += std::filesystem::exists(cl.folder() + "/" + cl.name(m)
                                           + "-uploads/" + name);
      CHECK(holders == 1);
      for (std::size_t m = 0; m < cl.size(); ++m) {
        auto back = cl.client(m).get("/uploads/" + name);
        REQUIRE(back.status == 200);
        CHECK(back.header("Content-Type") == "image/png");
        CHECK(back.body == bytes);
      }
    }
    for (std::size_t m = 0; m < cl.size(); ++m)
      CHECK(cl.client(m).get("/uploads/" + std::string(32, '0') + ".png").status
            == 404);
  }

  SECTION("a deactivated account is locked out at every node at once") {
    auto c = cl.any_client();
    auto user = e2e::register_user(c, "lockout");
    auto off = cl.any_client().request(
        "PATCH", "/admin/users/" + user.id + "/deactivate", "", {}, admin);
    REQUIRE(off.status == 200);
    for (std::size_t n = 0; n < cl.size(); ++n)
      e2e::check_error(cl.client(n).get("/cart", user.access_token), 403,
                       "AUTH_ACCOUNT_DEACTIVATED");
  }

  SECTION("the nodes count the messages they exchange") {
    // The actors' messages: a checkout on node 0 of a book of node 1 sends
    // seven at least (a cart's check, a reservation and a prepared part,
    // two each, and the part's end); one of its own book, none.
    auto actor_messages = [&](std::size_t node) {
      auto text = cl.client(node).get("/metrics").body;
      const std::string key = "\nbookstore_cluster_actor_messages_total ";
      auto at = text.find(key);
      REQUIRE(at != std::string::npos);
      return std::stoll(text.substr(at + key.size()));
    };
    auto buy = [&](std::size_t book_node) {
      auto user = user_owned_by(cl, 0);
      auto book = book_owned_by(cl, admin, book_node, 5);
      REQUIRE(
          cl.client(0)
              .post("/cart/items", {{"book_id", book["id"]}}, user.access_token)
              .status
          == 201);
      REQUIRE(cl.client(0)
                  .post("/orders/checkout", json::object(), user.access_token)
                  .status
              == 201);
    };
    auto before = actor_messages(0);
    buy(0);
    CHECK(actor_messages(0) == before);
    buy(1);
    CHECK(actor_messages(0) >= before + 7);
    auto text = cl.client(0).get("/metrics").body;
    for (std::size_t j = 1; j < cl.size(); ++j)
      for (const char* direction : {"out", "in"}) {
        auto key = "bookstore_cluster_messages_total{peer=\"" + cl.name(j)
                   + "\",direction=\"" + direction + "\"} ";
        auto at = text.find(key);
        REQUIRE(at != std::string::npos);
        CHECK(std::stoll(text.substr(at + key.size())) > 0);
      }
  }
}

TEST_CASE("a node down: 503 NODE_UNAVAILABLE within 2 s for its data only, "
          "and back by itself",
          "[cluster][cluster_failure]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  constexpr std::size_t victim = 1;
  auto lost = book_owned_by(cl, admin, victim, 7)["id"].get<std::int64_t>();
  auto kept = book_owned_by(cl, admin, 2, 4)["id"].get<std::int64_t>();
  auto lost_path = "/books/" + std::to_string(lost);
  auto kept_path = "/books/" + std::to_string(kept);

  auto check_unavailable = [&](std::size_t from) {
    auto c = cl.client(from);
    auto sent = std::chrono::steady_clock::now();
    auto r = c.get(lost_path);
    auto took = std::chrono::steady_clock::now() - sent;
    e2e::check_error(r, 503, "NODE_UNAVAILABLE");
    CHECK(r.header("Retry-After").has_value());
    CHECK(took <= test_support::scaled(2s));
    // Everything else keeps working.
    CHECK(c.get(kept_path).status == 200);
    CHECK(c.get("/health").status == 200);
  };

  SECTION("killed (SIGKILL), then started again on its file") {
    cl.kill(victim);
    for (std::size_t from : {std::size_t{0}, std::size_t{2}})
      check_unavailable(from);
    CHECK(cl.wait_peer(0, victim, "down", test_support::scaled(2s)));
    cl.start(victim);
    CHECK(cl.wait_peer(0, victim, "up", test_support::scaled(10s)));
    CHECK(cl.wait_peer(2, victim, "up", test_support::scaled(10s)));
    for (std::size_t from = 0; from < cl.size(); ++from) {
      auto c = cl.client(from);
      CHECK(e2e::book_stock(c, lost) == 7); // durable on its file
    }
  }

  SECTION("stopped (SIGSTOP): it holds its connections but answers nothing") {
    // Stopped for sure before the first request: a request sent the moment
    // kill() returned could still be answered (see pause).
    REQUIRE(cl.node(victim).pause(test_support::scaled(5s)));
    for (std::size_t from : {std::size_t{0}, std::size_t{2}})
      check_unavailable(from);
    cl.node(victim).signal(SIGCONT);
    CHECK(cl.wait_peer(0, victim, "up", test_support::scaled(10s)));
    CHECK(cl.client(0).get(lost_path).status == 200);
  }
}

TEST_CASE("an ISBN claimed by a node that is killed waits for it, and is "
          "settled once it is back",
          "[cluster][cluster_failure]") {
  test_cluster cl{3};
  constexpr std::size_t victim = 2;
  auto admin = admin_token(cl);
  REQUIRE(admin_node(cl, admin) != victim);
  // A fresh ISBN of node 0, free again once its first book is deleted.
  auto first = isbn_book_owned_by(cl, admin, 0);
  auto isbn = first["isbn"];
  REQUIRE(cl.client(0)
              .del("/books/" + std::to_string(first["id"].get<std::int64_t>()),
                   admin)
              .status
          == 204);
  // The victim's book claims it at node 0, and its change is refused after
  // (no such genre): the rows a kill between the two writes leaves.
  auto book = book_owned_by(cl, admin, victim);
  auto path = "/books/" + std::to_string(book["id"].get<std::int64_t>());
  e2e::check_validation_error(cl.client(victim).put(
      path, {{"isbn", isbn}, {"genre_id", 999999}}, admin));

  cl.kill(victim);
  // Only the victim can tell whether its book took the ISBN.
  e2e::check_error(cl.client(0).post("/books", book_with_isbn(isbn), admin),
                   503, "NODE_UNAVAILABLE");
  // Other ISBNs of node 0 are free to take (the victim's own answer 503).
  bool made_at_0 = false;
  for (int tries = 0; tries < 30 && !made_at_0; ++tries) {
    auto r = cl.client(1).post("/books", book_with_isbn(e2e::unique_isbn13()),
                               admin);
    if (r.status == 503)
      continue;
    REQUIRE(r.status == 201);
    made_at_0 = cl.owner_of(r.json()["id"].get<std::int64_t>()) == 0;
  }
  CHECK(made_at_0);

  cl.start(victim);
  cl.wait_all_up();
  auto made = cl.client(1).post("/books", book_with_isbn(isbn), admin);
  REQUIRE(made.status == 201);
  // The victim's book, asked again, finds the ISBN taken.
  e2e::check_error(cl.client(victim).put(path, {{"isbn", isbn}}, admin), 409,
                   "BOOK_ISBN_CONFLICT");
}

TEST_CASE("a node down does not hold back the moderation of reviews that "
          "are not its own",
          "[cluster][cluster_failure]") {
  test_cluster cl{3};
  constexpr std::size_t victim = 0;
  auto admin = admin_token(cl);
  REQUIRE(admin_node(cl, admin) != victim);
  auto buyer = user_owned_by(cl, 2);
  auto book = book_owned_by(cl, admin, 2, 3)["id"].get<std::int64_t>();
  auto at_2 = cl.client(2);
  e2e::add_to_cart(at_2, buyer.access_token, book);
  REQUIRE(e2e::checkout(at_2, buyer.access_token).status == 201);
  auto review = at_2.post("/books/" + std::to_string(book) + "/reviews",
                          {{"rating", 4}}, buyer.access_token);
  REQUIRE(review.status == 201);
  auto id = review.json()["id"].get<std::int64_t>();

  cl.kill(victim);
  auto c = cl.client(1);
  // One book's reviews are all on its node; the whole list needs every
  // node's part.
  auto listed = c.get("/admin/reviews?book_id=" + std::to_string(book), admin);
  REQUIRE(listed.status == 200);
  CHECK(listed.json()["total_count"] == 1);
  e2e::check_error(c.get("/admin/reviews", admin), 503, "NODE_UNAVAILABLE");
  // A bulk delete asks only the nodes that hold its ids.
  auto bulk = c.send_text("DELETE", "/admin/reviews/bulk",
                          json{{"review_ids", {id, -5}}}.dump(), admin);
  REQUIRE(bulk.status == 200);
  CHECK(bulk.json()["deleted_count"] == 1);
  CHECK(at_2.get("/reviews/" + std::to_string(id)).status == 404);
}

TEST_CASE("a peer that drops packets does not hold back the links to the "
          "others",
          "[cluster][cluster_failure]") {
  // Node b's peer address takes no connection: a machine off the network.
  // a dials b and c; CAF's middleman connects with a blocking connect() on
  // one thread, so without a reachability probe first a would wait minutes
  // for b before it even tried c.
  black_hole b_peer;
  REQUIRE_FALSE(connects_within(b_peer.port(), 500ms)); // the premise
  auto folder =
      (std::filesystem::temp_directory_path() / "bookstore_cluster_dark_XXXXXX")
          .string();
  REQUIRE(::mkdtemp(folder.data()) != nullptr);
  auto ports = e2e::free_loopback_ports(5);
  std::vector<std::uint16_t> http{ports[0], ports[1], ports[2]};
  auto peer = [](std::uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
  };
  json nodes = json::array();
  nodes.push_back({{"name", "a"},
                   {"http", peer(http[0])},
                   {"peer", peer(ports[3])},
                   {"db", "a.db"}});
  nodes.push_back({{"name", "b"},
                   {"http", peer(http[1])},
                   {"peer", peer(b_peer.port())},
                   {"db", "b.db"}});
  nodes.push_back({{"name", "c"},
                   {"http", peer(http[2])},
                   {"peer", peer(ports[4])},
                   {"db", "c.db"}});
  auto file = write_file(folder, "cluster.json", json{{"nodes", nodes}}.dump());
  auto start = [&](const std::string& name) {
    e2e::server_options options;
    options.db_path = folder + "/" + name + ".db";
    options.extra_args = {"--cluster", file, "--node", name};
    return std::make_unique<e2e::server_process>(options);
  };
  auto a = start("a");
  auto c = start("c");
  auto up = [&](std::uint16_t port, const std::string& peer_name) {
    auto deadline = std::chrono::steady_clock::now() + test_support::scaled(5s);
    do {
      auto r = e2e::http_client{port}.get("/health");
      if (r.status == 200 && r.json()["peers"][peer_name] == "up")
        return true;
      std::this_thread::sleep_for(50ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  };
  CHECK(up(http[0], "c"));
  CHECK(up(http[2], "a"));
  CHECK(e2e::http_client{http[0]}.get("/health").json()["peers"]["b"]
        == "down");
  a.reset(); // each must stop at once (exit 0), not wait for b
  c.reset();
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
}

TEST_CASE("a cart with books of three nodes: shown and checked out through "
          "any node",
          "[cluster][cluster_checkout]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  auto user = user_owned_by(cl, 0);
  auto books = cart_across_nodes(cl, admin, user, 6, 2);
  // Every node shows every line with its book as its owner has it.
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto cart = cl.client(n).get("/cart", user.access_token);
    REQUIRE(cart.status == 200);
    auto items = cart.json()["items"];
    REQUIRE(items.size() == 3);
    for (auto& item : items) {
      e2e::check_cart_item_shape(item);
      CHECK_FALSE(item["book"]["title"].get<std::string>().empty());
    }
    CHECK(cart.json()["total_items"] == 6);
  }
  auto out = cl.any_client().post("/orders/checkout", json::object(),
                                  user.access_token);
  REQUIRE(out.status == 201);
  auto order = out.json();
  e2e::check_order_shape(order);
  CHECK(order["items"].size() == 3);
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto c = cl.client(n);
    for (auto id : books)
      CHECK(e2e::book_stock(c, id) == 4);
    CHECK(c.get("/cart", user.access_token).json()["items"].empty());
    auto listed = c.get("/orders/" + std::to_string(order["id"].get<long>()),
                        user.access_token);
    REQUIRE(listed.status == 200);
    CHECK(listed.json()["items"] == order["items"]);
  }
}

TEST_CASE("books of every node and new books racing for one ISBN through "
          "random nodes: one takes it",
          "[cluster][cluster_routing]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  // Two books of each node, each sent its PUT twice at once (a client's
  // retry), and three new books.
  constexpr int changes = 12;
  constexpr int racers = changes + 3;
  std::vector<std::int64_t> books;
  for (int i = 0; i < changes / 2; ++i) {
    auto id = book_owned_by(cl, admin, static_cast<std::size_t>(i) % 3)["id"]
                  .get<std::int64_t>();
    books.push_back(id);
    books.push_back(id);
  }
  // Each round a fresh ISBN: the claims of the rounds before (the winner's
  // ISBN given up, the losers' claims) are settled on the way.
  for (int round = 0; round < 5; ++round) {
    auto isbn = e2e::unique_isbn13();
    std::vector<std::size_t> via;
    for (int i = 0; i < racers; ++i)
      via.push_back(cl.random_running_node());
    std::vector<int> status(racers, 0);
    std::vector<std::int64_t> ids(books);
    ids.resize(racers, 0);
    e2e::run_concurrently(racers, [&](int i) {
      try {
        auto c = cl.client(via[i]);
        if (i < changes) {
          status[i] = c.put("/books/" + std::to_string(books[i]),
                            {{"isbn", isbn}}, admin)
                          .status;
          return;
        }
        auto made = c.post("/books", book_with_isbn(isbn), admin);
        status[i] = made.status;
        if (made.status == 201)
          ids[i] = made.json()["id"].get<std::int64_t>();
      } catch (const std::exception&) {
        status[i] = -1;
      }
    });
    std::set<std::int64_t> winners;
    for (int i = 0; i < racers; ++i) {
      INFO("round " << round << ", racer " << i << " via node " << via[i]);
      CHECK((status[i] == 200 || status[i] == 201 || status[i] == 409));
      if (status[i] == 200 || status[i] == 201)
        winners.insert(ids[i]);
    }
    CHECK(winners.size() == 1);
    // Every node sees the winner with the ISBN, and no other book with it.
    for (std::size_t n = 0; n < cl.size(); ++n) {
      auto c = cl.client(n);
      for (int i = 0; i < racers; ++i) {
        if (ids[i] == 0)
          continue;
        auto book = c.get("/books/" + std::to_string(ids[i])).json();
        INFO("round " << round << ", racer " << i << ", from node " << n);
        CHECK((book["isbn"] == isbn) == (winners.count(ids[i]) == 1));
      }
    }
  }
}

TEST_CASE("a flash sale across nodes: buyers of every node, one hot book, "
          "no copy sold twice",
          "[cluster][cluster_checkout]") {
  test_cluster cl{3};
  auto admin = admin_token(cl);
  constexpr long long copies = 20;
  constexpr int buyers = 12;
  constexpr int wanted = 3; // 36 wanted, 20 there
  auto hot = book_owned_by(cl, admin, 1, copies)["id"].get<std::int64_t>();
  std::vector<e2e::account> accounts;
  std::vector<std::size_t> via;
  for (int i = 0; i < buyers; ++i) {
    accounts.push_back(user_owned_by(cl, static_cast<std::size_t>(i) % 3));
    auto added = cl.any_client().post("/cart/items",
                                      {{"book_id", hot}, {"quantity", wanted}},
                                      accounts.back().access_token);
    REQUIRE(added.status == 201);
    via.push_back(cl.random_running_node());
  }
  std::vector<int> status(buyers, 0);
  e2e::run_concurrently(buyers, [&](int i) {
    try {
      auto c = cl.client(via[i]);
      status[i] =
          c.post("/orders/checkout", json::object(), accounts[i].access_token)
              .status;
    } catch (const std::exception&) {
      status[i] = -1;
    }
  });
  int sold = 0;
  for (int i = 0; i < buyers; ++i) {
    INFO("buyer " << i << " via node " << via[i]);
    CHECK((status[i] == 201 || status[i] == 409));
    if (status[i] == 201)
      sold += wanted;
  }
  CHECK(sold == copies / wanted * wanted); // 18: six buyers of three
  // Conservation, as every node sees it: the stock left and the copies in
  // the buyers' orders (read from every node) add up to the copies there.
  for (std::size_t n = 0; n < cl.size(); ++n) {
    auto c = cl.client(n);
    auto left = e2e::book_stock(c, hot);
    long long ordered = 0;
    for (auto& a : accounts)
      for (auto& order : e2e::list_orders(c, a.access_token))
        for (auto& item : order["items"])
          if (item["book_id"] == hot)
            ordered += item["quantity"].get<long long>();
    CHECK(left + ordered == copies);
    CHECK(ordered == sold);
  }
}

TEST_CASE("a node that stops leaves the other nodes' book actors running",
          "[cluster][cluster_failure]") {
  test_cluster cl{2};
  auto admin = admin_token(cl);
  auto book = book_owned_by(cl, admin, 0, 5);
  // Node 1 gets a handle of node 0's book actor: a cart of node 1 holds it.
  auto user = user_owned_by(cl, 1);
  REQUIRE(cl.client(1)
              .post("/cart/items", {{"book_id", book["id"]}}, user.access_token)
              .status
          == 201);
  auto live_books = [&] {
    auto text = cl.client(0).get("/metrics").body;
    const std::string key = "\nbookstore_live_book_actors ";
    auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    return std::stoll(text.substr(at + key.size()));
  };
  auto before = live_books();
  REQUIRE(before >= 1);
  // Node 1 stops (SIGTERM): its registry stops the actors it spawned, and
  // only those; node 0's book does not go with it.
  cl.stop(1);
  REQUIRE(cl.wait_peer(0, 1, "down", test_support::scaled(5s)));
  std::this_thread::sleep_for(500ms);
  CHECK(live_books() == before);
}
