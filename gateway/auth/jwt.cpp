#include "gateway/auth/jwt.hpp"

#include <array>
#include <optional>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "gateway/auth/base64url.hpp"
#include "gateway/auth/sodium.hpp"

namespace bookstore::auth {

namespace {

using json = nlohmann::json;
using mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

// The init/update/final form takes a key of any length, unlike
// crypto_auth_hmacsha256, which wants exactly 32 bytes.
mac hmac_sha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  mac out;
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state); // the state holds the padded key
  return out;
}

bool valid_role(std::string_view role) {
  return role == "user" || role == "admin";
}

// Decodes one base64url part into a JSON value; nothing when either step
// fails. Parsing without exceptions returns a discarded value on bad JSON
// or bad UTF-8.
std::optional<json> decode_json(std::string_view part) {
  auto text = base64url_decode(part);
  if (!text) {
    return std::nullopt;
  }
  json value = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return std::nullopt;
  }
  return value;
}

// The algorithm is pinned: a token naming anything but HS256 is refused
// rather than verified some other way ("none", RS256 with the secret as a
// public key, ...). "crit" names extensions we do not understand, which
// RFC 7515 says must be refused.
bool valid_header(const json& header) {
  if (!header.is_object()) {
    return false;
  }
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || *alg != "HS256") {
    return false;
  }
  auto typ = header.find("typ");
  if (typ != header.end() && (!typ->is_string() || *typ != "JWT")) {
    return false;
  }
  return !header.contains("crit");
}

bool get_string(const json& payload, const char* key, std::string& out) {
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_string()) {
    return false;
  }
  out = it->get<std::string>();
  return !out.empty();
}

// is_number_integer() holds for unsigned values too; those above INT64_MAX
// are refused rather than wrapped.
bool get_int(const json& payload, const char* key, std::int64_t& out) {
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_number_integer()) {
    return false;
  }
  if (it->is_number_unsigned()
      && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    return false;
  }
  out = it->get<std::int64_t>();
  return true;
}

std::optional<jwt_claims> read_claims(const json& payload) {
  if (!payload.is_object()) {
    return std::nullopt;
  }
  jwt_claims claims;
  if (!get_string(payload, "sub", claims.sub)
      || !get_string(payload, "role", claims.role) || !valid_role(claims.role)
      || !get_string(payload, "jti", claims.jti)
      || !get_int(payload, "iat", claims.iat)
      || !get_int(payload, "exp", claims.exp)) {
    return std::nullopt;
  }
  return claims;
}

jwt_result check(std::string_view token, std::string_view secret,
                 std::int64_t now) {
  if (token.size() > max_jwt_length || secret.empty()) {
    return {};
  }
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? std::string_view::npos
                                                : token.find('.', first + 1);
  if (second == std::string_view::npos
      || token.find('.', second + 1) != std::string_view::npos) {
    return {}; // not exactly three parts
  }
  auto header = decode_json(token.substr(0, first));
  if (!header || !valid_header(*header)) {
    return {};
  }
  // The signature covers the parts exactly as sent, not a re-encoding.
  auto signature = base64url_decode(token.substr(second + 1));
  mac expected = hmac_sha256(secret, token.substr(0, second));
  if (!signature || signature->size() != expected.size()
      || sodium_memcmp(signature->data(), expected.data(), expected.size())
             != 0) {
    return {};
  }
  auto payload = decode_json(token.substr(first + 1, second - first - 1));
  std::optional<jwt_claims> claims;
  if (payload) {
    claims = read_claims(*payload);
  }
  if (!claims) {
    return {};
  }
  auto status = now >= claims->exp ? jwt_status::expired : jwt_status::ok;
  return {status, std::move(*claims)};
}

} // namespace

std::string sign_jwt(const jwt_claims& claims, std::string_view secret) {
  if (secret.empty()) {
    throw std::invalid_argument("sign_jwt: empty secret");
  }
  if (claims.sub.empty() || claims.jti.empty() || !valid_role(claims.role)) {
    throw std::invalid_argument("sign_jwt: claims verify_jwt would refuse");
  }
  ensure_sodium();
  // nlohmann objects keep keys sorted, so the output is deterministic.
  const json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  const json payload = {{"sub", claims.sub},
                        {"role", claims.role},
                        {"jti", claims.jti},
                        {"iat", claims.iat},
                        {"exp", claims.exp}};
  std::string signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  mac signature = hmac_sha256(secret, signing_input);
  return signing_input + "."
         + base64url_encode(signature.data(), signature.size());
}

jwt_result verify_jwt(std::string_view token, std::string_view secret,
                      std::int64_t now) noexcept {
  try {
    return check(token, secret, now);
  } catch (...) {
    // Only allocation failure or a failed libsodium start can get here;
    // refusing the token is the safe answer to either.
    return {};
  }
}

} // namespace bookstore::auth
