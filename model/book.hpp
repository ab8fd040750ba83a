#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "model/money.hpp"
#include "model/rating.hpp"

namespace bookstore::model {

using book_id = std::int64_t;
using genre_id = std::int64_t;

constexpr std::int64_t max_stock = 2147483647;

/// A catalog entry as API.md's Book. `stock_quantity` is the durable stock
/// (`on_hand`); reservations in flight are not part of it.
struct book {
  book_id id = 0;
  std::string title;
  std::string author;
  cents price = 0;
  std::optional<std::string> isbn;
  std::optional<genre_id> genre;
  std::optional<std::string> description;
  std::optional<std::string> cover_image_url;
  std::optional<std::string> publish_date; // YYYY-MM-DD
  std::int64_t stock_quantity = 0;
  /// The live reviews' ratings (kept by the store; GET /books/{id} shows
  /// their mean and count).
  rating_totals rating;
};

/// The fields PUT /books/{id} sends; an absent field keeps its value. For the
/// nullable fields, an engaged outer optional holding nothing sets null.
struct book_patch {
  std::optional<std::string> title;
  std::optional<std::string> author;
  std::optional<cents> price;
  std::optional<std::optional<std::string>> isbn;
  std::optional<std::optional<genre_id>> genre;
  std::optional<std::optional<std::string>> description;
  std::optional<std::optional<std::string>> cover_image_url;
  std::optional<std::optional<std::string>> publish_date;
  // In a cluster, the token under which the node `isbn` hashes to let this
  // book take it (gateway/api/isbn_claims.hpp); empty if none was needed.
  std::string isbn_claim;
};

struct genre {
  genre_id id = 0;
  std::string name;
};

/// Checks a new book (title 1..500, author 1..255 code points, price
/// 0.01..1,000,000.00, valid ISBN, valid publish date, stock 0..max) and
/// normalizes its ISBN. Returns the first violation or none.
failure validate_new_book(book& draft);

/// Applies `patch` to `target` after the same checks as a new book.
failure apply_patch(book& target, const book_patch& patch);

/// True if `quantity` is a valid absolute stock (0..2147483647).
bool valid_stock(std::int64_t quantity);

} // namespace bookstore::model
