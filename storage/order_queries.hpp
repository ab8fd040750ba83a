#pragma once

// Orders: written once by a checkout (with its stock decrements and cart
// clear), then only read.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/cart.hpp"
#include "model/order.hpp"
#include "storage/database.hpp"

namespace bookstore::storage {

/// Inserts the order and its lines (unit price, title and author as sold),
/// decrements each line's book stock by its quantity (a delta) and deletes
/// the sold cart items. The caller wraps all of it in one transaction.
/// Returns the order with its ids. The books of `remote_books` live on other
/// nodes of a cluster, which took their copies off their own stock: their
/// lines are written as given and no stock here changes for them.
model::order insert_order(database& db, model::user_id owner,
                          const std::vector<model::order_line>& lines,
                          const std::vector<model::cart_item_id>& sold_items,
                          const std::string& created_at,
                          const std::vector<model::book_id>& remote_books = {});
std::optional<model::order> find_order(database& db, model::order_id id);
/// Up to `limit` orders with ids below `before`, newest first; all users'
/// when `owner` is empty. The next page starts below the last id returned.
std::vector<model::order> list_orders(database& db,
                                      std::optional<model::user_id> owner,
                                      model::order_id before,
                                      std::int64_t limit);

} // namespace bookstore::storage
