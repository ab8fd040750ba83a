#pragma once

// Shared steps and shape checks of the black-box tests. The functions that
// assert (REQUIRE/CHECK) run on the test's own thread only; the try_*
// functions never assert and are the ones worker threads use.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server_process.hpp"

namespace e2e {

using json = nlohmann::json;

// ---- unique names (one server per test file: data accumulates) ----------

/// Digits, unique within this test program: "<pid>n<counter>".
std::string unique_suffix();
/// Letters only (a search word), unique within this test program.
std::string unique_word();
/// "<prefix>.<suffix>@example.com".
std::string unique_email(std::string_view prefix = "user");
/// A valid ISBN-13 (978 prefix, right check digit), unique per program.
std::string unique_isbn13();

// ---- accounts ----------------------------------------------------------

struct account {
  std::string email;
  std::string password;
  std::string access_token;
  std::string refresh_token;
  std::string id; // the JWT's sub
};

/// True for 503 AUTH_BUSY: the server's password hashing queue was full.
bool is_auth_busy(const response& r);
/// POST to /auth/register or /auth/login, again while the answer is 503
/// AUTH_BUSY (for up to 60 s). No assertion.
response post_auth(http_client& c, const std::string& target, const json& body);

/// POST /auth/register with a fresh email; REQUIREs 201.
account register_user(http_client& c, std::string_view prefix = "user");
/// Same without assertions (worker threads); nothing unless 201.
std::optional<account> try_register(http_client& c,
                                    std::string_view prefix = "user");
/// POST /auth/login; REQUIREs 200 and returns the access token.
std::string login(http_client& c, const std::string& email,
                  const std::string& password);
/// The admin's access token for the server on c.port() (logged in once).
std::string admin_token(http_client& c);

// ---- catalog, cart, orders ---------------------------------------------

/// {"title": ..., "author": ..., "price": ...} with unique defaults.
json book_fields(std::string title = {}, std::string author = {},
                 std::string price = "9.99");
/// POST /books (REQUIREs 201); then PATCH .../stock when `stock` is given
/// (REQUIREs 200). Returns the last Book answered.
json create_book(http_client& c, const std::string& admin, const json& fields,
                 std::optional<long long> stock = std::nullopt);
/// A book with a unique title and the given stock and price.
json stocked_book(http_client& c, const std::string& admin, long long stock,
                  const std::string& price = "9.99");
/// PATCH /books/{id}/stock; REQUIREs 200.
json set_stock(http_client& c, const std::string& admin, std::int64_t id,
               long long quantity);
/// GET /books/{id}; REQUIREs 200 and returns stock_quantity.
long long book_stock(http_client& c, std::int64_t id);
/// POST /cart/items; REQUIREs 201 and returns the cart item.
json add_to_cart(http_client& c, const std::string& token, std::int64_t book_id,
                 int quantity = 1);
/// GET /cart; REQUIREs 200.
json get_cart(http_client& c, const std::string& token);
/// POST /orders/checkout with {} or {"force_payment_failure": true} and an
/// optional Idempotency-Key. No assertion.
response checkout(http_client& c, const std::string& token,
                  bool force_payment_failure = false,
                  const std::string& idempotency_key = {});
/// GET /orders; REQUIREs 200.
json list_orders(http_client& c, const std::string& token);

/// Runs fn(0) .. fn(n - 1) on n threads released together (a start
/// barrier), and waits for all. fn must not use Catch assertions.
void run_concurrently(int n, const std::function<void(int)>& fn);

// ---- tokens -------------------------------------------------------------

/// The decoded header / payload of a compact JWT (REQUIREs it decodes).
json jwt_header(const std::string& token);
json jwt_payload(const std::string& token);
/// An HS256 token signed with `secret` (the server's by default).
std::string forge_token(const std::string& sub, const std::string& role,
                        std::int64_t iat, std::int64_t exp,
                        const std::string& secret = secret_key,
                        const std::string& jti = "forged-jti");
std::int64_t unix_now();

// ---- shapes -------------------------------------------------------------

std::set<std::string> keys_of(const json& object);
/// A JSON string with digits, a dot and exactly two decimals: "14.99".
bool is_money(const json& v);
/// The cents of a money string (REQUIREs is_money).
long long cents(const json& v);
/// "YYYY-MM-DDTHH:MM:SS[.frac]Z".
bool is_utc_timestamp(const json& v);

/// Status line, headers and the start of the body, for INFO().
std::string describe(const response& r);

/// CHECKs the error contract: status, JSON body {"detail", "code"[,
/// "field"][, "items"]}, the code, a string detail (a list of {loc, msg}
/// for VALIDATION_ERROR), and nothing leaked.
void check_error(const response& r, int status, std::string_view code);
/// check_error(r, 422, "VALIDATION_ERROR").
void check_validation_error(const response& r);
/// True if some loc of a VALIDATION_ERROR detail names `field`.
bool validation_mentions(const response& r, std::string_view field);
/// CHECKs the token pair {access_token, refresh_token, token_type}.
void check_token_pair(const response& r, int status);
/// Book keys exactly (with_in_stock: GET /books/{id}).
void check_book_shape(const json& book, bool with_in_stock);
void check_cart_item_shape(const json& item);
void check_order_shape(const json& order);

} // namespace e2e

#define E2E_STATUS_(macro, resp, expected)                                     \
  do {                                                                         \
    const auto& e2e_r_ = (resp);                                               \
    INFO(::e2e::describe(e2e_r_));                                             \
    macro(e2e_r_.status == (expected));                                        \
  } while (false)

/// REQUIRE / CHECK a status, showing the whole response when it fails.
#define REQUIRE_STATUS(resp, expected) E2E_STATUS_(REQUIRE, resp, expected)
#define CHECK_STATUS(resp, expected) E2E_STATUS_(CHECK, resp, expected)
