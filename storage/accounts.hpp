#pragma once

// Accounts: users with a password hash and a role, the admin listing, and
// deactivation / reactivation. Prepared statements only; SQL text is fixed,
// values are bound. Writes run in the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/cart.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

/// A user as authentication needs it.
struct user_record {
  model::user_id id = 0;
  std::string email; // as registered; compared case-insensitively
  std::string password_hash;
  std::string role;   // "user" or "admin"
  bool active = true; // false once an admin deactivated the account
};

/// Inserts a user; a duplicate email (any case) throws failure_kind::unique.
user_record insert_user(database& db, const std::string& email,
                        const std::string& password_hash,
                        const std::string& role);
std::optional<user_record> find_user(database& db, model::user_id id);
std::optional<user_record> find_user_by_email(database& db,
                                              const std::string& email);
/// Both also revoke every refresh token of the account (kept for reuse
/// detection), in the caller's transaction: a promotion or a password
/// reset ends the sessions opened before it.
void set_user_role(database& db, model::user_id id, const std::string& role);
void set_user_password(database& db, model::user_id id,
                       const std::string& password_hash);

// -- admin listing ------------------------------------------------------------

/// An account as the admin listing shows it (never its password hash).
struct account {
  model::user_id id = 0;
  std::string email;
  std::string role; // "user" or "admin"
  bool active = true;
  std::string created_at; // ISO 8601 UTC
};

struct account_filter {
  std::int64_t page = 1;      // >= 1
  std::int64_t per_page = 20; // 1..100
  std::string role;           // "user", "admin", or empty: any
  std::int8_t active = -1;    // 1 active, 0 inactive, -1 any
};

struct account_page {
  std::vector<account> items;
  std::int64_t total = 0; // matches over all pages
};

/// Accounts matching `filter`, newest first (ties: id desc).
account_page list_accounts(database& db, const account_filter& filter);

std::optional<account> find_account(database& db, model::user_id id);

/// Sets whether the account is active; returns whether it changed. Making
/// an account inactive also revokes every refresh token it has, in the
/// caller's transaction (the same write).
bool set_account_active(database& db, model::user_id id, bool active);

/// Every account's id and whether it is active, in id order: what the
/// account directory loads at start.
std::vector<std::pair<model::user_id, bool>> account_states(database& db);

} // namespace bookstore::storage
