#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/order.hpp"

namespace bookstore::storage {

/// Why a statement failed, as far as callers need to tell apart.
enum class failure_kind {
  unique,      // a UNIQUE constraint (duplicate ISBN, email, genre name)
  check,       // a CHECK constraint (stock below zero, bad quantity)
  foreign_key, // a FOREIGN KEY constraint (unknown user, book, genre)
  unavailable, // cannot write: read-only, I/O error, disk full, cannot open
  busy,        // locked by another connection for longer than the timeout
  interrupted, // ran past the deadline of a read_deadline
  other,
};

/// Every SQLite failure surfaces as this exception; `what()` never reaches a
/// client.
class error : public std::runtime_error {
public:
  error(failure_kind kind, int sqlite_code, const std::string& what)
      : std::runtime_error(what), kind_(kind), sqlite_code_(sqlite_code) {}
  failure_kind kind() const { return kind_; }
  int sqlite_code() const { return sqlite_code_; }

private:
  failure_kind kind_;
  int sqlite_code_;
};

struct user_record {
  model::user_id id = 0;
  std::string email; // as registered; compared case-insensitively
  std::string password_hash;
  std::string role;   // "user" or "admin"
  bool active = true; // false once an admin deactivated the account
};

struct open_options {
  bool read_only = false; // open without write access (the file must exist)
};

class connection;

/// The bookstore's tables behind typed functions, over one SQLite connection.
/// Not thread-safe: one owner at a time (the store actor). Every function
/// runs prepared statements only. Functions that write do not open their own
/// transaction: the caller groups them (see transaction and savepoint below).
class database {
public:
  /// Opens or creates the file, sets WAL, synchronous=FULL, foreign_keys=ON
  /// and a busy timeout, and migrates the schema to the newest version
  /// (PRAGMA user_version). ":memory:" gives a throwaway store.
  explicit database(const std::string& path, open_options options = {});
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  /// Schema version after migration.
  int schema_version();

  /// Makes every following write fail as on a read-only file (PRAGMA
  /// query_only), or allows writes again: the fault switch for tests.
  void set_query_only(bool on);

  // -- transactions ---------------------------------------------------------
  void begin();                 // BEGIN IMMEDIATE
  void commit();                // COMMIT
  void rollback();              // ROLLBACK; never throws
  void savepoint();             // SAVEPOINT op
  void release_savepoint();     // RELEASE op
  void rollback_to_savepoint(); // ROLLBACK TO op; RELEASE op; never throws

  // -- users ----------------------------------------------------------------
  /// Inserts a user; a duplicate email (any case) throws failure_kind::unique.
  user_record insert_user(const std::string& email,
                          const std::string& password_hash,
                          const std::string& role);
  std::optional<user_record> find_user(model::user_id id);
  std::optional<user_record> find_user_by_email(const std::string& email);
  /// Both also revoke every refresh token of the account (kept for reuse
  /// detection), in the caller's transaction: a promotion or a password
  /// reset ends the sessions opened before it.
  void set_user_role(model::user_id id, const std::string& role);
  void set_user_password(model::user_id id, const std::string& password_hash);

  // -- genres ---------------------------------------------------------------
  model::genre insert_genre(const std::string& name); // unique, any case
  std::vector<model::genre> list_genres();
  bool genre_exists(model::genre_id id);

  // -- books ----------------------------------------------------------------
  /// Inserts a book with the given stock; returns it with its id. Duplicate
  /// ISBN throws unique; unknown genre throws foreign_key.
  model::book insert_book(const model::book& draft);
  /// A book that exists and is not deleted.
  std::optional<model::book> find_book(model::book_id id);
  /// Writes every field but the id and the stock.
  void update_book(const model::book& book);
  /// Marks the book deleted (orders and carts keep referring to it); false if
  /// there was no such live book.
  bool delete_book(model::book_id id);
  /// stock_quantity = stock_quantity + delta: never an absolute overwrite.
  void add_stock(model::book_id id, std::int64_t delta);

  // -- carts ----------------------------------------------------------------
  /// The user's cart lines in insertion order (lines of deleted books too).
  std::vector<model::cart_line> load_cart(model::user_id owner);
  /// Adds a line and returns it with its id; the same book twice throws
  /// unique, an unknown user or book throws foreign_key.
  model::cart_line insert_cart_item(model::user_id owner, model::book_id book,
                                    std::int64_t quantity);
  void update_cart_item(model::cart_item_id item, std::int64_t quantity);
  void delete_cart_item(model::cart_item_id item);

  // -- orders ---------------------------------------------------------------
  /// Inserts the order and its lines (unit price, title and author as
  /// sold), decrements each line's book stock by its quantity (a delta) and
  /// deletes the sold cart items. The caller wraps all of it in one
  /// transaction. Returns the order with its ids.
  model::order insert_order(model::user_id owner,
                            const std::vector<model::order_line>& lines,
                            const std::vector<model::cart_item_id>& sold_items,
                            const std::string& created_at);
  std::optional<model::order> find_order(model::order_id id);
  /// Up to `limit` orders with ids below `before`, newest first; all users'
  /// when `owner` is empty. The next page starts below the last id returned.
  std::vector<model::order> list_orders(std::optional<model::user_id> owner,
                                        model::order_id before,
                                        std::int64_t limit);

  /// The underlying connection, for query modules (storage/*_queries.hpp)
  /// that add functions over it. Same single-owner rule.
  connection& conn() { return *conn_; }

private:
  // Lets the storage tests inspect the connection (pragmas, statement cache)
  // without widening the public interface.
  friend struct database_test_access;

  std::unique_ptr<connection> conn_;
};

} // namespace bookstore::storage
