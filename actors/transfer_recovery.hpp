#pragma once

#include "actors/config.hpp"
#include "actors/handles.hpp"

namespace bookstore {

/// The book owner's side of checkouts across nodes (checkout_actor.hpp): a
/// part whose decision never came (the coordinator crashed, or the message
/// was lost with a connection) is ended by asking its coordinator what
/// became of the transfer: committed keeps the copies sold, aborted returns
/// them, pending (or no answer) is asked again next round. Runs from the
/// start, so a restarted node ends what it held without a manual step.
caf::behavior transfer_recovery(caf::event_based_actor* self, store_actor store,
                                registry_actor registry,
                                recovery_timing timing);

} // namespace bookstore
