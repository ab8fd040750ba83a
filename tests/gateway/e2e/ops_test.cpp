// Operations: /health, /metrics, /openapi.json, keep-alive, the program's
// options and environment, clean shutdown on SIGTERM/SIGINT, durability
// across restarts, and the admin bootstrap.

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "tests/support/timeouts.hpp"

using namespace e2e;

namespace {

http_client client() {
  return http_client{shared_server("ops").port()};
}

std::int64_t id_of(const json& j) {
  return j.at("id").get<std::int64_t>();
}

// The sum of the samples on lines that contain every one of `parts`.
double metric_sum(const std::string& text,
                  const std::vector<std::string>& parts) {
  std::istringstream in{text};
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    bool all = std::all_of(parts.begin(), parts.end(), [&](auto& p) {
      return line.find(p) != std::string::npos;
    });
    if (!all)
      continue;
    auto sp = line.rfind(' ');
    if (sp == std::string::npos)
      continue;
    try {
      sum += std::stod(line.substr(sp + 1));
    } catch (...) {
    }
  }
  return sum;
}

// A temp directory for databases that outlive one server.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    path = std::filesystem::temp_directory_path()
           / ("bookstore-e2e-ops-" + unique_suffix());
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string db() const { return (path / "store.db").string(); }
};

} // namespace

TEST_CASE("GET /health answers JSON with status ok and the version", "[ops]") {
  auto c = client();
  auto r = c.get("/health");
  REQUIRE_STATUS(r, 200);
  auto ct = r.header("Content-Type");
  REQUIRE(ct.has_value());
  CHECK(ct->rfind("application/json", 0) == 0);
  auto j = r.json();
  CHECK(keys_of(j) == std::set<std::string>{"status", "version"});
  CHECK(j["status"] == "ok");
  REQUIRE(j["version"].is_string());
  CHECK(!j["version"].get<std::string>().empty());
}

TEST_CASE("GET /metrics is Prometheus text with request counters", "[ops]") {
  auto c = client();
  auto before = c.get("/metrics");
  REQUIRE_STATUS(before, 200);
  auto ct = before.header("Content-Type");
  REQUIRE(ct.has_value());
  CHECK(*ct == "text/plain; version=0.0.4");
  for (int i = 0; i < 3; ++i)
    REQUIRE_STATUS(c.get("/health"), 200);
  REQUIRE(c.get("/no-such-route").status == 404);

  // A checkout, so that checkouts by outcome have something to show.
  auto admin = admin_token(c);
  auto user = register_user(c, "metrics");
  auto book = stocked_book(c, admin, 3);
  add_to_cart(c, user.access_token, id_of(book), 1);
  REQUIRE_STATUS(checkout(c, user.access_token), 201);

  auto after = c.get("/metrics");
  REQUIRE_STATUS(after, 200);
  const auto& text = after.body;
  INFO(text.substr(0, 3000));
  CHECK(text.find("# TYPE") != std::string::npos);
  CHECK(text.find(" counter") != std::string::npos);
  CHECK(text.find(" histogram") != std::string::npos);
  CHECK(text.find("_bucket{") != std::string::npos);
  CHECK(text.find("le=\"+Inf\"") != std::string::npos);
  // Requests by route and status.
  double health_before =
      metric_sum(before.body, {"request", "\"/health\"", "status=\"200\""});
  double health_after =
      metric_sum(text, {"request", "\"/health\"", "status=\"200\""});
  CHECK(health_after >= health_before + 3);
  CHECK(metric_sum(text, {"request", "status=\"404\""}) >= 1);
  // Checkouts by outcome, live actors, store batches.
  CHECK(metric_sum(text, {"checkout", "outcome="}) >= 1);
  CHECK(text.find("actor") != std::string::npos);
  CHECK(text.find("batch") != std::string::npos);
  // Every sample line is `name{labels} value` or `name value`.
  std::regex sample{R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEinfNa]+$)"};
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    CAPTURE(line);
    CHECK(std::regex_match(line, sample));
  }
}

TEST_CASE("GET /openapi.json describes the API", "[ops]") {
  auto c = client();
  auto r = c.get("/openapi.json");
  REQUIRE_STATUS(r, 200);
  auto ct = r.header("Content-Type");
  REQUIRE(ct.has_value());
  CHECK(ct->rfind("application/json", 0) == 0);
  auto j = r.json();
  REQUIRE(j.is_object());
  REQUIRE(j.contains("openapi"));
  REQUIRE(j["openapi"].is_string());
  CHECK(j["openapi"].get<std::string>().rfind("3.", 0) == 0);
  REQUIRE(j.contains("paths"));
  std::set<std::string> paths;
  for (auto it = j["paths"].begin(); it != j["paths"].end(); ++it)
    paths.insert(
        std::regex_replace(it.key(), std::regex{R"(\{[^}]*\})"}, "{}"));
  for (const char* p :
       {"/auth/register", "/auth/login", "/auth/refresh", "/auth/logout",
        "/books", "/books/{}", "/books/{}/stock", "/genres", "/cart",
        "/cart/items", "/cart/items/{}", "/orders/checkout", "/orders",
        "/orders/{}", "/admin/orders", "/admin/sales/summary",
        "/admin/sales/top-books", "/admin/inventory/low-stock", "/health"}) {
    CAPTURE(p);
    CHECK(paths.count(p) == 1);
  }
}

TEST_CASE("one keep-alive connection serves many requests including errors",
          "[ops]") {
  auto c = client();
  for (int i = 0; i < 5; ++i)
    REQUIRE_STATUS(c.get("/health"), 200);
  REQUIRE(c.get("/nope").status == 404);
  REQUIRE(c.send_text("POST", "/auth/login", "{").status == 422);
  REQUIRE(c.post("/health", json::object()).status == 405);
  REQUIRE_STATUS(c.get("/genres"), 200);
  CHECK(c.connections_opened() == 1);
  // Responses carry their length.
  auto r = c.get("/health");
  CHECK(r.header("Content-Length").has_value());
}

TEST_CASE("the server prints where it listens", "[ops]") {
  auto& srv = shared_server("ops");
  CHECK(srv.listening_line()
        == "listening on http://127.0.0.1:" + std::to_string(srv.port()));
  CHECK(srv.host() == "127.0.0.1");
}

TEST_CASE("bookstore --help lists the options", "[ops]") {
  auto res = run_binary({"--help"});
  INFO("stdout: " << res.out << "\nstderr: " << res.err);
  CHECK(res.exit_code == 0);
  auto text = res.out + res.err;
  for (const char* word :
       {"serve", "--host", "--port", "--db", "--payment-failure-rate",
        "--payment-latency-ms", "--checkout-timeout-ms", "--commit-window-us",
        "--idle-timeout-ms", "BOOKSTORE_HOST", "BOOKSTORE_PORT", "BOOKSTORE_DB",
        "BOOKSTORE_PAYMENT_FAILURE_RATE", "BOOKSTORE_PAYMENT_LATENCY_MS",
        "BOOKSTORE_ADMIN_EMAIL", "BOOKSTORE_ADMIN_PASSWORD",
        "BOOKSTORE_SECRET_KEY"}) {
    CAPTURE(word);
    CHECK(text.find(word) != std::string::npos);
  }
}

TEST_CASE("--threads sets how many threads run the actors", "[ops]") {
  // The process's threads, counted once it serves: the scheduler's workers
  // and the threads of its own (store, reader, I/O, hashing) alike.
  auto threads_with = [](const char* n) {
    server_options opts;
    opts.extra_args = {"--threads", n};
    server_process server{opts};
    http_client c{server.port()};
    CHECK_STATUS(c.get("/books"), 200);
    std::size_t count = 0;
    for (auto& entry : std::filesystem::directory_iterator(
             "/proc/" + std::to_string(server.pid()) + "/task"))
      count += entry.is_directory() ? 1 : 0;
    return count;
  };
  CHECK(threads_with("5") - threads_with("1") == 4);
  auto bad = run_binary({"serve", "--threads", "-1"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--threads") != std::string::npos);
}

TEST_CASE("SIGTERM finishes the checkout in flight and exits 0 and the order "
          "survives a restart",
          "[ops]") {
  temp_dir dir;
  server_options opts;
  opts.db_path = dir.db();
  opts.extra_args = {"--payment-latency-ms", "1500"};
  std::string token;
  std::int64_t book_id = 0;
  response in_flight;
  std::string thread_error;
  {
    server_process srv{opts};
    http_client c{srv.port()};
    auto admin = login(c, admin_email, admin_password);
    auto user = register_user(c, "sigterm");
    token = user.access_token;
    auto book = stocked_book(c, admin, 5, "8.00");
    book_id = id_of(book);
    add_to_cart(c, token, book_id, 2);

    http_client c2{srv.port()};
    REQUIRE_STATUS(c2.get("/health"), 200);
    std::thread t([&] {
      try {
        in_flight = checkout(c2, token);
      } catch (const std::exception& e) {
        thread_error = e.what();
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    auto status = srv.stop(SIGTERM, std::chrono::milliseconds(10000));
    t.join();
    INFO("stderr tail:\n" << srv.stderr_tail());
    CHECK(status == 0);
    CHECK(thread_error.empty());
    CHECK_STATUS(in_flight, 201);
  }
  // Restart on the same file: the order and the stock are there.
  server_process again{opts};
  http_client c{again.port()};
  auto orders = list_orders(c, token);
  REQUIRE(orders.size() == 1);
  CHECK(orders[0] == in_flight.json());
  CHECK(book_stock(c, book_id) == 3);
  CHECK(get_cart(c, token)["items"].empty());
  CHECK(again.stop(SIGINT) == 0);
}

TEST_CASE("SIGINT stops the server with exit 0", "[ops]") {
  server_process srv;
  http_client c{srv.port()};
  REQUIRE_STATUS(c.get("/health"), 200);
  auto status = srv.stop(SIGINT);
  INFO("stderr tail:\n" << srv.stderr_tail());
  CHECK(status == 0);
}

TEST_CASE("SIGTERM right after clients left with requests in flight exits at "
          "once",
          "[ops]") {
  server_process srv;
  http_client c{srv.port()};
  REQUIRE_STATUS(c.get("/health"), 200);
  // Each client sends a request that its connection's route worker serves
  // and closes before the answer, which then reaches a broker that has
  // ended. The stop must not wait for those connections' timers (the 10 s
  // header timeout here).
  const std::string req = "GET /books?q=dune HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 8; ++i) {
    int fd = c.open_connection();
    REQUIRE(fd >= 0);
    auto sent = ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    ::close(fd);
    REQUIRE(sent == static_cast<ssize_t>(req.size()));
  }
  auto t0 = std::chrono::steady_clock::now();
  auto status = srv.stop(SIGTERM, std::chrono::milliseconds(8000));
  auto took = std::chrono::steady_clock::now() - t0;
  INFO("stderr tail:\n" << srv.stderr_tail());
  CHECK(status == 0);
  // Far from both: the timers would hold it 10 s; it stops in well under 1.
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("the server logs one line per request to stderr", "[ops]") {
  server_process srv;
  http_client c{srv.port()};
  for (int i = 0; i < 3; ++i)
    REQUIRE_STATUS(c.get("/genres"), 200);
  REQUIRE(c.get("/nope").status == 404);
  CHECK(srv.stop() == 0);
  auto log = srv.stderr_tail(100000);
  INFO(log);
  std::istringstream in{log};
  std::string line;
  int genres = 0;
  while (std::getline(in, line))
    if (line.find("/genres") != std::string::npos)
      ++genres;
  CHECK(genres >= 3);
  CHECK(log.find("/nope") != std::string::npos);
  CHECK(srv.stdout_text().find("listening on http://") != std::string::npos);
}

TEST_CASE(
    "--idle-timeout-ms passivates idle book actors and they come back on use",
    "[ops]") {
  server_options opts;
  opts.extra_args = {"--idle-timeout-ms", "200"};
  server_process srv{opts};
  http_client c{srv.port()};
  auto admin = admin_token(c);
  std::vector<json> books;
  for (int i = 0; i < 5; ++i)
    books.push_back(stocked_book(c, admin, 2));
  auto live_books = [&] {
    auto res = c.get("/metrics");
    REQUIRE_STATUS(res, 200);
    return metric_sum(res.body, {"bookstore_live_book_actors"});
  };
  REQUIRE(live_books() >= 1);
  // With the default (60 s) they would all still run after 10 s.
  auto deadline = std::chrono::steady_clock::now()
                  + test_support::scaled(std::chrono::seconds{10});
  while (live_books() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  CHECK(live_books() == 0);
  // A passivated book is loaded again with what it had.
  for (const auto& book : books) {
    auto res = c.get("/books/" + std::to_string(id_of(book)));
    REQUIRE_STATUS(res, 200);
    CHECK(res.json().at("title") == book.at("title"));
    CHECK(res.json().at("stock_quantity") == 2);
  }
}

TEST_CASE("--db :memory: gives a throwaway store", "[ops]") {
  server_options opts;
  opts.db_path = ":memory:";
  server_process srv{opts};
  http_client c{srv.port()};
  auto user = register_user(c, "memory");
  CHECK_STATUS(c.get("/cart", user.access_token), 200);
  CHECK(srv.stop() == 0);
  CHECK_FALSE(std::filesystem::exists(":memory:"));
}

TEST_CASE("options come from the environment and flags win", "[ops]") {
  SECTION("BOOKSTORE_PAYMENT_FAILURE_RATE=1 declines every payment") {
    server_options opts;
    opts.payment_failure_rate = ""; // no flag
    opts.extra_env = {{"BOOKSTORE_PAYMENT_FAILURE_RATE", "1"}};
    server_process srv{opts};
    http_client c{srv.port()};
    auto admin = login(c, admin_email, admin_password);
    auto user = register_user(c);
    auto book = stocked_book(c, admin, 5);
    add_to_cart(c, user.access_token, id_of(book), 1);
    check_error(checkout(c, user.access_token), 402, "ORDER_PAYMENT_FAILED");
    CHECK(book_stock(c, id_of(book)) == 5);
    CHECK(srv.stop() == 0);
  }
  SECTION("--payment-failure-rate 0 wins over the environment") {
    server_options opts;
    opts.payment_failure_rate = "0";
    opts.extra_env = {{"BOOKSTORE_PAYMENT_FAILURE_RATE", "1"}};
    server_process srv{opts};
    http_client c{srv.port()};
    auto admin = login(c, admin_email, admin_password);
    auto user = register_user(c);
    auto book = stocked_book(c, admin, 5);
    add_to_cart(c, user.access_token, id_of(book), 1);
    CHECK_STATUS(checkout(c, user.access_token), 201);
    CHECK(srv.stop() == 0);
  }
}

TEST_CASE("without BOOKSTORE_SECRET_KEY the generated secret is kept in the "
          "database",
          "[ops]") {
  temp_dir dir;
  server_options opts;
  opts.db_path = dir.db();
  opts.secret = ""; // unset
  std::string token;
  {
    server_process srv{opts};
    http_client c{srv.port()};
    token = register_user(c, "nosecret").access_token;
    CHECK_STATUS(c.get("/cart", token), 200);
    // Tokens signed with the test key are not accepted.
    auto now = unix_now();
    check_error(c.get("/cart", forge_token("1", "admin", now, now + 900)), 401,
                "AUTH_TOKEN_INVALID");
    CHECK(srv.stop() == 0);
    auto log = srv.stderr_tail(100000);
    std::string lower;
    for (char ch : log)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    INFO(log);
    CHECK(lower.find("secret") != std::string::npos);
  }
  server_process again{opts};
  http_client c{again.port()};
  CHECK_STATUS(c.get("/cart", token), 200);
}

TEST_CASE("the admin variables promote an existing account at start", "[ops]") {
  temp_dir dir;
  server_options plain;
  plain.db_path = dir.db();
  plain.with_admin = false;
  auto email = unique_email("boss");
  std::string password = "bosspassword1";
  {
    server_process srv{plain};
    http_client c{srv.port()};
    REQUIRE_STATUS(
        c.post("/auth/register", {{"email", email}, {"password", password}}),
        201);
    auto token = login(c, email, password);
    CHECK(jwt_payload(token)["role"] == "user");
    // Nobody is admin on a server started without the variables.
    check_error(c.post("/auth/login",
                       {{"email", admin_email}, {"password", admin_password}}),
                401, "AUTH_INVALID_CREDENTIALS");
    CHECK(srv.stop() == 0);
  }
  server_options promote = plain;
  promote.extra_env = {{"BOOKSTORE_ADMIN_EMAIL", email},
                       {"BOOKSTORE_ADMIN_PASSWORD", "newadminpass1"}};
  server_process srv{promote};
  http_client c{srv.port()};
  auto a = c.post("/auth/login", {{"email", email}, {"password", password}});
  auto b =
      c.post("/auth/login", {{"email", email}, {"password", "newadminpass1"}});
  INFO(describe(a) << "\n" << describe(b));
  REQUIRE((a.status == 200 || b.status == 200));
  auto token =
      (b.status == 200 ? b : a).json()["access_token"].get<std::string>();
  CHECK(jwt_payload(token)["role"] == "admin");
  CHECK_STATUS(c.get("/admin/orders", token), 200);
}

TEST_CASE("a store that cannot write answers 503 STORE_UNAVAILABLE and "
          "half-writes nothing and recovers by itself",
          "[ops]") {
  server_process srv;
  http_client c{srv.port()};
  auto admin = login(c, admin_email, admin_password);
  auto user = register_user(c, "diskfull");
  auto book = stocked_book(c, admin, 5, "4.00");
  auto book_path = "/books/" + std::to_string(id_of(book));
  add_to_cart(c, user.access_token, id_of(book), 2);
  auto tag = unique_word();

  // Every write past the first KiB of any file now fails (EFBIG), like a
  // full disk.
  srv.set_file_size_limit(1024);
  auto created =
      c.post("/books", book_fields("Never " + tag, tag, "1.00"), admin);
  check_error(created, 503, "STORE_UNAVAILABLE");
  check_error(checkout(c, user.access_token), 503, "STORE_UNAVAILABLE");
  // The payment was approved, then voided before the 503: no money is kept
  // for an order that does not exist.
  auto ledger = c.get("/metrics").body;
  CHECK(ledger.find("\nbookstore_payment_charges_total 1\n")
        != std::string::npos);
  CHECK(ledger.find("\nbookstore_payment_refunds_total 1\n")
        != std::string::npos);
  check_error(c.patch(book_path + "/stock", {{"quantity", 9}}, admin), 503,
              "STORE_UNAVAILABLE");
  check_error(c.post("/auth/register", {{"email", unique_email("full")},
                                        {"password", "password123"}}),
              503, "STORE_UNAVAILABLE");
  // Reads still work.
  CHECK_STATUS(c.get(book_path), 200);
  CHECK_STATUS(c.get("/health"), 200);

  // Writes succeed again: the server recovers without a restart.
  srv.set_file_size_limit(server_process::unlimited);
  response again;
  auto deadline = std::chrono::steady_clock::now()
                  + test_support::scaled(std::chrono::seconds(10));
  do {
    again = c.post("/books", book_fields("After " + tag, tag, "1.00"), admin);
    if (again.status == 201)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  REQUIRE_STATUS(again, 201);

  // Nothing of the failed writes is there; the cart and stock are intact.
  auto listed = c.get("/books?author=" + tag);
  REQUIRE_STATUS(listed, 200);
  CHECK(listed.json()["total"] == 1);
  CHECK(book_stock(c, id_of(book)) == 5);
  auto cart = get_cart(c, user.access_token);
  REQUIRE(cart["items"].size() == 1);
  CHECK(cart["items"][0]["quantity"] == 2);
  CHECK(list_orders(c, user.access_token).empty());
  auto ok = checkout(c, user.access_token);
  CHECK_STATUS(ok, 201);
  CHECK(book_stock(c, id_of(book)) == 3);
  CHECK(srv.stop() == 0);
}
