#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/auth/jwt.hpp"

namespace bookstore::gateway {

/// Access tokens already verified, so that a client's every request does not
/// decode and authenticate its token again. Keyed by the whole token text:
/// only an identical, already verified token hits, and only until its exp.
class token_cache {
public:
  /// The claims of `token` if it was verified before and is not expired.
  std::optional<auth::jwt_claims> find(std::string_view token,
                                       std::int64_t now) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = entries_.find(std::string{token});
    if (i == entries_.end() || now >= i->second.exp)
      return std::nullopt;
    return i->second;
  }

  /// Remembers a token verify_jwt accepted.
  void put(std::string_view token, const auth::jwt_claims& claims,
           std::int64_t now) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (entries_.size() >= max_entries)
      evict(now);
    entries_.emplace(std::string{token}, claims);
  }

private:
  static constexpr std::size_t max_entries = 16384;

  /// Drops the expired entries, or everything if none has expired: a bound
  /// on memory, not an LRU; a dropped token is simply verified again.
  void evict(std::int64_t now) {
    for (auto i = entries_.begin(); i != entries_.end();)
      i = now >= i->second.exp ? entries_.erase(i) : std::next(i);
    if (entries_.size() >= max_entries)
      entries_.clear();
  }

  std::mutex mtx_;
  std::unordered_map<std::string, auth::jwt_claims> entries_;
};

} // namespace bookstore::gateway
