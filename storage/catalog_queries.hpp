#pragma once

// The catalog: genres, books and the book search (GET /books). Books are
// soft-deleted: a deleted book stays in the table for the orders and carts
// that refer to it, but is no longer found, updated or counted against ISBN
// uniqueness. Writes run in the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/book.hpp"
#include "model/order.hpp" // book_summary
#include "storage/database.hpp"
#include "storage/sort_order.hpp"

namespace bookstore::storage {

class statement; // storage/sqlite.hpp

// -- genres -------------------------------------------------------------------

/// Keeps another node's genre with its id and name; nothing if this file
/// has a genre with that id or that name already.
void keep_genre(database& db, const model::genre& genre);
model::genre insert_genre(database& db, const std::string& name); // unique
std::vector<model::genre> list_genres(database& db);
bool genre_exists(database& db, model::genre_id id);

// -- books --------------------------------------------------------------------

/// Inserts a book with the given stock; returns it with its id. Duplicate
/// ISBN throws unique; unknown genre throws foreign_key.
model::book insert_book(database& db, const model::book& draft);
/// A book that exists and is not deleted.
std::optional<model::book> find_book(database& db, model::book_id id);
/// Writes every field but the id and the stock.
void update_book(database& db, const model::book& book);
/// Marks the book deleted (orders and carts keep referring to it); false if
/// there was no such live book.
bool delete_book(database& db, model::book_id id);
/// stock_quantity = stock_quantity + delta: never an absolute overwrite.
void add_stock(database& db, model::book_id id, std::int64_t delta);
/// The summary of book `id` shown beside an order line, a cart line or a
/// wishlist item: four columns of a joined row from `first` on, in the order
/// title, author, cover_image_url, price_cents.
model::book_summary read_book_summary(const statement& stmt, int first,
                                      model::book_id id);

// -- search (GET /books) ------------------------------------------------------

enum class book_sort { title, price, date, created_at, avg_rating };

struct book_query {
  std::int64_t page = 1;  // >= 1
  std::int64_t size = 20; // 1..100
  std::string q;          // words; each must prefix a word of title or author
  std::string author;     // case-insensitive substring; % and _ are literal
  std::optional<model::cents> min_price;
  std::optional<model::cents> max_price;
  std::optional<model::genre_id> genre;
  // None: by relevance (best first, as the original does whenever q is
  // given) when q has a searchable word, else by id. Ties go by id.
  std::optional<book_sort> sort;
  bool descending = false; // ignored by the relevance order
  // Nonzero: the first `window` matches instead of page and size, each with
  // its sort value (book_page::keys): a cluster node's part of a listing
  // that the receiving node merges with the other nodes' parts.
  std::int64_t window = 0;
};

struct book_page {
  std::vector<model::book> items;
  std::int64_t total = 0; // matches over all pages
  /// With book_query::window: each item's sort value, and their order.
  std::vector<sort_value> keys;
  page_order order;
};

book_page search_books(database& db, const book_query& query);

/// The catalog_version table's number: it grows with every change that can
/// alter which books a search finds or in what order (not with stock).
std::int64_t catalog_version(database& db);

/// The listed books (as search_books gives them) with these ids, in this
/// order; an id with no live book is left out.
std::vector<model::book> books_by_ids(database& db,
                                      const std::vector<model::book_id>& ids);

} // namespace bookstore::storage
