#pragma once

// One book's reservations: the copies checkouts hold until they commit or
// release them, and the stock numbers those holds move. The book actor owns
// one and only calls it; the timer that drives expire() stays in the actor.
//
// Not thread-safe: one owner (the book actor) calls it, one message at a time.
//
// Rules, exactly as the book actor has always applied them:
// - reserve(id, q, deadline) succeeds only if 0 < q <= available(); it then
//   adds a hold and `held` grows by q. A refused reserve changes nothing.
// - Ids need not be unique: two holds may share one. commit and release then
//   take the oldest hold of that id first.
// - commit(id, q) of a live hold sells the hold's own quantity (q is ignored):
//   it leaves both `held` and `on_hand`.
// - commit(id, q) without a live hold (it expired, was released, was already
//   committed, or never existed) still takes q off `on_hand`: the store has
//   sold those copies all the same. A second commit of one id finds no hold
//   either and so sells q again; a checkout commits each of its lines once.
// - commit comes only after the store has sold the copies, and the store
//   sells only copies its stock (the same number as on_hand) has, so
//   on_hand() never goes below 0. available() may: copies sold under an
//   expired hold may have been held again since; it recovers as those holds
//   end.
// - release(id) without a live hold changes nothing, so a double release is
//   harmless.
// - A hold past its deadline stays live until expire(now) runs: commit and
//   release treat it as any other. expire(now) ends every hold whose
//   deadline is at or before `now`, as if released, and keeps the others in
//   the order they were made; a pinned hold stays whatever its deadline.
// - `held` always equals the sum of the live holds, so it is never negative.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "model/stock.hpp"

namespace bookstore::model {

/// Who holds copies: the checkout's ticket.
using hold_id = std::uint64_t;

/// The clock deadlines are read on (the actors' clock is the same one).
using hold_clock = std::chrono::steady_clock;

/// What a commit sold from.
enum class commit_source : std::uint8_t {
  hold,    ///< a live hold, of its own quantity
  no_hold, ///< on_hand alone, of the quantity the commit named
};

class reservations {
public:
  explicit reservations(std::int64_t on_hand = 0) : stock_{on_hand, 0} {}

  /// The numbers: durable `on_hand` and the `held` part of it.
  const stock_level& stock() const { return stock_; }
  std::int64_t on_hand() const { return stock_.on_hand; }
  std::int64_t held() const { return stock_.held; }
  std::int64_t available() const { return stock_.available(); }

  /// True if no hold is live.
  bool empty() const { return holds_.empty(); }

  /// How many holds are live.
  std::size_t size() const { return holds_.size(); }

  /// Holds that expiry leaves alone (a book actor's holds whose sale is
  /// being written: its answer sells or releases them).
  using pinned_holds = std::function<bool(hold_id)>;

  /// The earliest deadline of a live hold that is not pinned; nothing
  /// without one.
  std::optional<hold_clock::time_point>
  next_deadline(const pinned_holds& pinned = nullptr) const;

  /// Holds `quantity` copies for `id` until `deadline`; false (and nothing
  /// changed) unless 0 < quantity <= available().
  bool reserve(hold_id id, std::int64_t quantity,
               hold_clock::time_point deadline);

  /// Sells the copies of `id`: see the rules above for a missing hold.
  commit_source commit(hold_id id, std::int64_t quantity);

  /// Gives back the copies of `id`; the quantity given back, 0 if none.
  std::int64_t release(hold_id id);

  /// Releases every hold whose deadline is at or before `now`, but the
  /// pinned ones; how many.
  std::size_t expire(hold_clock::time_point now,
                     const pinned_holds& pinned = nullptr);

  /// True if on_hand may be set to `quantity` without breaking a hold.
  bool can_set(std::int64_t quantity) const { return stock_.can_set(quantity); }

  /// Moves on_hand by `delta` (a restock or a stock write already stored);
  /// the caller checked can_set(on_hand() + delta).
  void restock(std::int64_t delta) { stock_.on_hand += delta; }

private:
  struct hold {
    hold_id id = 0;
    std::int64_t quantity = 0;
    hold_clock::time_point deadline;
  };

  /// Takes the oldest hold of `id` out; its quantity, 0 if none.
  std::int64_t take(hold_id id);

  stock_level stock_;
  std::vector<hold> holds_; // oldest first
};

} // namespace bookstore::model
