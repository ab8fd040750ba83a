#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "caf/actor_addr.hpp"
#include "caf/actor_cast.hpp"

namespace bookstore::gateway {

/// Book and cart actors the registry named before, so that a request does
/// not ask the registry first every time: that lookup is a whole extra actor
/// round trip per request. Entries are weak: a cached actor that has stopped
/// (passivated, crashed) is not kept alive. One that is still running but
/// about to stop answers request_receiver_down, the same as a handle fresh
/// from the registry would in that race, and the caller asks the registry
/// again (see ask.hpp). The registry hands out one live actor per id, so
/// a live cached actor is always the right one.
template <class Handle> class handle_cache {
public:
  /// The live actor cached for `key`, or an invalid handle.
  Handle find(std::int64_t key) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = entries_.find(key);
    if (i == entries_.end())
      return Handle{};
    auto h = caf::actor_cast<Handle>(i->second);
    if (!h)
      entries_.erase(i);
    return h;
  }

  void put(std::int64_t key, const Handle& h) {
    std::lock_guard<std::mutex> guard{mtx_};
    // A bound on memory (a weak entry keeps the actor's storage allocated),
    // not an LRU: a dropped entry only costs one registry lookup.
    if (entries_.size() >= max_entries)
      entries_.clear();
    entries_[key] = caf::actor_cast<caf::actor_addr>(h);
  }

  /// Forgets `h` for `key` (not a newer entry another request put there).
  void forget(std::int64_t key, const Handle& h) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = entries_.find(key);
    if (i != entries_.end() && i->second == h.address())
      entries_.erase(i);
  }

private:
  static constexpr std::size_t max_entries = 65536;

  std::mutex mtx_;
  std::unordered_map<std::int64_t, caf::actor_addr> entries_;
};

} // namespace bookstore::gateway
