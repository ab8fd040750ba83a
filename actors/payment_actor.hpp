#pragma once

#include <memory>
#include <random>
#include <unordered_map>

#include "actors/config.hpp"
#include "actors/handles.hpp"
#include "actors/metrics.hpp"

namespace bookstore {

struct payment_state {
  static inline const char* name = "payment";
  double failure_rate = 0.0;
  caf::timespan latency{0};
  std::mt19937_64 random;
  std::uint64_t next_charge = 1; // charge ids start at 1
  /// A charge waiting for its simulated latency, answered by a timer.
  struct due_charge {
    caf::typed_response_promise<payment_receipt> promise;
    payment_receipt receipt;
    model::cents amount = 0;
  };
  std::unordered_map<std::uint64_t, due_charge> due;
  /// The ledger's totals (charges and refunds, counts and cents).
  std::shared_ptr<core_metrics> metrics;
};

/// The mock payment provider: declines when asked to, otherwise at random
/// with the configured rate. Its latency is a timer, never a sleep, so
/// charges overlap and no buyer waits for another's. Its ledger, in
/// `metrics`, counts approved charges and refunds (voids) with their cents;
/// a refund names the charge and its amount, as a real provider's would.
payment_actor::behavior_type
payment(payment_actor::stateful_pointer<payment_state> self, core_config config,
        std::shared_ptr<core_metrics> metrics);

} // namespace bookstore
