#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "actors/core.hpp"
#include "actors/handles.hpp"
#include "cluster/links.hpp"
#include "cluster/peer_table.hpp"
#include "gateway/api/handle_cache.hpp"
#include "gateway/api/token_cache.hpp"
#include "gateway/auth/hash_pool.hpp"
#include "gateway/auth/password.hpp"
#include "gateway/http/cors.hpp"
#include "model/cluster.hpp"

namespace bookstore::gateway {

/// How the gateway issues and checks credentials.
struct auth_settings {
  std::string jwt_secret;
  std::int64_t access_ttl = 900;            // seconds (API.md)
  std::int64_t refresh_ttl = 7 * 24 * 3600; // seconds
  auth::password_cost password_cost = auth::password_cost::interactive();
  /// How register hashes a password: a seam for tests (a hash that throws).
  std::function<std::string(std::string_view, auth::password_cost)> hash =
      [](std::string_view password, auth::password_cost cost) {
        return auth::hash_password(password, cost);
      };
};

/// Idempotency keys whose first request is still running, across all
/// connections (brokers may run on different threads).
class idempotency_guard {
public:
  /// True if the caller now owns (user, key); false if somebody else does.
  bool try_begin(model::user_id user, const std::string& key) {
    std::lock_guard<std::mutex> guard{mtx_};
    return running_.emplace(user, key).second;
  }
  void end(model::user_id user, const std::string& key) {
    std::lock_guard<std::mutex> guard{mtx_};
    running_.erase({user, key});
  }

private:
  std::mutex mtx_;
  std::set<std::pair<model::user_id, std::string>> running_;
};

/// Request counters for /metrics, by route pattern and status, and a latency
/// histogram. Guarded by a mutex: brokers run on several threads.
class request_metrics {
public:
  static constexpr double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                       0.025,  0.05,  0.1,    0.25,  0.5,
                                       1.0,    2.5,   5.0,    10.0};
  static constexpr std::size_t bucket_count = std::size(buckets);

  void record(const std::string& route, int status, double seconds);
  /// Prometheus text format of the gateway's own counters.
  std::string render() const;

private:
  mutable std::mutex mtx_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::uint64_t histogram_[bucket_count + 1] = {};
  double latency_sum_ = 0;
  std::uint64_t latency_count_ = 0;
};

/// This node's place in a cluster (API.md, "Cluster"): who owns what, which
/// peers answer, and the links that carry requests to them.
struct cluster_view {
  std::shared_ptr<cluster::peer_table> peers;
  model::ownership owners{1};
  cluster::links_actor links;
};

/// Everything a route needs, shared by all connections.
struct context {
  core shop;
  auth_settings auth;
  /// Where register and login hash (main creates it; see offload.hpp).
  std::shared_ptr<auth::hash_pool> hashing;
  /// Uploaded images: their folder, and the pool that reads and writes
  /// them off the actors' threads (routes_uploads.cpp; main creates both).
  std::string uploads_dir;
  std::shared_ptr<auth::hash_pool> files;
  idempotency_guard idempotency;
  token_cache tokens;
  handle_cache<book_actor> books; // registry answers, see ask.hpp
  handle_cache<cart_actor> carts;
  request_metrics metrics;
  http::cors_policy cors; // none allowed unless main says so
  bool log_requests = true;
  /// Set when this server is a node of a cluster (main.cpp).
  std::shared_ptr<const cluster_view> cluster;
};

} // namespace bookstore::gateway
