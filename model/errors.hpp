#pragma once

#include <cstdint>
#include <string>

namespace bookstore::model {

/// The domain's rejections, named as API.md's error codes. A rejection is an
/// ordinary answer of the domain, never a crash.
enum class error_code : std::uint8_t {
  none = 0,
  validation_error,         // VALIDATION_ERROR: input out of range or malformed
  book_not_found,           // BOOK_NOT_FOUND
  book_isbn_conflict,       // BOOK_ISBN_CONFLICT
  genre_conflict,           // GENRE_CONFLICT
  stock_reserved,           // STOCK_RESERVED: new stock below reserved copies
  cart_book_out_of_stock,   // CART_BOOK_OUT_OF_STOCK
  cart_item_duplicate,      // CART_ITEM_DUPLICATE
  cart_item_not_found,      // CART_ITEM_NOT_FOUND
  cart_item_forbidden,      // CART_ITEM_FORBIDDEN
  checkout_in_progress,     // CHECKOUT_IN_PROGRESS: cart is being checked out
  order_cart_empty,         // ORDER_CART_EMPTY
  order_insufficient_stock, // ORDER_INSUFFICIENT_STOCK
  order_items_unavailable,  // ORDER_ITEMS_UNAVAILABLE
  order_payment_failed,     // ORDER_PAYMENT_FAILED
  order_not_found,          // ORDER_NOT_FOUND
  payment_timeout,          // PAYMENT_TIMEOUT
  idempotency_in_progress,  // IDEMPOTENCY_IN_PROGRESS
  auth_email_conflict,      // AUTH_EMAIL_CONFLICT
  auth_invalid_credentials, // AUTH_INVALID_CREDENTIALS
  auth_refresh_invalid,     // AUTH_REFRESH_INVALID
  auth_token_reuse,         // AUTH_TOKEN_REUSE: a revoked refresh token again
  not_found,                // NOT_FOUND: a record the caller looked up
  store_unavailable,        // STORE_UNAVAILABLE: the database cannot write
  checkout_timeout,         // CHECKOUT_TIMEOUT: reserving outlasted the limit
  query_too_expensive,      // QUERY_TOO_EXPENSIVE: a read ran past its budget
  auth_busy,                // AUTH_BUSY: the password hashing queue is full
  node_unavailable,         // NODE_UNAVAILABLE: the data's node is down
  node_lost,        // internal: it went down with the request in flight (a 503
                    // NODE_UNAVAILABLE, or no answer at all, to the client)
  review_not_found, // REVIEW_NOT_FOUND
  duplicate_review, // DUPLICATE_REVIEW: a live review of the book
  review_duplicate, // REVIEW_DUPLICATE: a deleted one still counts
  not_purchased,    // NOT_PURCHASED: no confirmed order of the book
  not_review_owner, // NOT_REVIEW_OWNER
  wishlist_item_duplicate,   // WISHLIST_ITEM_DUPLICATE
  wishlist_item_not_found,   // WISHLIST_ITEM_NOT_FOUND
  prebook_book_in_stock,     // PREBOOK_BOOK_IN_STOCK: the book has stock
  prebook_duplicate,         // PREBOOK_DUPLICATE: one is already waiting
  prebook_not_found,         // PREBOOK_NOT_FOUND (also another user's)
  prebook_already_cancelled, // PREBOOK_ALREADY_CANCELLED
  internal_error,            // INTERNAL_ERROR
  // Admin users (API.md "Admin users").
  auth_account_deactivated,     // AUTH_ACCOUNT_DEACTIVATED: 403
  auth_user_inactive,           // AUTH_USER_INACTIVE: refresh of an inactive
  admn_cannot_deactivate_admin, // ADMN_CANNOT_DEACTIVATE_ADMIN
  user_not_found,               // USER_NOT_FOUND
};

/// The machine code of API.md, e.g. "BOOK_NOT_FOUND".
const char* code_name(error_code code);

/// A short human readable default message.
const char* default_message(error_code code);

/// A rejection with an optional detail (the offending field, a message).
struct failure {
  error_code code = error_code::none;
  std::string detail;
  std::string field;
};

} // namespace bookstore::model
