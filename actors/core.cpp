#include "actors/core.hpp"

#include <vector>

#include "actors/payment_actor.hpp"
#include "actors/reader_actor.hpp"
#include "actors/registry_actor.hpp"
#include "actors/store_actor.hpp"
#include "actors/transfer_recovery.hpp"
#include "storage/accounts.hpp"
#include "storage/isbn_claims.hpp"
#include "storage/sqlite.hpp"

namespace bookstore {

namespace {

/// The readers of the database file, or the store alone when there are none
/// to have (see core_config::readers).
std::vector<reader_actor> spawn_readers(caf::actor_system& sys,
                                        const core_config& config,
                                        bool in_memory,
                                        const store_actor& store) {
  if (config.readers == 0 || in_memory)
    return {store};
  storage::open_options options;
  options.read_only = true;
  caf::timespan budget = config.read_budget;
  std::vector<reader_actor> readers;
  for (std::size_t i = 0; i < config.readers; ++i) {
    auto conn =
        std::make_shared<storage::database>(config.database_path, options);
    conn->set_query_only(true);
    readers.push_back(
        config.detached_store
            ? sys.spawn<caf::detached>(reader, conn, budget, config.reader_nice)
            : sys.spawn(reader, conn, budget, 0));
  }
  return readers;
}

} // namespace

core start(caf::actor_system& sys, const core_config& config) {
  storage::open_options options;
  options.read_only = config.read_only;
  options.ids = {config.id_space_count, config.id_space_index,
                 config.id_space_count > 1};
  auto db = std::make_shared<storage::database>(config.database_path, options);
  caf::timespan window = config.group_commit_window;
  caf::timespan budget = config.read_budget;
  core shop;
  shop.metrics = std::make_shared<core_metrics>();
  // Loaded before the store runs: from here on only its writes change it.
  shop.accounts = std::make_shared<account_directory>();
  shop.accounts->load(storage::account_states(*db));
  if (!config.read_only)
    storage::forget_void_isbn_claims(*db);
  // Asked before the store owns the connection.
  const bool in_memory = db->conn().filename().empty();
  shop.store =
      config.detached_store
          ? sys.spawn<caf::detached>(store, db, shop.metrics, window, budget,
                                     shop.accounts)
          : sys.spawn(store, db, shop.metrics, window, budget, shop.accounts);
  // Opened after the store's connection, which created and migrated the
  // file; they only check its schema.
  shop.readers = std::make_shared<const reader_pool>(
      spawn_readers(sys, config, in_memory, shop.store));
  shop.payment = sys.spawn(payment, config, shop.metrics);
  shop.registry =
      sys.spawn(registry, shop.store, shop.payment, config, shop.metrics);
  if (config.id_space_count > 1)
    shop.recovery = sys.spawn(transfer_recovery, shop.store, shop.registry,
                              config.recovery);
  return shop;
}

void stop(const core& shop) {
  if (shop.recovery)
    caf::anon_send_exit(shop.recovery, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(shop.registry, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(shop.payment, caf::exit_reason::user_shutdown);
  for (const auto& r : shop.readers->members())
    if (caf::actor_cast<caf::actor_addr>(r)
        != caf::actor_cast<caf::actor_addr>(shop.store))
      caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(shop.store, caf::exit_reason::user_shutdown);
}

} // namespace bookstore
