#pragma once

// Which accounts may use their access tokens, readable by every connection
// without a lock and without the database: the gateway asks it on every
// request that takes a token (immediate lockout of a deactivated account).
// Loaded from the database at start (actors/core.cpp); the store updates it
// right after the commit of a write that creates, deactivates, reactivates
// or promotes an account, before that write is answered. So a request that
// starts after the answer sees the change; requests in flight finish.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "model/cart.hpp"

namespace bookstore {

class account_directory {
public:
  enum class state : std::uint8_t { unknown = 0, active = 1, inactive = 2 };

  account_directory();
  ~account_directory();
  account_directory(const account_directory&) = delete;
  account_directory& operator=(const account_directory&) = delete;

  /// Lock-free: two acquire loads. Unknown for ids never set (and for ids
  /// beyond `max_id`).
  state find(model::user_id id) const noexcept;
  bool active(model::user_id id) const noexcept {
    return find(id) == state::active;
  }

  /// Records an account's state; writers are serialized by a mutex (chunks
  /// are allocated on first use and never freed before the directory).
  void set(model::user_id id, bool active);
  void load(const std::vector<std::pair<model::user_id, bool>>& accounts);

  /// Ids the directory can hold: 1 .. max_id (SQLite hands out ids in
  /// order, so this is two billion accounts).
  static constexpr std::int64_t chunk_bits = 16;
  static constexpr std::int64_t chunk_size = std::int64_t{1} << chunk_bits;
  static constexpr std::int64_t chunk_count = std::int64_t{1} << 15;
  static constexpr std::int64_t max_id = chunk_size * chunk_count - 1;

private:
  using chunk = std::array<std::atomic<std::uint8_t>, chunk_size>;

  std::unique_ptr<std::atomic<chunk*>[]> chunks_;
  std::mutex write_mtx_;
};

} // namespace bookstore
