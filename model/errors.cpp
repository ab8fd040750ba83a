#include "model/errors.hpp"

namespace bookstore::model {

// Both switches list every enumerator without a default, so -Wswitch flags a
// new code that lacks its name or message.

const char* code_name(error_code code) {
  switch (code) {
  case error_code::none:
    return "NONE";
  case error_code::validation_error:
    return "VALIDATION_ERROR";
  case error_code::book_not_found:
    return "BOOK_NOT_FOUND";
  case error_code::book_isbn_conflict:
    return "BOOK_ISBN_CONFLICT";
  case error_code::genre_conflict:
    return "GENRE_CONFLICT";
  case error_code::stock_reserved:
    return "STOCK_RESERVED";
  case error_code::cart_book_out_of_stock:
    return "CART_BOOK_OUT_OF_STOCK";
  case error_code::cart_item_duplicate:
    return "CART_ITEM_DUPLICATE";
  case error_code::cart_item_not_found:
    return "CART_ITEM_NOT_FOUND";
  case error_code::cart_item_forbidden:
    return "CART_ITEM_FORBIDDEN";
  case error_code::checkout_in_progress:
    return "CHECKOUT_IN_PROGRESS";
  case error_code::order_cart_empty:
    return "ORDER_CART_EMPTY";
  case error_code::order_insufficient_stock:
    return "ORDER_INSUFFICIENT_STOCK";
  case error_code::order_items_unavailable:
    return "ORDER_ITEMS_UNAVAILABLE";
  case error_code::order_payment_failed:
    return "ORDER_PAYMENT_FAILED";
  case error_code::order_not_found:
    return "ORDER_NOT_FOUND";
  case error_code::payment_timeout:
    return "PAYMENT_TIMEOUT";
  case error_code::idempotency_in_progress:
    return "IDEMPOTENCY_IN_PROGRESS";
  case error_code::auth_email_conflict:
    return "AUTH_EMAIL_CONFLICT";
  case error_code::store_unavailable:
    return "STORE_UNAVAILABLE";
  case error_code::checkout_timeout:
    return "CHECKOUT_TIMEOUT";
  case error_code::query_too_expensive:
    return "QUERY_TOO_EXPENSIVE";
  case error_code::auth_busy:
    return "AUTH_BUSY";
  case error_code::node_unavailable:
    return "NODE_UNAVAILABLE";
  case error_code::node_lost: // never answered as such (gateway/api/placement)
    return "NODE_LOST";
  case error_code::wishlist_item_duplicate:
    return "WISHLIST_ITEM_DUPLICATE";
  case error_code::wishlist_item_not_found:
    return "WISHLIST_ITEM_NOT_FOUND";
  case error_code::prebook_book_in_stock:
    return "PREBOOK_BOOK_IN_STOCK";
  case error_code::prebook_duplicate:
    return "PREBOOK_DUPLICATE";
  case error_code::prebook_not_found:
    return "PREBOOK_NOT_FOUND";
  case error_code::prebook_already_cancelled:
    return "PREBOOK_ALREADY_CANCELLED";
  case error_code::auth_invalid_credentials:
    return "AUTH_INVALID_CREDENTIALS";
  case error_code::auth_refresh_invalid:
    return "AUTH_REFRESH_INVALID";
  case error_code::auth_token_reuse:
    return "AUTH_TOKEN_REUSE";
  case error_code::not_found:
    return "NOT_FOUND";
  case error_code::review_not_found:
    return "REVIEW_NOT_FOUND";
  case error_code::duplicate_review:
    return "DUPLICATE_REVIEW";
  case error_code::review_duplicate:
    return "REVIEW_DUPLICATE";
  case error_code::not_purchased:
    return "NOT_PURCHASED";
  case error_code::not_review_owner:
    return "NOT_REVIEW_OWNER";
  case error_code::internal_error:
    return "INTERNAL_ERROR";
  case error_code::auth_account_deactivated:
    return "AUTH_ACCOUNT_DEACTIVATED";
  case error_code::auth_user_inactive:
    return "AUTH_USER_INACTIVE";
  case error_code::admn_cannot_deactivate_admin:
    return "ADMN_CANNOT_DEACTIVATE_ADMIN";
  case error_code::user_not_found:
    return "USER_NOT_FOUND";
  }
  return "INTERNAL_ERROR"; // only for a value outside the enumeration
}

const char* default_message(error_code code) {
  switch (code) {
  case error_code::none:
    return "No error.";
  case error_code::validation_error:
    return "The request failed validation.";
  case error_code::book_not_found:
    return "The book does not exist.";
  case error_code::book_isbn_conflict:
    return "A book with this ISBN already exists.";
  case error_code::genre_conflict:
    return "A genre with this name already exists.";
  case error_code::stock_reserved:
    return "The stock cannot go below the copies reserved by checkouts in "
           "progress.";
  case error_code::cart_book_out_of_stock:
    return "The book is out of stock.";
  case error_code::cart_item_duplicate:
    return "The book is already in the cart.";
  case error_code::cart_item_not_found:
    return "The cart item does not exist.";
  case error_code::cart_item_forbidden:
    return "The cart item belongs to another user.";
  case error_code::checkout_in_progress:
    return "The cart is being checked out.";
  case error_code::order_cart_empty:
    return "The cart is empty.";
  case error_code::order_insufficient_stock:
    return "Some books do not have enough stock.";
  case error_code::order_items_unavailable:
    return "Some books in the cart are no longer available.";
  case error_code::order_payment_failed:
    return "The payment was declined.";
  case error_code::order_not_found:
    return "The order does not exist.";
  case error_code::payment_timeout:
    return "The payment provider did not answer in time.";
  case error_code::idempotency_in_progress:
    return "A request with this idempotency key is still in progress.";
  case error_code::auth_email_conflict:
    return "An account with this email already exists.";
  case error_code::store_unavailable:
    return "The store is temporarily unavailable.";
  case error_code::checkout_timeout:
    return "The checkout could not reserve its books in time; try again.";
  case error_code::query_too_expensive:
    return "The query ran too long; narrow it and try again.";
  case error_code::auth_busy:
    return "Too many logins at once; try again shortly.";
  case error_code::node_unavailable:
  case error_code::node_lost:
    return "The node that holds this data cannot be reached; try again "
           "shortly.";
  // The original backend's messages: the storefront matches on them.
  case error_code::wishlist_item_duplicate:
    return "This book is already on your wishlist";
  case error_code::wishlist_item_not_found:
    return "Wishlist item not found";
  case error_code::prebook_book_in_stock:
    return "Book is in stock \u2014 add to cart instead";
  case error_code::prebook_duplicate:
    return "You already have an active pre-booking for this book";
  case error_code::prebook_not_found:
    return "Pre-booking not found";
  case error_code::prebook_already_cancelled:
    return "Pre-booking is already cancelled";
  case error_code::auth_invalid_credentials:
    return "Invalid email or password";
  case error_code::auth_refresh_invalid:
    return "Invalid or expired refresh token.";
  case error_code::auth_token_reuse:
    return "Refresh token reuse detected; all sessions were revoked.";
  case error_code::not_found:
    return "Not found.";
  case error_code::review_not_found:
    return "Review not found";
  case error_code::duplicate_review:
    return "You have already reviewed this book";
  case error_code::review_duplicate:
    return "You have already reviewed this book";
  case error_code::not_purchased:
    return "You must purchase this book before submitting a review";
  case error_code::not_review_owner:
    return "You can only modify your own reviews";
  case error_code::internal_error:
    return "An unexpected error occurred.";
  // The original's messages, word for word.
  case error_code::auth_account_deactivated:
    return "Account deactivated. Contact support.";
  case error_code::auth_user_inactive:
    return "User not found or inactive";
  case error_code::admn_cannot_deactivate_admin:
    return "Cannot deactivate admin accounts";
  case error_code::user_not_found:
    return "User not found";
  }
  return "An unexpected error occurred.";
}

} // namespace bookstore::model
