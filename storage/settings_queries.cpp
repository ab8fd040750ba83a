// Named values kept across restarts, such as the generated JWT secret.

#include "storage/queries.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

std::optional<std::string> get_setting(database& db, const std::string& key) {
  auto& stmt =
      db.conn().cached("SELECT value FROM settings WHERE key = ?").bind(1, key);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return stmt.column_text(0);
}

void put_setting(database& db, const std::string& key,
                 const std::string& value) {
  db.conn()
      .cached("INSERT INTO settings (key, value) VALUES (?, ?)"
              " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

} // namespace bookstore::storage
