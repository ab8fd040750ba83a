#pragma once

// Counts of the soak's answers by route kind and status, and the failures
// (with the request that got them), shared by every client thread.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace soak {

enum class route {
  browse,   // GET /books pages
  search,   // GET /books with q, author, genre or price filters
  detail,   // GET /books/{id}
  auth,     // register, login
  cart,     // GET /cart, POST/PUT/DELETE /cart/items
  checkout, // POST /orders/checkout
  orders,   // GET /orders, GET /orders/{id}
  admin,    // reports, admin order listing, restocks, price changes
  health,   // GET /health
  metrics,  // GET /metrics (the sampler's)
};
inline constexpr std::size_t route_count = 10;
const char* to_string(route r);

struct totals {
  std::int64_t requests = 0;
  std::int64_t ok = 0;        // 2xx
  std::int64_t conflicts = 0; // the expected 409s
  std::int64_t failures = 0;  // anything unexpected
};

class tally {
public:
  /// An answer the soak expected (2xx, or a 409 it allows there).
  void expected(route r, int status);
  /// Anything else: an unexpected status, a 409 with another code, a
  /// transport error. `what` names the request and what came back.
  void failure(route r, int status, std::string what);

  totals snapshot() const;
  /// "route: status xN ..." lines, and the first failures kept.
  std::string by_route() const;
  std::string failures() const;

private:
  static constexpr std::size_t kept_failures = 20;

  mutable std::mutex mutex_;
  totals totals_;
  std::array<std::map<int, std::int64_t>, route_count> statuses_;
  std::vector<std::string> failures_;
};

} // namespace soak
