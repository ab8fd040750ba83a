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
                   .cached("SELECT status, body, created_at, order_id"
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
  record.order = stmt.is_null(3) ? 0 : stmt.column_int(3);
  return record;
}

void put_idempotency(database& db, model::user_id user, const std::string& key,
                     const idempotency_record& record) {
  // REPLACE: an expired record not yet purged must not block a new outcome
  // for the same key.
  db.conn()
      .cached("INSERT OR REPLACE INTO idempotency_records"
              " (user_id, key, status, body, created_at, order_id)"
              " VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, user)
      .bind(2, key)
      .bind(3, std::int64_t{record.status})
      .bind(4, record.body)
      .bind(5, record.created_at)
      .bind(6, record.order == 0 ? std::nullopt
                                 : std::optional<std::int64_t>{record.order})
      .run();
}

void record_order_outcome(database& db, model::user_id user,
                          const std::string& key, model::order_id order,
                          std::int64_t created_at) {
  constexpr std::int64_t window = 24 * 3600; // API.md: stored for 24 hours
  purge_idempotency(db, created_at - window);
  idempotency_record record;
  record.status = 201;
  record.created_at = created_at;
  record.order = order;
  put_idempotency(db, user, key, record);
}

void purge_idempotency(database& db, std::int64_t before) {
  db.conn()
      .cached("DELETE FROM idempotency_records WHERE created_at < ?")
      .bind(1, before)
      .run();
}

} // namespace bookstore::storage
