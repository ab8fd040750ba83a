// Accounts (accounts.hpp): users, the admin listing, deactivation and
// reactivation.

#include "storage/accounts.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

// Optional filters as "?1 IS NULL OR column = ?1" pairs, so the SQL text is
// fixed and every value is bound.
void bind_filter(statement& stmt, const account_filter& filter) {
  if (filter.role.empty())
    stmt.bind(1, std::nullopt);
  else
    stmt.bind(1, filter.role);
  if (filter.active < 0)
    stmt.bind(2, std::nullopt);
  else
    stmt.bind(2, std::int64_t{filter.active});
}

account read_account(const statement& stmt) {
  return account{stmt.column_int(0), stmt.column_text(1), stmt.column_text(2),
                 stmt.column_int(3) != 0, stmt.column_text(4)};
}

constexpr const char* select_user_by_id =
    "SELECT id, email, password_hash, role, is_active FROM users"
    " WHERE id = ?";

// The column is COLLATE NOCASE, so `=` compares emails case-insensitively.
constexpr const char* select_user_by_email =
    "SELECT id, email, password_hash, role, is_active FROM users"
    " WHERE email = ?";

std::optional<user_record> read_user(statement& stmt) {
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return user_record{stmt.column_int(0), stmt.column_text(1),
                     stmt.column_text(2), stmt.column_text(3),
                     stmt.column_int(4) != 0};
}

// A change of role or password, or a deactivation, ends every session of the
// account: a refresh token issued before it would otherwise carry on (and,
// after a promotion, mint admin access tokens for whoever registered the
// address first). Run by the caller's write, so in the same transaction as
// the change.
void revoke_all_refresh_tokens(connection& conn, model::user_id id) {
  conn.cached("UPDATE refresh_tokens SET revoked = 1"
              " WHERE user_id = ? AND revoked = 0")
      .bind(1, id)
      .run();
}

} // namespace

user_record insert_user(database& db, const std::string& email,
                        const std::string& password_hash,
                        const std::string& role) {
  auto id = db.next_id(id_table::users);
  db.conn()
      .cached("INSERT INTO users (id, email, password_hash, role)"
              " VALUES (?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, email)
      .bind(3, password_hash)
      .bind(4, role)
      .run();
  return user_record{id, email, password_hash, role};
}

std::optional<user_record> find_user(database& db, model::user_id id) {
  return read_user(db.conn().cached(select_user_by_id).bind(1, id));
}

std::optional<user_record> find_user_by_email(database& db,
                                              const std::string& email) {
  return read_user(db.conn().cached(select_user_by_email).bind(1, email));
}

void set_user_role(database& db, model::user_id id, const std::string& role) {
  db.conn()
      .cached("UPDATE users SET role = ? WHERE id = ?")
      .bind(1, role)
      .bind(2, id)
      .run();
  revoke_all_refresh_tokens(db.conn(), id);
}

void set_user_password(database& db, model::user_id id,
                       const std::string& password_hash) {
  db.conn()
      .cached("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(1, password_hash)
      .bind(2, id)
      .run();
  revoke_all_refresh_tokens(db.conn(), id);
}

account_page list_accounts(database& db, const account_filter& filter) {
  account_page page;
  {
    auto& stmt = db.conn().cached(
        "SELECT count(*) FROM users WHERE (?1 IS NULL OR role = ?1)"
        " AND (?2 IS NULL OR is_active = ?2)");
    reset_on_exit done(stmt);
    bind_filter(stmt, filter);
    stmt.step();
    page.total = stmt.column_int(0);
  }
  auto& stmt = db.conn().cached(
      "SELECT id, email, role, is_active, created_at FROM users"
      " WHERE (?1 IS NULL OR role = ?1) AND (?2 IS NULL OR is_active = ?2)"
      " ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4");
  reset_on_exit done(stmt);
  bind_filter(stmt, filter);
  stmt.bind(3, filter.per_page);
  // page * per_page stays far from overflow: the gateway bounds page.
  stmt.bind(4, (filter.page - 1) * filter.per_page);
  while (stmt.step() == step_result::row)
    page.items.push_back(read_account(stmt));
  return page;
}

std::optional<account> find_account(database& db, model::user_id id) {
  auto& stmt = db.conn()
                   .cached("SELECT id, email, role, is_active, created_at"
                           " FROM users WHERE id = ?")
                   .bind(1, id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return read_account(stmt);
}

bool set_account_active(database& db, model::user_id id, bool active) {
  auto& conn = db.conn();
  conn.cached("UPDATE users SET is_active = ? WHERE id = ? AND is_active <> ?")
      .bind(1, std::int64_t{active ? 1 : 0})
      .bind(2, id)
      .bind(3, std::int64_t{active ? 1 : 0})
      .run();
  const bool changed = conn.changes() > 0;
  // Revoked even when nothing changed: a token issued to an inactive
  // account (none should exist) ends all the same.
  if (!active)
    revoke_all_refresh_tokens(conn, id);
  return changed;
}

std::vector<std::pair<model::user_id, bool>> account_states(database& db) {
  std::vector<std::pair<model::user_id, bool>> out;
  auto& stmt = db.conn().cached("SELECT id, is_active FROM users ORDER BY id");
  reset_on_exit done(stmt);
  while (stmt.step() == step_result::row)
    out.emplace_back(stmt.column_int(0), stmt.column_int(1) != 0);
  return out;
}

} // namespace bookstore::storage
