// Users: accounts with a password hash and a role.

#include "storage/database.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

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

// A change of role or password ends every session of the account: a refresh
// token issued before it would otherwise carry on (and, after a promotion,
// mint admin access tokens for whoever registered the address first). Run
// by the caller's write, so in the same transaction as the change.
void revoke_all_refresh_tokens(connection& conn, model::user_id id) {
  conn.cached("UPDATE refresh_tokens SET revoked = 1"
              " WHERE user_id = ? AND revoked = 0")
      .bind(1, id)
      .run();
}

} // namespace

user_record database::insert_user(const std::string& email,
                                  const std::string& password_hash,
                                  const std::string& role) {
  conn_
      ->cached(
          "INSERT INTO users (email, password_hash, role) VALUES (?, ?, ?)")
      .bind(1, email)
      .bind(2, password_hash)
      .bind(3, role)
      .run();
  return user_record{conn_->last_insert_rowid(), email, password_hash, role};
}

std::optional<user_record> database::find_user(model::user_id id) {
  return read_user(conn_->cached(select_user_by_id).bind(1, id));
}

std::optional<user_record>
database::find_user_by_email(const std::string& email) {
  return read_user(conn_->cached(select_user_by_email).bind(1, email));
}

void database::set_user_role(model::user_id id, const std::string& role) {
  conn_->cached("UPDATE users SET role = ? WHERE id = ?")
      .bind(1, role)
      .bind(2, id)
      .run();
  revoke_all_refresh_tokens(*conn_, id);
}

void database::set_user_password(model::user_id id,
                                 const std::string& password_hash) {
  conn_->cached("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(1, password_hash)
      .bind(2, id)
      .run();
  revoke_all_refresh_tokens(*conn_, id);
}

} // namespace bookstore::storage
