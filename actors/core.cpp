#include "actors/core.hpp"

#include "actors/payment_actor.hpp"
#include "actors/registry_actor.hpp"
#include "actors/store_actor.hpp"
#include "storage/accounts.hpp"

namespace bookstore {

core start(caf::actor_system& sys, const core_config& config) {
  storage::open_options options;
  options.read_only = config.read_only;
  auto db = std::make_shared<storage::database>(config.database_path, options);
  caf::timespan window = config.group_commit_window;
  caf::timespan budget = config.read_budget;
  core shop;
  shop.metrics = std::make_shared<core_metrics>();
  // Loaded before the store runs: from here on only its writes change it.
  shop.accounts = std::make_shared<account_directory>();
  shop.accounts->load(storage::account_states(*db));
  shop.store =
      config.detached_store
          ? sys.spawn<caf::detached>(store, db, shop.metrics, window, budget,
                                     shop.accounts)
          : sys.spawn(store, db, shop.metrics, window, budget, shop.accounts);
  shop.payment = sys.spawn(payment, config, shop.metrics);
  shop.registry =
      sys.spawn(registry, shop.store, shop.payment, config, shop.metrics);
  return shop;
}

void stop(const core& shop) {
  caf::anon_send_exit(shop.registry, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(shop.payment, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(shop.store, caf::exit_reason::user_shutdown);
}

} // namespace bookstore
