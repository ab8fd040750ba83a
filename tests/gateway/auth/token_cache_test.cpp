#include <catch2/catch.hpp>

#include "gateway/api/token_cache.hpp"

using bookstore::auth::jwt_claims;
using bookstore::gateway::token_cache;

namespace {

jwt_claims claims_until(std::int64_t exp) {
  return jwt_claims{"7", "user", "jti", exp - 900, exp};
}

} // namespace

TEST_CASE("a verified token is found again until its exp") {
  token_cache cache;
  cache.put("token-a", claims_until(1000), 100);
  auto hit = cache.find("token-a", 999);
  REQUIRE(hit);
  CHECK(hit->sub == "7");
  CHECK_FALSE(cache.find("token-a", 1000)); // expired: verify again
  CHECK_FALSE(cache.find("token-b", 500));  // only the identical text hits
  CHECK_FALSE(cache.find("token-", 500));
}

TEST_CASE("a full cache drops expired entries first and then everything") {
  token_cache cache;
  for (int i = 0; i < 16384; ++i)
    cache.put("t" + std::to_string(i), claims_until(i < 100 ? 50 : 5000), 10);
  // Full: the next put evicts the 100 expired tokens and keeps the rest.
  cache.put("fresh", claims_until(5000), 60);
  CHECK(cache.find("fresh", 60));
  CHECK(cache.find("t200", 60));
  CHECK_FALSE(cache.find("t5", 60));
}
