#pragma once

#include <atomic>
#include <cstddef>
#include <utility>
#include <vector>

#include "actors/handles.hpp"

namespace bookstore {

/// The readers, handed out in turn: any of them can answer any read, so a
/// slow read holds up one reader's queue only. Shared by every connection
/// of the gateway, whatever thread it runs on.
class reader_pool {
public:
  explicit reader_pool(std::vector<reader_actor> members)
      : members_(std::move(members)) {}

  /// The next reader, round robin.
  reader_actor next() const {
    auto i = next_.fetch_add(1, std::memory_order_relaxed);
    return members_[i % members_.size()];
  }

  const std::vector<reader_actor>& members() const { return members_; }

private:
  std::vector<reader_actor> members_; // never empty
  mutable std::atomic<std::size_t> next_{0};
};

} // namespace bookstore
