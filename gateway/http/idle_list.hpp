#pragma once

// The connections of one server that wait for a request, oldest first. At
// the connection limit the acceptor asks the longest-idle one to close
// instead of refusing the newcomer, so one client holding every slot with
// idle keep-alive connections cannot lock everybody else out.
//
// Not thread-safe, on purpose: the acceptor and every connection broker run
// on the middleman's one I/O thread (CAF 0.17 brokers never run elsewhere).

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace bookstore::http {

template <class Conn> class idle_list {
public:
  using key = std::uint64_t;

  /// Registers `c` as idle from now on; the key removes it again.
  key add(Conn c) {
    auto k = next_++;
    idle_.emplace(k, std::move(c));
    return k;
  }

  void remove(key k) { idle_.erase(k); }

  /// Unregisters and returns the connection idle for the longest time,
  /// with the key it had.
  std::optional<std::pair<key, Conn>> take_oldest() {
    if (idle_.empty())
      return std::nullopt;
    auto first = idle_.begin();
    std::pair<key, Conn> result{first->first, std::move(first->second)};
    idle_.erase(first);
    return result;
  }

  std::size_t size() const { return idle_.size(); }

private:
  key next_ = 0; // keys grow: the smallest is the oldest
  std::map<key, Conn> idle_;
};

} // namespace bookstore::http
