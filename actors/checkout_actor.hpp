#pragma once

// The checkout saga: one actor per checkout, spawned by the cart actor. Its
// steps are chained by `request(...).then(...)`, so no tool follows them;
// this is the picture (checkout_phase below; CAF calls in checkout_actor.cpp).
//
//  cart: checkout_atom ── a saga already runs? ── 409 CHECKOUT_IN_PROGRESS
//    │                 └─ cart empty?          ── 422 ORDER_CART_EMPTY
//    │ lock the cart, monitor the saga, start the deadline (checkout_timeout;
//    │ the timer goes to the cart, which passes it on while the saga runs)
//    ▼
//  reserving ── per line, all at once: registry lookup, then reserve
//    │          (ticket = saga id) at the book actor; a book actor that
//    │          passivated after the lookup is looked up again (3 lookups
//    │          at most)
//    │   ├─ a line failed (registry/book error) ─ fail with that error
//    │   ├─ a book is deleted (or vanished) ──── fail 409 ITEMS_UNAVAILABLE
//    │   ├─ short lines ─────── fail 409 INSUFFICIENT_STOCK (+ shortages)
//    │   └─ deadline ─────────────────────────── fail 503 CHECKOUT_TIMEOUT
//    │ every line reserved: total = price snapshot x quantity
//    ▼
//  paying ── charge(total) at the payment provider
//    │   ├─ declined, or the provider failed ─ fail 402 ORDER_PAYMENT_FAILED
//    │   └─ deadline ── fail 504 PAYMENT_TIMEOUT, but the saga stays alive
//    │                  (awaiting_payment): a charge approved late is refunded,
//    │                  then the saga quits
//    │ approved (charge id kept)
//    ▼
//  persisting ── one store transaction: the order, the stock deltas, the
//    │           sold cart items, and the Idempotency-Key's outcome.
//    │           No deadline: a write that may still commit is never
//    │           abandoned (that would sell copies twice)
//    │   └─ the store refused ─ refund the charge, wait for the provider, then
//    │                          fail 409 INSUFFICIENT_STOCK / ITEMS_UNAVAILABLE
//    │                          or 503 STORE_UNAVAILABLE
//    │ committed
//    ▼
//  committing ── commit_atom to every book (hold -> sold; a hold that expired
//    │           meanwhile is taken from on_hand all the same). Not a
//    │           checkout_phase of its own: commit() runs, then finish()
//    ▼
//  done: 201 with the order; the cart unlocks and drops the sold lines
//
//  What each failure releases or voids (fail()):
//    - every line whose reserve was sent gets release_atom (its hold returns
//      to the book's available stock; a release of no hold is a no-op);
//    - an approved charge is refunded: when the store refused, before the
//      client hears of it; when the deadline passed first, as soon as the
//      late approval arrives (the client already has its 504);
//    - the cart hears finished_atom with nothing sold: it unlocks, unchanged.
//  The cart hears of the outcome before the client does (finish()).
//
//  Safety nets if the saga dies without finishing: the cart's monitor
//  unlocks the cart (nothing sold); each book actor releases a hold nobody
//  committed or released after reservation_timeout (> checkout_timeout).
//
//  Idempotency (gateway/api/routes_orders.cpp, not this actor): a request
//  with an Idempotency-Key runs this saga once per (user, key) for a day.
//  The same key while it runs: 409 IDEMPOTENCY_IN_PROGRESS. Outcomes of a
//  saga that ran to its end (201, 402, 409 stock/unavailable, 422 empty
//  cart) are stored and replayed verbatim; a 201's record commits in the
//  persisting transaction, so a crash never leaves an order its key does not
//  name. Failures of the server (503, 504, 500) and 409 CHECKOUT_IN_PROGRESS
//  are not stored: a retry runs the saga again; the failed attempt's charge,
//  if any was approved, is refunded as above, so the buyer pays once.

// -- across the nodes of a cluster (API.md, "Cluster") ---------------------
//
// A cart lives on its user's node C (the coordinator); a book on its owner
// P (ids: model::ownership). Lines of C's own books go as above. A line of
// P's book is a part of a transfer, whose id (random, 63 bits) is also the
// ticket of its hold. The states, with what is durable in each:
//
//            C (saga, registry, file)                P (book actor, file)
//   start    registry: transfer live               -
//   reserve  ── reserve(ticket) ────────────────▶  hold in memory
//   pay      charge at the provider                -
//   prepare  ── prepare(transfer, qty) ─────────▶  one transaction: stock -=
//            ◀─ prepared ──────────────────────   qty, part row (transfer,
//                                                  book, qty, C) [PREPARED]
//   decide   one transaction: order, C's own                       |
//            stock deltas, cart clear, key,                        |
//            decision row (transfer) [DECIDED];                    |
//            201 to the client                                     |
//   commit   ── finish(transfer, commit) ───────▶  one transaction: part row
//            registry: transfer ended              goes (copies stay sold)
//   abort    (any failure before DECIDED, or the   one transaction: part row
//            deadline) ── finish(transfer, abort)  goes and stock += qty;
//            ▶; refund; registry: transfer ended   nothing if already gone
//
// Exactly once: a part row exists at most once per (transfer, book); both
// endings delete it and change the stock only if they deleted it, so a
// repeated or late prepare, commit or abort does nothing more.
//
// P's book actor does not wait for its file while a part is written or
// ended: it serves its other buyers meanwhile. The part's hold stays until
// the store answers (sold once PREPARED, released if the write failed); a
// release, its deadline or C's death meanwhile leave it, so the part's
// copies are never on offer twice (tests/actors/transfer_test.cpp, "a book
// sells on while a part of it is written").
//
// Recovery (transfer_recovery.hpp) is presumed abort, driven by P: a part
// row older than 2 s makes P ask C's registry "what became of transfer
// t?". C answers pending while t's saga is registered live (it may still
// decide), else committed if the decision row exists, else aborted; the
// decision is read as a queued write, behind an order still being written.
// P then commits or aborts the part as above; pending, or no answer (C is
// down), is asked again a second later. C never decides after it said
// aborted: a saga registers before its first prepare and unregisters only
// once decided or aborted; a saga that dies (or a C that restarts, with no
// live sagas) can decide nothing more.
//
// A crash (SIGKILL) at each arrow, and what the restart finds (each is a
// test in tests/actors/transfer_test.cpp or tests/cluster):
//   - C before PREPARED: P holds a hold in memory only; it expires.
//   - C after P's PREPARED, before DECIDED: no decision; once C is back P
//     asks and aborts (stock restored, no order).
//   - C after DECIDED, before P heard: the order stands (C's file); once C
//     is back P asks and commits (stock stays sold, once).
//   - P after PREPARED, before C heard: C's saga fails NODE_UNAVAILABLE when
//     P's book actor goes down (over the middleman at once; at its deadline
//     otherwise), refunds and aborts; P's row waits; back, P asks, aborts.
//   - P after DECIDED, before its commit: the client has its 201; back, P
//     asks and commits.
// A checkout answered with anything but 201 wrote no decision, so each of
// its parts ends aborted.

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
  bool remote = false;       // the book lives on another node (cluster)
  bool prepare_sent = false; // an abort is owed on failure
  bool prepared = false;     // its owner holds the part durably
};

enum class checkout_phase { reserving, paying, preparing, persisting, done };

struct checkout_state {
  static inline const char* name = "checkout";
  model::user_id owner = 0;
  checkout_request request;
  checkout_peers peers;
  std::vector<line_progress> lines;
  std::size_t unanswered = 0;
  checkout_phase phase = checkout_phase::reserving;
  /// A checkout with books of other nodes: its transfer id (else 0), the
  /// remote lines not yet prepared, and this node's index.
  std::int64_t transfer = 0;
  std::size_t unprepared = 0;
  std::int64_t node = 0;
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
