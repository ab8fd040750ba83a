#pragma once

#include <cstdint>

namespace bookstore::model {

/// A book's stock as its actor sees it: `on_hand` is durable, `held` is
/// reserved by checkouts in flight. Only `on_hand - held` can be reserved, so
/// committing every reservation can never drive `on_hand` below zero.
struct stock_level {
  std::int64_t on_hand = 0;
  std::int64_t held = 0;

  std::int64_t available() const { return on_hand - held; }

  /// True if `quantity` copies can be reserved now.
  bool can_reserve(std::int64_t quantity) const {
    return quantity > 0 && quantity <= available();
  }

  /// Reserves `quantity`; the caller checked can_reserve.
  void reserve(std::int64_t quantity) { held += quantity; }

  /// Gives back a reservation that will not be sold.
  void release(std::int64_t quantity) { held -= quantity; }

  /// A reservation was sold: its copies leave both held and on hand.
  void commit(std::int64_t quantity) {
    held -= quantity;
    on_hand -= quantity;
  }

  /// True if the absolute stock may be set to `quantity` without breaking
  /// a reservation in flight.
  bool can_set(std::int64_t quantity) const { return quantity >= held; }
};

} // namespace bookstore::model
