#include "actors/store_orders.hpp"

#include "storage/queries.hpp"
#include "storage/transfer_queries.hpp"

namespace bookstore::store_orders {

using model::error_code;
using storage::failure_kind;
using store_ops::read;
using store_ops::translating;

namespace {

/// API.md: an idempotency record is stored for 24 hours.
constexpr std::int64_t idempotency_ttl_seconds = 24 * 3600;

model::order write_order(storage::database& db, const order_draft& draft) {
  auto order =
      storage::insert_order(db, draft.owner, draft.lines, draft.sold_items,
                            draft.created_at, draft.remote_books);
  // A checkout across nodes decides here: the order and its decision commit
  // together (checkout_actor.hpp).
  if (draft.transfer_id != 0)
    storage::record_transfer_decision(db, draft.transfer_id, order.id);
  // The key's outcome commits with the order or not at all: a crash can
  // never leave an order its key does not name.
  if (!draft.idempotency_key.empty())
    storage::record_order_outcome(db, draft.owner, draft.idempotency_key,
                                  order.id, draft.idempotency_at);
  return order;
}

} // namespace

caf::result<model::order> create(self_ptr self, order_draft draft) {
  return store_ops::enqueue<model::order>(
      self,
      translating(failure_kind::check, error_code::order_insufficient_stock,
                  translating(failure_kind::foreign_key,
                              error_code::order_items_unavailable,
                              [=](storage::database& db) {
                                return write_order(db, draft);
                              })),
      true);
}

caf::result<storage::idempotency_record>
find_idempotency(self_ptr self, idempotency_lookup lookup) {
  return read(self, [=](storage::database& db) {
    if (auto found = storage::find_idempotency(db, lookup.user, lookup.key,
                                               lookup.not_before))
      return *found;
    throw rejection{error_code::not_found};
  });
}

caf::result<bool> put_idempotency(self_ptr self, idempotency_entry entry) {
  return store_ops::enqueue<bool>(self, [=](storage::database& db) {
    storage::purge_idempotency(db, entry.record.created_at
                                       - idempotency_ttl_seconds);
    storage::put_idempotency(db, entry.user, entry.key, entry.record);
    return true;
  });
}

} // namespace bookstore::store_orders
