#pragma once

// Request decoders: raw body or query string in, a domain value or the list
// of pydantic-style field errors out (API.md's 422 VALIDATION_ERROR). Bodies
// are parsed without exceptions; unknown members and parameters are ignored,
// like pydantic's default.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/json/errors.hpp"
#include "model/book.hpp"
#include "storage/queries.hpp"

namespace bookstore::json {

/// A decoded value, or the reasons there is none.
template <class T> struct decoded {
  std::optional<T> value;
  field_errors errors;

  bool ok() const { return value.has_value() && errors.empty(); }
};

// -- auth
// ----------------------------------------------------------------------

struct credentials {
  std::string email; // lower-cased (ASCII): emails match case-insensitively
  std::string password;
};

/// POST /auth/register (`registering`: a valid email, password 8..128
/// characters) and POST /auth/login (two strings, email <= 254 and password
/// <= 1024 characters; a wrong one is a 401 later, not a 422).
decoded<credentials> decode_credentials(std::string_view body,
                                        bool registering);

/// POST /auth/refresh and /auth/logout: `{"refresh_token": "..."}` (<= 512
/// characters).
decoded<std::string> decode_refresh_token(std::string_view body);

// -- catalog
// -------------------------------------------------------------------

/// POST /books: title, author and price required; isbn, genre_id,
/// description, cover_image_url and publish_date optional or null. Checked
/// with model::validate_new_book, so the ISBN comes back normalized; a blank
/// ISBN means none. Stock starts at 0 (a `stock_quantity` member is ignored).
decoded<model::book> decode_new_book(std::string_view body);

/// PUT /books/{id}: only the members sent; null clears a nullable field and
/// is an error for title, author and price.
decoded<model::book_patch> decode_book_patch(std::string_view body);

/// PATCH /books/{id}/stock: `{"quantity": 0..2147483647}`.
decoded<std::int64_t> decode_stock(std::string_view body);

/// POST /genres: `{"name": 1..100 characters}`, kept verbatim.
decoded<std::string> decode_genre(std::string_view body);

// -- cart and checkout
// ---------------------------------------------------------

struct cart_add {
  std::int64_t book_id = 0;
  std::int64_t quantity = 1;
};

/// POST /cart/items: book_id a positive integer, quantity 1..10000
/// (default 1).
decoded<cart_add> decode_cart_add(std::string_view body);

/// PUT /cart/items/{id}: `{"quantity": 1..10000}`.
decoded<std::int64_t> decode_cart_quantity(std::string_view body);

struct checkout_options {
  bool force_payment_failure = false;
};

/// POST /orders/checkout: an empty body, `{}` or
/// `{"force_payment_failure": bool}`.
decoded<checkout_options> decode_checkout(std::string_view body);

// -- query strings (raw, e.g. "page=2&q=du%20ne")
// ------------------------------

/// GET /books: page (>= 1, default 1), size (1..100, default 20), q,
/// author, min_price, max_price (money >= 0), genre_id, sort
/// (title|price|date|created_at, default title), sort_dir (asc|desc,
/// default asc). Errors at {"query", name}; a repeated parameter keeps its
/// last value.
decoded<storage::book_query> decode_book_query(std::string_view query);

/// GET /admin/sales/summary: period today|week|month, default "today".
decoded<std::string> decode_period(std::string_view query);

struct top_books_query {
  std::string sort_by = "revenue"; // "revenue" or "volume"
  int limit = 10;                  // 1..50
  std::string period;              // "today", "week", "month"; "": all time

  bool by_revenue() const { return sort_by == "revenue"; }
};

/// GET /admin/sales/top-books: sort_by revenue|volume (default revenue),
/// limit 1..50 (default 10), period today|week|month (default all time).
decoded<top_books_query> decode_top_books(std::string_view query);

/// GET /admin/inventory/low-stock: threshold >= 0, default 10.
decoded<std::int64_t> decode_threshold(std::string_view query);

// -- path
// ----------------------------------------------------------------------

/// A path id: ASCII digits only (leading zeros allowed, as the original's
/// int path parameters allowed them), value 1..2^63-1; else nothing.
std::optional<std::int64_t> parse_path_id(std::string_view text);

} // namespace bookstore::json
