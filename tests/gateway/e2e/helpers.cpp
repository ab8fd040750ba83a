#include "helpers.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "gateway/auth/base64url.hpp"
#include "gateway/auth/jwt.hpp"

namespace e2e {

namespace {

std::atomic<unsigned> counter{0};

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s)
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

} // namespace

std::string unique_suffix() {
  return std::to_string(::getpid()) + "n" + std::to_string(counter++);
}

std::string unique_word() {
  // Fixed length, so no word is a prefix of another one.
  unsigned n = counter++;
  std::string w = "zq";
  for (int i = 0; i < 5; ++i) {
    w += static_cast<char>('a' + n % 26);
    n /= 26;
  }
  return w;
}

std::string unique_email(std::string_view prefix) {
  return std::string(prefix) + "." + unique_suffix() + "@example.com";
}

std::string unique_isbn13() {
  unsigned long long body =
      (static_cast<unsigned long long>(::getpid()) % 1000ULL) * 1000000ULL
      + counter++ % 1000000ULL;
  std::string digits = "978";
  auto nine = std::to_string(body);
  digits += std::string(9 - nine.size(), '0') + nine;
  int sum = 0;
  for (int i = 0; i < 12; ++i)
    sum += (digits[static_cast<std::size_t>(i)] - '0') * (i % 2 == 0 ? 1 : 3);
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

// ---- accounts ------------------------------------------------------------

bool is_auth_busy(const response& r) {
  if (r.status != 503)
    return false;
  try {
    return r.json().value("code", "") == "AUTH_BUSY";
  } catch (...) {
    return false;
  }
}

response post_auth(http_client& c, const std::string& target,
                   const json& body) {
  // The server turns logins away (503 AUTH_BUSY) while its hashing queue is
  // full, e.g. when another test file floods it: wait and try again rather
  // than fail a test that is not about that.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    auto r = c.post(target, body);
    if (!is_auth_busy(r) || std::chrono::steady_clock::now() > deadline)
      return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::optional<account> try_register(http_client& c, std::string_view prefix) {
  account a;
  a.email = unique_email(prefix);
  a.password = "password-" + unique_suffix();
  auto r = post_auth(c, "/auth/register",
                     {{"email", a.email}, {"password", a.password}});
  if (r.status != 201)
    return std::nullopt;
  try {
    auto j = r.json();
    a.access_token = j.at("access_token").get<std::string>();
    a.refresh_token = j.at("refresh_token").get<std::string>();
    auto dot1 = a.access_token.find('.');
    auto dot2 = a.access_token.find('.', dot1 + 1);
    auto payload = bookstore::auth::base64url_decode(
        std::string_view{a.access_token}.substr(dot1 + 1, dot2 - dot1 - 1));
    if (payload)
      a.id = json::parse(*payload).at("sub").get<std::string>();
  } catch (...) {
    return std::nullopt;
  }
  return a;
}

account register_user(http_client& c, std::string_view prefix) {
  account a;
  a.email = unique_email(prefix);
  a.password = "password-" + unique_suffix();
  auto r = post_auth(c, "/auth/register",
                     {{"email", a.email}, {"password", a.password}});
  REQUIRE_STATUS(r, 201);
  auto j = r.json();
  REQUIRE(j.contains("access_token"));
  REQUIRE(j.contains("refresh_token"));
  a.access_token = j["access_token"].get<std::string>();
  a.refresh_token = j["refresh_token"].get<std::string>();
  a.id = jwt_payload(a.access_token).at("sub").get<std::string>();
  return a;
}

std::string login(http_client& c, const std::string& email,
                  const std::string& password) {
  auto r =
      post_auth(c, "/auth/login", {{"email", email}, {"password", password}});
  REQUIRE_STATUS(r, 200);
  return r.json().at("access_token").get<std::string>();
}

std::string admin_token(http_client& c) {
  static std::mutex mutex;
  static std::map<std::uint16_t, std::string> tokens;
  {
    std::lock_guard<std::mutex> guard{mutex};
    if (auto it = tokens.find(c.port()); it != tokens.end())
      return it->second;
  }
  auto token = login(c, admin_email, admin_password);
  std::lock_guard<std::mutex> guard{mutex};
  tokens[c.port()] = token;
  return token;
}

// ---- catalog, cart, orders -----------------------------------------------

json book_fields(std::string title, std::string author, std::string price) {
  if (title.empty())
    title = "Book " + unique_word();
  if (author.empty())
    author = "Author " + unique_word();
  return {{"title", title}, {"author", author}, {"price", price}};
}

json create_book(http_client& c, const std::string& admin, const json& fields,
                 std::optional<long long> stock) {
  auto r = c.post("/books", fields, admin);
  REQUIRE_STATUS(r, 201);
  auto book = r.json();
  if (stock)
    book = set_stock(c, admin, book.at("id").get<std::int64_t>(), *stock);
  return book;
}

json stocked_book(http_client& c, const std::string& admin, long long stock,
                  const std::string& price) {
  return create_book(c, admin, book_fields({}, {}, price), stock);
}

json set_stock(http_client& c, const std::string& admin, std::int64_t id,
               long long quantity) {
  auto r = c.patch("/books/" + std::to_string(id) + "/stock",
                   {{"quantity", quantity}}, admin);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

long long book_stock(http_client& c, std::int64_t id) {
  auto r = c.get("/books/" + std::to_string(id));
  REQUIRE_STATUS(r, 200);
  return r.json().at("stock_quantity").get<long long>();
}

json add_to_cart(http_client& c, const std::string& token, std::int64_t book_id,
                 int quantity) {
  auto r = c.post("/cart/items", {{"book_id", book_id}, {"quantity", quantity}},
                  token);
  REQUIRE_STATUS(r, 201);
  return r.json();
}

json get_cart(http_client& c, const std::string& token) {
  auto r = c.get("/cart", token);
  REQUIRE_STATUS(r, 200);
  return r.json();
}

response checkout(http_client& c, const std::string& token,
                  bool force_payment_failure,
                  const std::string& idempotency_key) {
  json body = json::object();
  if (force_payment_failure)
    body["force_payment_failure"] = true;
  header_list extra;
  if (!idempotency_key.empty())
    extra.emplace_back("Idempotency-Key", idempotency_key);
  return c.post("/orders/checkout", body, token, extra);
}

json list_orders(http_client& c, const std::string& token) {
  auto r = c.get("/orders", token);
  REQUIRE_STATUS(r, 200);
  auto j = r.json();
  REQUIRE(j.is_array());
  return j;
}

void run_concurrently(int n, const std::function<void(int)>& fn) {
  std::mutex mutex;
  std::condition_variable cv;
  int waiting = 0;
  bool go = false;
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock{mutex};
        if (++waiting == n) {
          go = true;
          cv.notify_all();
        } else {
          cv.wait(lock, [&] { return go; });
        }
      }
      fn(i);
    });
  }
  for (auto& t : threads)
    t.join();
}

// ---- tokens ----------------------------------------------------------------

namespace {

json jwt_part(const std::string& token, int index) {
  auto dot1 = token.find('.');
  REQUIRE(dot1 != std::string::npos);
  auto dot2 = token.find('.', dot1 + 1);
  REQUIRE(dot2 != std::string::npos);
  REQUIRE(token.find('.', dot2 + 1) == std::string::npos);
  std::string_view t{token};
  auto part =
      index == 0 ? t.substr(0, dot1) : t.substr(dot1 + 1, dot2 - dot1 - 1);
  auto decoded = bookstore::auth::base64url_decode(part);
  REQUIRE(decoded.has_value());
  json j;
  REQUIRE_NOTHROW(j = json::parse(*decoded));
  return j;
}

} // namespace

json jwt_header(const std::string& token) {
  return jwt_part(token, 0);
}
json jwt_payload(const std::string& token) {
  return jwt_part(token, 1);
}

std::string forge_token(const std::string& sub, const std::string& role,
                        std::int64_t iat, std::int64_t exp,
                        const std::string& secret, const std::string& jti) {
  bookstore::auth::jwt_claims claims;
  claims.sub = sub;
  claims.role = role;
  claims.jti = jti;
  claims.iat = iat;
  claims.exp = exp;
  return bookstore::auth::sign_jwt(claims, secret);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- shapes ----------------------------------------------------------------

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> out;
  if (object.is_object())
    for (auto it = object.begin(); it != object.end(); ++it)
      out.insert(it.key());
  return out;
}

bool is_money(const json& v) {
  static const std::regex re{R"(^(0|[1-9][0-9]*)\.[0-9]{2}$)"};
  return v.is_string() && std::regex_match(v.get<std::string>(), re);
}

long long cents(const json& v) {
  INFO("money value: " << v.dump());
  REQUIRE(is_money(v));
  auto s = v.get<std::string>();
  auto dot = s.find('.');
  return std::stoll(s.substr(0, dot)) * 100 + std::stoll(s.substr(dot + 1));
}

bool is_utc_timestamp(const json& v) {
  static const std::regex re{
      R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$)"};
  return v.is_string() && std::regex_match(v.get<std::string>(), re);
}

std::string describe(const response& r) {
  std::string out = "response: " + r.version + " " + std::to_string(r.status)
                    + " " + r.reason + "\n";
  for (auto& [k, v] : r.headers)
    out += "  " + k + ": " + v + "\n";
  out += "  body: " + r.body.substr(0, 2000);
  if (r.body.size() > 2000)
    out += "... (" + std::to_string(r.body.size()) + " bytes)";
  return out;
}

void check_error(const response& r, int status, std::string_view code) {
  INFO("expected " << status << " " << code << "\n" << describe(r));
  CHECK(r.status == status);
  auto ct = r.header("Content-Type");
  CHECK(ct.has_value());
  if (ct)
    CHECK(lower(*ct).rfind("application/json", 0) == 0);
  json j;
  try {
    j = json::parse(r.body);
  } catch (const std::exception&) {
    FAIL_CHECK("error body is not JSON");
    return;
  }
  REQUIRE(j.is_object());
  CHECK(j.value("code", std::string{}) == code);
  REQUIRE(j.contains("detail"));
  for (auto& k : keys_of(j))
    CHECK((k == "detail" || k == "code" || k == "field" || k == "items"));
  if (j.contains("field"))
    CHECK((j["field"].is_string() || j["field"].is_null()));
  if (code == "VALIDATION_ERROR") {
    REQUIRE(j["detail"].is_array());
    CHECK(!j["detail"].empty());
    for (auto& d : j["detail"]) {
      CHECK(d.is_object());
      CHECK(d.contains("loc"));
      CHECK(d.value("loc", json{}).is_array());
      CHECK(d.value("msg", json{}).is_string());
    }
  } else {
    CHECK(j["detail"].is_string());
    if (j["detail"].is_string())
      CHECK(!j["detail"].get<std::string>().empty());
  }
  auto body = lower(r.body);
  for (const char* leak : {"sqlite", "std::", "traceback", "what():",
                           "constraint failed", "select ", "insert into"})
    CHECK(body.find(leak) == std::string::npos);
}

void check_validation_error(const response& r) {
  check_error(r, 422, "VALIDATION_ERROR");
}

bool validation_mentions(const response& r, std::string_view field) {
  try {
    auto j = json::parse(r.body);
    for (auto& d : j.at("detail"))
      for (auto& part : d.at("loc"))
        if (part.is_string() && part.get<std::string>() == field)
          return true;
  } catch (...) {
  }
  return false;
}

void check_token_pair(const response& r, int status) {
  INFO(describe(r));
  REQUIRE(r.status == status);
  auto j = r.json();
  CHECK(
      keys_of(j)
      == std::set<std::string>{"access_token", "refresh_token", "token_type"});
  CHECK(j.value("token_type", "") == "bearer");
  REQUIRE(j["access_token"].is_string());
  REQUIRE(j["refresh_token"].is_string());
  CHECK(!j["refresh_token"].get<std::string>().empty());
  auto header = jwt_header(j["access_token"].get<std::string>());
  CHECK(header.value("alg", "") == "HS256");
}

void check_book_shape(const json& book, bool with_in_stock) {
  INFO("book: " << book.dump());
  std::set<std::string> expected{
      "id",           "title",         "author",      "price",
      "isbn",         "genre_id",      "description", "cover_image_url",
      "publish_date", "stock_quantity"};
  if (with_in_stock) {
    expected.insert("in_stock");
    expected.insert("avg_rating");
    expected.insert("review_count");
  }
  CHECK(keys_of(book) == expected);
  CHECK(book.value("id", json{}).is_number_integer());
  CHECK(book.value("title", json{}).is_string());
  CHECK(book.value("author", json{}).is_string());
  CHECK(is_money(book.value("price", json{})));
  CHECK(book.value("stock_quantity", json{}).is_number_integer());
  for (const char* k : {"isbn", "description", "cover_image_url"})
    CHECK(
        (book.value(k, json{}).is_null() || book.value(k, json{}).is_string()));
  CHECK((book.value("genre_id", json{}).is_null()
         || book.value("genre_id", json{}).is_number_integer()));
  auto pd = book.value("publish_date", json{});
  CHECK((
      pd.is_null()
      || (pd.is_string()
          && std::regex_match(pd.get<std::string>(),
                              std::regex{R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}$)"}))));
  if (with_in_stock) {
    CHECK((book.value("avg_rating", json{}).is_null()
           || book.value("avg_rating", json{}).is_number()));
    CHECK(book.value("review_count", json{}).is_number_integer());
    CHECK(book.value("in_stock", json{}).is_boolean());
    if (book.value("in_stock", json{}).is_boolean()
        && book.value("stock_quantity", json{}).is_number_integer())
      CHECK(book["in_stock"].get<bool>()
            == (book["stock_quantity"].get<long long>() > 0));
  }
}

void check_cart_item_shape(const json& item) {
  INFO("cart item: " << item.dump());
  CHECK(keys_of(item)
        == std::set<std::string>{"id", "book_id", "quantity", "book"});
  CHECK(item.value("id", json{}).is_number_integer());
  CHECK(item.value("book_id", json{}).is_number_integer());
  CHECK(item.value("quantity", json{}).is_number_integer());
  auto book = item.value("book", json{});
  CHECK(keys_of(book)
        == std::set<std::string>{"id", "title", "author", "price",
                                 "cover_image_url"});
  CHECK(book.value("id", json{}) == item.value("book_id", json{}));
  CHECK(is_money(book.value("price", json{})));
}

void check_order_shape(const json& order) {
  INFO("order: " << order.dump());
  CHECK(keys_of(order)
        == std::set<std::string>{"id", "status", "created_at", "items",
                                 "total_price"});
  CHECK(order.value("id", json{}).is_number_integer());
  CHECK(order.value("status", json{}).is_string());
  CHECK(is_utc_timestamp(order.value("created_at", json{})));
  CHECK(is_money(order.value("total_price", json{})));
  auto items = order.value("items", json{});
  REQUIRE(items.is_array());
  long long sum = 0;
  bool all_money = is_money(order.value("total_price", json{}));
  for (auto& item : items) {
    CHECK(keys_of(item)
          == std::set<std::string>{"id", "book_id", "quantity", "unit_price",
                                   "book"});
    CHECK(item.value("id", json{}).is_number_integer());
    CHECK(item.value("book_id", json{}).is_number_integer());
    CHECK(item.value("quantity", json{}).is_number_integer());
    CHECK(is_money(item.value("unit_price", json{})));
    auto book = item.value("book", json{});
    CHECK(keys_of(book)
          == std::set<std::string>{"id", "title", "author", "cover_image_url",
                                   "price"});
    CHECK(book.value("id", json{}) == item.value("book_id", json{}));
    CHECK(is_money(book.value("price", json{})));
    if (is_money(item.value("unit_price", json{}))
        && item.value("quantity", json{}).is_number_integer())
      sum += cents(item["unit_price"]) * item["quantity"].get<long long>();
    else
      all_money = false;
  }
  if (all_money)
    CHECK(cents(order["total_price"]) == sum);
}

} // namespace e2e
