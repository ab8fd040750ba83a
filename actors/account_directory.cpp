#include "actors/account_directory.hpp"

namespace bookstore {

account_directory::account_directory()
    : chunks_(new std::atomic<chunk*>[chunk_count]) {
  for (std::int64_t i = 0; i < chunk_count; ++i)
    chunks_[i].store(nullptr, std::memory_order_relaxed);
}

account_directory::~account_directory() {
  for (std::int64_t i = 0; i < chunk_count; ++i)
    delete chunks_[i].load(std::memory_order_relaxed);
}

account_directory::state
account_directory::find(model::user_id id) const noexcept {
  if (id <= 0 || id > max_id)
    return state::unknown;
  // Acquire pairs with the release that published the chunk, so its
  // zero-initialized entries are visible; and with the release of each
  // entry's store.
  const chunk* c = chunks_[id >> chunk_bits].load(std::memory_order_acquire);
  if (!c)
    return state::unknown;
  return static_cast<state>(
      (*c)[id & (chunk_size - 1)].load(std::memory_order_acquire));
}

void account_directory::set(model::user_id id, bool active) {
  if (id <= 0 || id > max_id)
    return; // stays unknown: such an account is locked out
  std::lock_guard<std::mutex> guard{write_mtx_};
  auto& slot = chunks_[id >> chunk_bits];
  chunk* c = slot.load(std::memory_order_relaxed);
  if (!c) {
    c = new chunk;
    for (auto& entry : *c)
      entry.store(0, std::memory_order_relaxed);
    slot.store(c, std::memory_order_release);
  }
  (*c)[id & (chunk_size - 1)].store(
      static_cast<std::uint8_t>(active ? state::active : state::inactive),
      std::memory_order_release);
}

void account_directory::load(
    const std::vector<std::pair<model::user_id, bool>>& accounts) {
  for (const auto& [id, active] : accounts)
    set(id, active);
}

} // namespace bookstore
