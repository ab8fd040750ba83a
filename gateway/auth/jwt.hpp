#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bookstore::auth {

/// The claims of an access token (API.md, Auth). Times are Unix seconds.
struct jwt_claims {
  std::string sub;  // user id, as a string
  std::string role; // "user" or "admin"
  std::string jti;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

enum class jwt_status { ok, invalid, expired };

/// `claims` is filled for ok and expired (expired tokens are still authentic,
/// which is worth logging) and left empty for invalid.
struct jwt_result {
  jwt_status status = jwt_status::invalid;
  jwt_claims claims;
};

/// Longer tokens are refused before any decoding.
constexpr std::size_t max_jwt_length = 8 * 1024;

/// A compact JWS with header {"alg":"HS256","typ":"JWT"}. Throws
/// std::invalid_argument for an empty secret, an empty sub or jti, or a
/// role other than "user"/"admin": verify_jwt would refuse such a token.
std::string sign_jwt(const jwt_claims& claims, std::string_view secret);

/// Checks a token signed by sign_jwt. Only HS256 is accepted, whatever the
/// header claims. ok: authentic, well-formed and now < exp. expired:
/// authentic and well-formed but now >= exp. invalid: anything else,
/// including an empty secret. Never throws.
jwt_result verify_jwt(std::string_view token, std::string_view secret,
                      std::int64_t now) noexcept;

} // namespace bookstore::auth
