// Stored outcomes of checkouts by Idempotency-Key, per user.

#include "storage/queries.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

std::optional<idempotency_record> find_idempotency(database& db,
                                                   model::user_id user,
                                                   const std::string& key,
                                                   std::int64_t not_before) {
  // An expired record is ignored here even before a purge removes it.
  auto& stmt = db.conn()
                   .cached("SELECT status, body, created_at"
                           " FROM idempotency_records"
                           " WHERE user_id = ? AND key = ? AND created_at >= ?")
                   .bind(1, user)
                   .bind(2, key)
                   .bind(3, not_before);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  idempotency_record record;
  record.status = static_cast<int>(stmt.column_int(0));
  record.body = stmt.column_text(1);
  record.created_at = stmt.column_int(2);
  return record;
}

void put_idempotency(database& db, model::user_id user, const std::string& key,
                     const idempotency_record& record) {
  // REPLACE: an expired record not yet purged must not block a new outcome
  // for the same key.
  db.conn()
      .cached("INSERT OR REPLACE INTO idempotency_records"
              " (user_id, key, status, body, created_at)"
              " VALUES (?, ?, ?, ?, ?)")
      .bind(1, user)
      .bind(2, key)
      .bind(3, std::int64_t{record.status})
      .bind(4, record.body)
      .bind(5, record.created_at)
      .run();
}

void purge_idempotency(database& db, std::int64_t before) {
  db.conn()
      .cached("DELETE FROM idempotency_records WHERE created_at < ?")
      .bind(1, before)
      .run();
}

} // namespace bookstore::storage
