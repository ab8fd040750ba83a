#pragma once

// The soak's mixed load: what the client threads share, the connection
// that judges every answer, and the three kinds of client (seeding,
// shoppers, the admin).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"
#include "tally.hpp"

namespace soak {

struct credentials {
  std::string email;
  std::string password;
};

/// The seeded catalog: what the clients browse, search and buy.
struct catalog {
  std::vector<std::int64_t> books;
  std::vector<std::int64_t> genres;
  std::vector<std::string> words;   // title words (search terms)
  std::vector<std::string> authors; // author surnames
};

/// Books seeded with this stock, and restocked to it, run out now and then
/// (the expected 409s); the others have more than any run can sell.
inline constexpr long long scarce_stock = 3;
inline constexpr long long ample_stock = 1'000'000;

/// What every client thread shares.
struct load_context {
  std::uint16_t port = 0;
  const catalog* shop = nullptr;
  tally* counts = nullptr;
  /// Held by the sampler while it reads the server's RSS, and around the
  /// requests whose memory is large and transient by design: register and
  /// login hash a password with Argon2id (64 MiB, libsodium's interactive
  /// limit, mapped for the hash and unmapped after). A sample taken during
  /// one would show that request's peak, not what the server keeps.
  std::mutex* sample_gate = nullptr;
  const std::atomic<bool>* stop = nullptr;
};

/// A keep-alive connection whose every answer is judged: 2xx, or 409 with
/// one of the codes the caller allows, is expected; anything else,
/// including no answer, is a failure recorded with the request.
class judged_client {
public:
  judged_client(std::uint16_t port, tally& counts);

  /// The response when it was expected, nothing otherwise.
  std::optional<e2e::response>
  send(route r, std::string_view method, const std::string& target,
       const std::string& body = {}, const std::string& token = {},
       std::initializer_list<std::string_view> allowed_409 = {},
       const e2e::header_list& extra = {});

  /// Connections opened beyond the first (the server closed one).
  int reconnects() const noexcept {
    return std::max(client_.connections_opened() - 1, 0);
  }

private:
  static constexpr std::size_t kept_history = 8;

  void remember(std::string line);
  /// The history, for a failure's report.
  std::string after() const;

  e2e::http_client client_;
  tally& counts_;
  /// The last requests on this connection and their statuses: a failure
  /// is reported with what led to it.
  std::deque<std::string> history_;
};

/// Creates genres, books (every tenth one scarce) and the customers.
/// Runs on the test's thread and REQUIREs every step.
catalog seed_catalog(e2e::http_client& c, const std::string& admin,
                     int book_count, std::uint64_t seed);
std::vector<credentials> seed_customers(e2e::http_client& c, int count);

/// Browses, searches, fills and changes carts, checks out and lists orders
/// until `stop`, switching between its customers (and registering new ones)
/// every few seconds. Returns its connection's reconnects.
int run_shopper(const load_context& ctx, std::vector<credentials> customers,
                std::uint64_t seed);
struct admin_result {
  int reconnects = 0;
  std::int64_t listings = 0;      // GET /admin/orders answered
  std::int64_t listed_orders = 0; // orders in the last one
  double slowest_listing_ms = 0;
};
/// Restocks scarce books, reads every report, lists all orders now and
/// then and changes prices until `stop`.
admin_result run_admin(const load_context& ctx, std::uint64_t seed);

} // namespace soak
