// Refresh tokens, stored only as hashes. A revoked token is kept (not
// deleted) so that its reuse can be recognised and its family revoked, until
// it expires: then it is as invalid as an unknown one and can go.

#include "storage/queries.hpp"
#include "storage/sqlite.hpp"
#include "storage/transaction.hpp"

namespace bookstore::storage {

void insert_refresh_token(database& db, model::user_id user,
                          const std::string& token_hash,
                          const std::string& family, std::int64_t expires_at) {
  db.conn()
      .cached("INSERT INTO refresh_tokens (user_id, token_hash, family,"
              " expires_at) VALUES (?, ?, ?, ?)")
      .bind(1, user)
      .bind(2, token_hash)
      .bind(3, family)
      .bind(4, expires_at)
      .run();
}

std::optional<refresh_token_record>
find_refresh_token(database& db, const std::string& token_hash) {
  // Revoked and expired tokens are found too: the caller tells reuse
  // (revoked) from a plain invalid token.
  auto& stmt = db.conn()
                   .cached("SELECT id, user_id, family, expires_at, revoked"
                           " FROM refresh_tokens WHERE token_hash = ?")
                   .bind(1, token_hash);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  refresh_token_record record;
  record.id = stmt.column_int(0);
  record.user = stmt.column_int(1);
  record.family = stmt.column_text(2);
  record.expires_at = stmt.column_int(3);
  record.revoked = stmt.column_int(4) != 0;
  return record;
}

void revoke_refresh_token(database& db, std::int64_t id) {
  db.conn()
      .cached("UPDATE refresh_tokens SET revoked = 1 WHERE id = ?")
      .bind(1, id)
      .run();
}

void revoke_token_family(database& db, const std::string& family) {
  db.conn()
      .cached("UPDATE refresh_tokens SET revoked = 1"
              " WHERE family = ? AND revoked = 0")
      .bind(1, family)
      .run();
}

namespace {

/// The rotation's outcome before anything is written but the reuse
/// response, which revokes the presented token's family.
rotation check_rotation(database& db, const refresh_token_record& old,
                        std::int64_t now) {
  rotation result;
  if (old.expires_at <= now)
    return result; // invalid
  auto user = find_user(db, old.user);
  if (!user)
    return result;
  if (old.revoked) {
    revoke_token_family(db, old.family);
    result.status = rotation_status::reused;
  } else if (!user->active) {
    result.status = rotation_status::inactive;
  } else {
    result.status = rotation_status::rotated;
    result.user = *user;
  }
  return result;
}

} // namespace

rotation rotate_refresh_token(database& db, const rotation_request& request) {
  savepoint sp(db.conn());
  auto old = find_refresh_token(db, request.old_hash);
  if (!old)
    return {};
  auto result = check_rotation(db, *old, request.now);
  if (result.status == rotation_status::rotated) {
    revoke_refresh_token(db, old->id);
    insert_refresh_token(db, old->user, request.new_hash, old->family,
                         request.expires_at);
  }
  sp.release();
  return result;
}

std::int64_t purge_refresh_tokens(database& db, std::int64_t now,
                                  std::int64_t limit) {
  // A bounded batch, so one purge never holds the writer for long; the
  // caller comes back for more when a batch was full.
  db.conn()
      .cached("DELETE FROM refresh_tokens WHERE id IN (SELECT id FROM"
              " refresh_tokens WHERE expires_at <= ? LIMIT ?)")
      .bind(1, now)
      .bind(2, limit)
      .run();
  return db.conn().changes();
}

} // namespace bookstore::storage
