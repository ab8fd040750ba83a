#pragma once

#include <memory>
#include <vector>

#include "actors/config.hpp"
#include "actors/handles.hpp"
#include "actors/metrics.hpp"

namespace bookstore {

/// Who a checkout talks to.
struct checkout_peers {
  cart_actor cart;
  registry_actor registry;
  payment_actor payment;
  store_actor store;
};

/// One cart line on its way through the saga.
struct line_progress {
  model::cart_line line;
  book_actor book;           // known once the registry answered
  bool reserve_sent = false; // a release is owed on failure
  bool answered = false;
  reservation_reply reply; // status and price snapshot
  model::error_code error = model::error_code::none;
  int lookups = 0;
};

enum class checkout_phase { reserving, paying, persisting, done };

struct checkout_state {
  static inline const char* name = "checkout";
  model::user_id owner = 0;
  checkout_request request;
  checkout_peers peers;
  std::vector<line_progress> lines;
  std::size_t unanswered = 0;
  checkout_phase phase = checkout_phase::reserving;
  model::cents total = 0;        // what the charge asked for
  std::uint64_t charge = 0;      // the approved charge, refunded if not sold
  bool awaiting_payment = false; // a charge is out: stay to void it if late
  caf::typed_response_promise<checkout_outcome> promise;
  std::shared_ptr<core_metrics> metrics;
};

/// Runs one checkout: reserve every line at its book actor (all at once),
/// charge the price snapshot, persist order, stock deltas and cart clear in
/// one transaction, then commit the reservations. Any failure before the
/// store has committed releases every reservation and leaves the cart as it
/// was. Started by the cart actor, which allows one checkout at a time.
checkout_actor::behavior_type
checkout(checkout_actor::stateful_pointer<checkout_state> self,
         model::user_id owner, std::vector<model::cart_line> lines,
         checkout_request request, checkout_peers peers, core_config config,
         std::shared_ptr<core_metrics> metrics);

} // namespace bookstore
