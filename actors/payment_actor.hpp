#pragma once

#include <random>
#include <unordered_map>

#include "actors/config.hpp"
#include "actors/handles.hpp"

namespace bookstore {

struct payment_state {
  static inline const char* name = "payment";
  double failure_rate = 0.0;
  caf::timespan latency{0};
  std::mt19937_64 random;
  std::uint64_t next_charge = 0;
  /// Charges waiting for their simulated latency, answered by a timer.
  std::unordered_map<std::uint64_t,
                     std::pair<caf::typed_response_promise<bool>, bool>>
      due;
};

/// The mock payment provider: declines when asked to, otherwise at random
/// with the configured rate. Its latency is a timer, never a sleep, so
/// charges overlap and no buyer waits for another's.
payment_actor::behavior_type
payment(payment_actor::stateful_pointer<payment_state> self,
        core_config config);

} // namespace bookstore
