// A cluster's ISBN claims (isbn_claims.hpp).

#include "storage/isbn_claims.hpp"

#include "storage/sqlite.hpp"

namespace bookstore::storage {

std::optional<isbn_claim> find_isbn_claim(database& db,
                                          const std::string& isbn) {
  auto& stmt =
      db.conn()
          .cached("SELECT book_id, token FROM isbn_claims WHERE isbn = ?")
          .bind(1, isbn);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return isbn_claim{isbn, stmt.column_int(0), stmt.column_text(1)};
}

bool isbn_in_use(database& db, const std::string& isbn) {
  auto& stmt = db.conn()
                   .cached("SELECT 1 FROM books WHERE isbn = ? AND deleted = 0")
                   .bind(1, isbn);
  reset_on_exit done(stmt);
  return stmt.step() == step_result::row;
}

std::optional<isbn_claim> claim_isbn(database& db, const isbn_claim& wanted) {
  if (auto kept = find_isbn_claim(db, wanted.isbn))
    return kept;
  db.conn()
      .cached("INSERT INTO isbn_claims (isbn, book_id, token) VALUES (?, ?, ?)")
      .bind(1, wanted.isbn)
      .bind(2, wanted.book)
      .bind(3, wanted.token)
      .run();
  return std::nullopt;
}

void drop_isbn_claim(database& db, const std::string& isbn,
                     const std::string& token) {
  db.conn()
      .cached("DELETE FROM isbn_claims WHERE isbn = ? AND token = ?")
      .bind(1, isbn)
      .bind(2, token)
      .run();
}

bool settle_isbn_claim(database& db, const isbn_claim& claim) {
  auto& stmt = db.conn()
                   .cached("SELECT 1 FROM books WHERE id = ? AND isbn = ?"
                           " AND deleted = 0")
                   .bind(1, claim.book)
                   .bind(2, claim.isbn);
  bool holds = false;
  {
    reset_on_exit done(stmt);
    holds = stmt.step() == step_result::row;
  }
  if (!holds)
    db.conn()
        .cached("INSERT OR IGNORE INTO void_isbn_claims (token) VALUES (?)")
        .bind(1, claim.token)
        .run();
  return holds;
}

bool isbn_claim_void(database& db, const std::string& token) {
  auto& stmt = db.conn()
                   .cached("SELECT 1 FROM void_isbn_claims WHERE token = ?")
                   .bind(1, token);
  reset_on_exit done(stmt);
  return stmt.step() == step_result::row;
}

void forget_void_isbn_claims(database& db) {
  db.conn().exec("DELETE FROM void_isbn_claims");
}

} // namespace bookstore::storage
