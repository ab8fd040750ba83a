#pragma once

#include <memory>

#include "actors/config.hpp"
#include "actors/handles.hpp"
#include "actors/metrics.hpp"
#include "model/cart.hpp"

namespace bookstore {

struct cart_state {
  static inline const char* name = "cart";
  model::cart cart;
  bool checking_out = false; // one checkout of this cart at a time
  caf::actor_addr saga;      // the checkout running now, if any
  caf::actor_clock::time_point last_active;
  registry_actor registry;
  store_actor store;
  payment_actor payment;
  core_config config;
  std::shared_ptr<core_metrics> metrics;

  ~cart_state();
};

/// One user's cart, kept in memory and persisted before each change is
/// acknowledged. Adding reserves nothing: stock is decided at checkout. While
/// a checkout runs the cart refuses changes, so the order sells exactly the
/// lines the client saw.
cart_actor::behavior_type cart(cart_actor::stateful_pointer<cart_state> self,
                               model::user_id owner,
                               std::vector<model::cart_line> lines,
                               registry_actor registry, store_actor store,
                               payment_actor payment, core_config config,
                               std::shared_ptr<core_metrics> metrics);

} // namespace bookstore
