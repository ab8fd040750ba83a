#pragma once

// Response encoders: domain values to the JSON shapes of API.md. Money is a
// string with two decimals ("14.99") except in the admin reports, which use
// JSON numbers (123.45) like the original's analytics. Callers serialize
// with dump_body (errors.hpp), which never throws on bad UTF-8.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/book.hpp"
#include "model/order.hpp"
#include "storage/queries.hpp"

namespace bookstore::json {

/// Book, as lists and writes answer it: {id, title, author, price, isbn,
/// genre_id, description, cover_image_url, publish_date, stock_quantity},
/// nulls for absent optional fields.
nlohmann::json book_json(const model::book& book);

/// Book as GET /books/{id} answers it: book_json plus `in_stock`
/// (stock_quantity > 0), `avg_rating` (one decimal, null without reviews)
/// and `review_count`.
nlohmann::json book_detail_json(const model::book& book);

/// {id, name}.
nlohmann::json genre_json(const model::genre& genre);

/// [{id, name}...].
nlohmann::json genres_json(const std::vector<model::genre>& genres);

/// {items: [Book...], total, page, size}; page and size as asked.
nlohmann::json book_page_json(const storage::book_page& page,
                              const storage::book_query& query);

/// {id, book_id, quantity, book: {id, title, author, price,
/// cover_image_url}}.
nlohmann::json cart_item_json(const storage::cart_view_line& line);

/// {items, total_items (sum of quantities), total_price (sum of current
/// price * quantity)}; empty: {"items": [], "total_items": 0,
/// "total_price": "0.00"}.
nlohmann::json cart_json(const std::vector<storage::cart_view_line>& lines);

/// {id, status, created_at, items: [{id, book_id, quantity, unit_price,
/// book: {id, title, author, cover_image_url, price}}...], total_price}.
nlohmann::json order_json(const model::order& order);

/// One piece of the body [Order...], a page of orders written order by
/// order (a JSON tree of them would be many small allocations): "[" first
/// when `first`, a comma before each order but the body's first one, "]"
/// last when `last`. The pieces of every page, in order, join to the array.
std::string orders_piece(const std::vector<model::order>& orders, bool first,
                         bool last);

/// {access_token, refresh_token, token_type: "bearer"}.
nlohmann::json token_pair_json(const std::string& access_token,
                               const std::string& refresh_token);

/// {period, revenue, order_count, aov, delta_percentage}: revenue and aov
/// are numbers, delta_percentage a number rounded to 2 decimals or null.
nlohmann::json sales_summary_json(const storage::sales_summary& summary);

/// {sort_by, items: [{book_id, title, author, total_revenue (number),
/// units_sold}...]}.
nlohmann::json top_books_json(const std::string& sort_by,
                              const std::vector<storage::top_book>& items);

/// {threshold, total_low_stock, items: [{book_id, title, author,
/// current_stock, threshold}...]}.
nlohmann::json
low_stock_json(std::int64_t threshold,
               const std::vector<storage::low_stock_item>& items);

/// Cents as a JSON number of the reports: 12345 -> 123.45.
nlohmann::json money_number(model::cents amount);

} // namespace bookstore::json
