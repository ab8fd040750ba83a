// Reviews: a row keeps what it shows of its author (written once, from the
// author's file) and reads join its book, which lives in the same file;
// writes touch reviews only, and the schema's triggers keep
// books.rating_sum/rating_count in step.

#include "storage/review_queries.hpp"

#include <algorithm>
#include <limits>

#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

review_record read_review(const statement& stmt) {
  review_record r;
  r.id = stmt.column_int(0);
  r.book = stmt.column_int(1);
  r.user = stmt.column_int(2);
  r.rating = stmt.column_int(3);
  r.text = stmt.column_optional_text(4);
  r.created_at = stmt.column_int(5);
  r.updated_at = stmt.column_int(6);
  r.author_email = stmt.column_text(7);
  r.book_title = stmt.column_text(8);
  r.book_cover = stmt.column_optional_text(9);
  r.verified_purchase = stmt.column_int(10) != 0;
  return r;
}

/// (page - 1) * size, or nothing when that page is past any real total.
std::optional<std::int64_t> offset_of(std::int64_t page, std::int64_t size,
                                      std::int64_t total) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (page - 1 > max / size || (page - 1) * size >= total)
    return std::nullopt;
  return (page - 1) * size;
}

/// Binds ?1 to ?4 of the moderation list's filters (NULL when absent).
void bind_review_filter(statement& stmt, const review_filter& filter) {
  stmt.bind(1, filter.book);
  stmt.bind(2, filter.user);
  stmt.bind(3, filter.rating_min);
  stmt.bind(4, filter.rating_max);
}

/// The live reviews the moderation list's filters match, over all pages.
std::int64_t count_reviews(database& db, const review_filter& filter) {
  auto& count = db.conn().cached(
      "SELECT count(*) FROM reviews r WHERE r.deleted_at IS NULL"
      " AND (?1 IS NULL OR r.book_id = ?1)"
      " AND (?2 IS NULL OR r.user_id = ?2)"
      " AND (?3 IS NULL OR r.rating >= ?3)"
      " AND (?4 IS NULL OR r.rating <= ?4)");
  reset_on_exit done(count);
  bind_review_filter(count, filter);
  count.step();
  return count.column_int(0);
}

} // namespace

std::optional<review_record> find_review(database& db, model::review_id id) {
  auto& stmt =
      db.conn()
          .cached("SELECT r.id, r.book_id, r.user_id, r.rating, r.text,"
                  " r.created_at, r.updated_at, r.author_email, b.title,"
                  " b.cover_image_url, r.verified_purchase"
                  " FROM reviews r JOIN books b ON b.id = r.book_id"
                  " WHERE r.id = ? AND r.deleted_at IS NULL")
          .bind(1, id);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return read_review(stmt);
}

std::optional<review_key> review_of(database& db, model::user_id user,
                                    model::book_id book) {
  auto& stmt = db.conn()
                   .cached("SELECT id, deleted_at IS NOT NULL FROM reviews"
                           " WHERE user_id = ? AND book_id = ?")
                   .bind(1, user)
                   .bind(2, book);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return review_key{stmt.column_int(0), stmt.column_int(1) != 0};
}

std::optional<review_author> review_author_of(database& db, model::user_id user,
                                              model::book_id book) {
  auto& stmt = db.conn()
                   .cached("SELECT u.email, EXISTS (SELECT 1 FROM orders o"
                           " JOIN order_items i ON i.order_id = o.id"
                           " WHERE o.user_id = u.id AND i.book_id = ?2"
                           " AND o.status = 'confirmed')"
                           " FROM users u WHERE u.id = ?1")
                   .bind(1, user)
                   .bind(2, book);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return std::nullopt;
  return review_author{stmt.column_text(0), stmt.column_int(1) != 0};
}

model::review_id insert_review(database& db, model::user_id user,
                               const review_author& author, model::book_id book,
                               std::int64_t rating,
                               const std::optional<std::string>& text,
                               std::int64_t now) {
  auto id = db.next_id(id_table::reviews);
  db.conn()
      .cached("INSERT INTO reviews (id, user_id, book_id, rating, text,"
              " created_at, updated_at, author_email, verified_purchase)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, user)
      .bind(3, book)
      .bind(4, rating)
      .bind(5, text)
      .bind(6, now)
      .bind(7, now)
      .bind(8, author.email)
      .bind(9, std::int64_t{author.purchased})
      .run();
  return id;
}

bool update_review(database& db, model::review_id id,
                   const model::review_patch& patch, std::int64_t now) {
  // ?2 / ?3: whether rating / text change; the values are ?4 / ?5.
  db.conn()
      .cached("UPDATE reviews SET"
              " rating = CASE WHEN ?2 THEN ?4 ELSE rating END,"
              " text = CASE WHEN ?3 THEN ?5 ELSE text END,"
              " updated_at = max(?6, updated_at + 1)"
              " WHERE id = ?1 AND deleted_at IS NULL")
      .bind(1, id)
      .bind(2, std::int64_t{patch.rating.has_value()})
      .bind(3, std::int64_t{patch.text.has_value()})
      .bind(4, patch.rating.value_or(0))
      .bind(5, patch.text ? *patch.text : std::nullopt)
      .bind(6, now)
      .run();
  return db.conn().changes() > 0;
}

bool soft_delete_review(database& db, model::review_id id, std::int64_t now) {
  db.conn()
      .cached("UPDATE reviews SET deleted_at = ?"
              " WHERE id = ? AND deleted_at IS NULL")
      .bind(1, now)
      .bind(2, id)
      .run();
  return db.conn().changes() > 0;
}

std::int64_t soft_delete_book_reviews(database& db, model::book_id book,
                                      std::int64_t now) {
  db.conn()
      .cached("UPDATE reviews SET deleted_at = ?"
              " WHERE book_id = ? AND deleted_at IS NULL")
      .bind(1, now)
      .bind(2, book)
      .run();
  return db.conn().changes();
}

model::rating_totals book_rating(database& db, model::book_id book) {
  auto& stmt = db.conn()
                   .cached("SELECT rating_sum, rating_count, rating_version"
                           " FROM books WHERE id = ?")
                   .bind(1, book);
  reset_on_exit done(stmt);
  if (stmt.step() != step_result::row)
    return {};
  return {stmt.column_int(0), stmt.column_int(1), stmt.column_int(2)};
}

model::rating_totals recount_rating(database& db, model::book_id book) {
  auto& stmt = db.conn()
                   .cached("SELECT coalesce(sum(rating), 0), count(*)"
                           " FROM reviews"
                           " WHERE book_id = ? AND deleted_at IS NULL")
                   .bind(1, book);
  reset_on_exit done(stmt);
  stmt.step();
  return {stmt.column_int(0), stmt.column_int(1), 0};
}

review_page list_book_reviews(database& db, model::book_id book,
                              std::int64_t page, std::int64_t size) {
  page = std::max<std::int64_t>(page, 1);
  size = std::clamp<std::int64_t>(size, 1, 100);
  review_page result;
  {
    auto& count = db.conn()
                      .cached("SELECT count(*) FROM reviews"
                              " WHERE book_id = ? AND deleted_at IS NULL")
                      .bind(1, book);
    reset_on_exit done(count);
    count.step();
    result.total = count.column_int(0);
  }
  const auto offset = offset_of(page, size, result.total);
  if (!offset)
    return result;
  auto& rows =
      db.conn()
          .cached("SELECT r.id, r.book_id, r.user_id, r.rating, r.text,"
                  " r.created_at, r.updated_at, r.author_email, b.title,"
                  " b.cover_image_url, r.verified_purchase"
                  " FROM reviews r JOIN books b ON b.id = r.book_id"
                  " WHERE r.book_id = ? AND r.deleted_at IS NULL"
                  " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?")
          .bind(1, book)
          .bind(2, size)
          .bind(3, *offset);
  reset_on_exit done(rows);
  while (rows.step() == step_result::row)
    result.items.push_back(read_review(rows));
  return result;
}

review_page list_reviews(database& db, const review_filter& filter) {
  const std::int64_t page = std::max<std::int64_t>(filter.page, 1);
  // The decoder bounds a client's per_page by 100; a cluster's part asks
  // for the first page x per_page rows (routes_reviews.cpp).
  const std::int64_t size = std::max<std::int64_t>(filter.per_page, 1);
  review_page result;
  result.total = count_reviews(db, filter);
  const auto offset = offset_of(page, size, result.total);
  if (!offset)
    return result;
  // ?5: 1 sorts by rating, 0 by created_at; ?6: 1 ascending, -1 descending.
  auto& rows = db.conn().cached(
      "SELECT r.id, r.book_id, r.user_id, r.rating, r.text,"
      " r.created_at, r.updated_at, r.author_email, b.title,"
      " b.cover_image_url, r.verified_purchase"
      " FROM reviews r JOIN books b ON b.id = r.book_id"
      " WHERE r.deleted_at IS NULL"
      " AND (?1 IS NULL OR r.book_id = ?1)"
      " AND (?2 IS NULL OR r.user_id = ?2)"
      " AND (?3 IS NULL OR r.rating >= ?3)"
      " AND (?4 IS NULL OR r.rating <= ?4)"
      " ORDER BY (CASE WHEN ?5 THEN r.rating ELSE r.created_at END) * ?6,"
      " r.id DESC LIMIT ?7 OFFSET ?8");
  reset_on_exit done(rows);
  bind_review_filter(rows, filter);
  rows.bind(5, std::int64_t{filter.by_rating});
  rows.bind(6, std::int64_t{filter.descending ? -1 : 1});
  rows.bind(7, size);
  rows.bind(8, *offset);
  while (rows.step() == step_result::row)
    result.items.push_back(read_review(rows));
  return result;
}

} // namespace bookstore::storage
