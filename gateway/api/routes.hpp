#pragma once

// Every route of API.md. Each function answers its call exactly once; the
// router has matched the path, parsed the {id} and checked the token.

#include "gateway/api/call.hpp"

namespace bookstore::gateway::routes {

// Operations: routes_ops.cpp
void health(const call_ptr& c);
void metrics(const call_ptr& c);
void openapi(const call_ptr& c);

// Auth: routes_auth.cpp
void register_user(const call_ptr& c);
void login(const call_ptr& c);
void refresh(const call_ptr& c);
void logout(const call_ptr& c);

// Catalog: routes_catalog.cpp
void create_book(const call_ptr& c);
void list_books(const call_ptr& c);
void get_book(const call_ptr& c);
void update_book(const call_ptr& c);
void delete_book(const call_ptr& c);
void set_stock(const call_ptr& c);
void create_genre(const call_ptr& c);
void list_genres(const call_ptr& c);

// Cart: routes_cart.cpp
void get_cart(const call_ptr& c);
void add_cart_item(const call_ptr& c);
void update_cart_item(const call_ptr& c);
void delete_cart_item(const call_ptr& c);

// Orders: routes_orders.cpp
void checkout(const call_ptr& c);
void list_orders(const call_ptr& c);
void get_order(const call_ptr& c);
void admin_orders(const call_ptr& c);

// Wishlist and pre-bookings: routes_lists.cpp
void add_to_wishlist(const call_ptr& c);
void get_wishlist(const call_ptr& c);
void remove_from_wishlist(const call_ptr& c);
void create_prebook(const call_ptr& c);
void list_prebooks(const call_ptr& c);
void cancel_prebook(const call_ptr& c);

// Admin reports: routes_reports.cpp
void sales_summary(const call_ptr& c);
void top_books(const call_ptr& c);
void low_stock(const call_ptr& c);

// Reviews and moderation: routes_reviews.cpp
void create_review(const call_ptr& c);
void list_book_reviews(const call_ptr& c);
void get_review(const call_ptr& c);
void update_review(const call_ptr& c);
void delete_review(const call_ptr& c);
void admin_reviews(const call_ptr& c);
void bulk_delete_reviews(const call_ptr& c);
// Admin users: routes_accounts.cpp
void admin_users(const call_ptr& c);
void deactivate_user(const call_ptr& c);
void reactivate_user(const call_ptr& c);
// Uploads: routes_uploads.cpp
void upload_image(const call_ptr& c);
void get_upload(const call_ptr& c);

} // namespace bookstore::gateway::routes
