#pragma once

// GET /orders and GET /admin/orders: a JSON array of orders newest first,
// read from the store and written a page at a time. The contract has no
// paging, so an admin's listing holds every order ever placed; built whole,
// it made the server's memory grow with the order table.

#include "gateway/api/call.hpp"
#include "model/cart.hpp"

namespace bookstore::gateway {

/// Orders per page: a piece of about 100 KiB of JSON.
constexpr std::int64_t orders_per_page = 200;

/// Answers `c` with the orders of `owner` (0: everybody's). The first page
/// decides the status (a store that cannot read answers 503 as usual); a
/// listing longer than a page streams its other pages, each read when the
/// one before it has left the connection's buffers.
void reply_order_listing(const call_ptr& c, model::user_id owner);

} // namespace bookstore::gateway
