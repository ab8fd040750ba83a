// Admin users: listing, deactivation and reactivation (see accounts.hpp).

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

} // namespace

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
    conn.cached("UPDATE refresh_tokens SET revoked = 1"
                " WHERE user_id = ? AND revoked = 0")
        .bind(1, id)
        .run();
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
