#pragma once

// The storage API in one include: the domain modules (catalog, carts,
// orders, accounts), and refresh tokens, idempotency records, settings and
// admin reports declared here. Free functions over a database&; prepared
// statements only; SQL text is fixed, values are bound.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/order.hpp"
#include "storage/accounts.hpp"
#include "storage/cart_queries.hpp"
#include "storage/catalog_queries.hpp"
#include "storage/database.hpp"
#include "storage/order_queries.hpp"

namespace bookstore::storage {

// -- refresh tokens -----------------------------------------------------------

struct refresh_token_record {
  std::int64_t id = 0;
  model::user_id user = 0;
  std::string family;
  std::int64_t expires_at = 0; // unix seconds
  bool revoked = false;
};

void insert_refresh_token(database& db, model::user_id user,
                          const std::string& token_hash,
                          const std::string& family, std::int64_t expires_at);
std::optional<refresh_token_record>
find_refresh_token(database& db, const std::string& token_hash);
void revoke_refresh_token(database& db, std::int64_t id);
void revoke_token_family(database& db, const std::string& family);
/// What rotating a refresh token gave: the new token is stored (rotated),
/// the old one was already revoked (reused: its whole family is revoked
/// now), it is unknown or expired (invalid), or it is a live token of a
/// deactivated account (inactive).
enum class rotation_status : std::uint8_t {
  rotated,
  reused,
  invalid,
  inactive
};

struct rotation {
  rotation_status status = rotation_status::invalid;
  user_record user; // the token's owner when rotated
};

/// A refresh: the presented token's hash, its successor's, the time of the
/// request and the successor's expiry (unix seconds).
struct rotation_request {
  std::string old_hash;
  std::string new_hash;
  std::int64_t now = 0;
  std::int64_t expires_at = 0;
};

/// Checks the old token and, if it is live, revokes it and stores the new
/// one in its family, all in one savepoint (its own transaction when none is
/// open): two refreshes with one token can never both succeed.
rotation rotate_refresh_token(database& db, const rotation_request& request);

/// Deletes up to `limit` tokens that expired at or before `now`, revoked or
/// not (an expired token is refused whatever it was; revoked ones that have
/// not expired stay, for reuse detection). Returns how many went.
std::int64_t purge_refresh_tokens(database& db, std::int64_t now,
                                  std::int64_t limit);

// -- idempotency records ------------------------------------------------------

struct idempotency_record {
  int status = 0;
  std::string body;            // empty: a crash came before it was added
  std::int64_t created_at = 0; // unix seconds
  model::order_id order = 0;   // a 201's order, replayed as it is now
};

/// The record of (user, key) created at or after `not_before`.
std::optional<idempotency_record> find_idempotency(database& db,
                                                   model::user_id user,
                                                   const std::string& key,
                                                   std::int64_t not_before);
/// Inserts or replaces the record of (user, key).
void put_idempotency(database& db, model::user_id user, const std::string& key,
                     const idempotency_record& record);
/// Records that (user, key) created `order` at `created_at`, still without
/// a body; called inside the transaction that inserts the order. Purges
/// expired records first.
void record_order_outcome(database& db, model::user_id user,
                          const std::string& key, model::order_id order,
                          std::int64_t created_at);
/// Deletes records created before `before`.
void purge_idempotency(database& db, std::int64_t before);

// -- settings (e.g. the generated JWT secret) --------------------------------

std::optional<std::string> get_setting(database& db, const std::string& key);
void put_setting(database& db, const std::string& key,
                 const std::string& value);

// -- admin reports ------------------------------------------------------------

struct sales_summary {
  std::string period; // "today", "week" or "month"
  model::cents revenue = 0;
  std::int64_t order_count = 0;
  model::cents aov = 0; // average order value, rounded half up
  std::optional<double> delta_percentage; // vs the previous period
  model::cents previous_revenue = 0;      // what the delta compares with
};

/// The summary of `period` from its sums: aov and delta_percentage are
/// computed from revenue, order_count and previous_revenue (a cluster adds
/// up its nodes' sums and computes these once).
sales_summary summary_of(const std::string& period, model::cents revenue,
                         std::int64_t order_count,
                         model::cents previous_revenue);

/// Confirmed orders of the period that contains `now` (UTC): today since
/// midnight, week since Monday, month since the 1st; the previous period is
/// the one just before.
sales_summary summarize_sales(database& db, const std::string& period,
                              std::chrono::system_clock::time_point now);

struct top_book {
  model::book_id book = 0;
  std::string title;
  std::string author;
  model::cents total_revenue = 0;
  std::int64_t units_sold = 0;
};

/// Best sellers by revenue or by units, at most `limit`: of all time, or of
/// the current `period` ("today", "week", "month", as summarize_sales) up to
/// `now`.
std::vector<top_book> top_books(database& db, bool by_revenue, int limit,
                                const std::string& period = "",
                                std::chrono::system_clock::time_point now =
                                    std::chrono::system_clock::now());

struct low_stock_item {
  model::book_id book = 0;
  std::string title;
  std::string author;
  std::int64_t current_stock = 0;
};

/// Live books with stock <= threshold, lowest stock first (then id).
std::vector<low_stock_item> low_stock(database& db, std::int64_t threshold);

/// What every book sold in this file's confirmed orders (of all time, or of
/// the current `period` up to `now`), by book id, without title or author:
/// this node's part of a cluster's best sellers, whose books may live on
/// any node (their owners tell which are live, and their titles).
std::vector<top_book> book_sales(database& db, const std::string& period = "",
                                 std::chrono::system_clock::time_point now =
                                     std::chrono::system_clock::now());

} // namespace bookstore::storage
