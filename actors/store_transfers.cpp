#include "actors/store_transfers.hpp"

#include "storage/transfer_queries.hpp"

namespace bookstore::store_transfers {

using model::error_code;
using storage::failure_kind;
using store_ops::read;
using store_ops::translating;

namespace {

/// Recovery ends this many parts per round at most.
constexpr std::int64_t parts_per_round = 256;

} // namespace

caf::result<bool> prepare(self_ptr self, storage::prepared_transfer part) {
  return store_ops::enqueue<bool>(
      self,
      translating(failure_kind::check, error_code::order_insufficient_stock,
                  translating(failure_kind::foreign_key,
                              error_code::book_not_found,
                              [=](storage::database& db) {
                                return storage::prepare_transfer(db, part);
                              })));
}

caf::result<std::int64_t> finish(self_ptr self, std::int64_t transfer,
                                 model::book_id book, bool commit) {
  return store_ops::enqueue<std::int64_t>(self, [=](storage::database& db) {
    return storage::finish_transfer(db, transfer, book, commit);
  });
}

caf::result<std::vector<storage::prepared_transfer>>
list_prepared(self_ptr self, std::int64_t prepared_by) {
  return read(self, [=](storage::database& db) {
    return storage::prepared_transfers(db, prepared_by, parts_per_round);
  });
}

caf::result<bool> decided(self_ptr self, std::int64_t transfer) {
  return store_ops::enqueue<bool>(self, [=](storage::database& db) {
    return storage::transfer_decision(db, transfer).has_value();
  });
}

} // namespace bookstore::store_transfers
