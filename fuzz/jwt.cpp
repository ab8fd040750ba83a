// Fuzzes gateway/auth/jwt.hpp (verify_jwt, sign_jwt) with a fixed secret and
// a fixed clock, and the base64url codec under it. The first byte picks the
// mode ('0', '1', '2' in the seeds), the rest is its input:
//
// 0  the rest is a token as a client sends it. verify_jwt never throws;
//    a token it accepts is three parts of base64url characters only (so it
//    has one spelling), with claims verify_jwt's rules allow, and its
//    claims signed again verify to the same claims. A
//    base64url text that decodes encodes back to itself (one spelling).
// 1  the rest is "HEADER\nPAYLOAD", two JSON texts, signed with the secret
//    here, so the fuzzer reaches the header and claim checks that a bad
//    signature hides. verify_jwt must agree with a reference of API.md's
//    rules (HS256 only, typ JWT if any, no crit; sub, role user|admin, jti,
//    integer iat and exp).
// 2  the rest picks claims: sign_jwt then verify_jwt round-trips them, with
//    expired exactly when now >= exp; another secret or any one changed
//    character makes the token invalid.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fuzzer/FuzzedDataProvider.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "fuzz/check.hpp"
#include "gateway/auth/base64url.hpp"
#include "gateway/auth/jwt.hpp"
#include "gateway/auth/sodium.hpp"
#include "model/text.hpp"

namespace {

namespace auth = bookstore::auth;
using auth::jwt_claims;
using auth::jwt_status;
using bookstore::fuzz::no_throw;

constexpr std::string_view secret = "bookstore-fuzz-secret-0123456789abcdef";
constexpr std::int64_t now = 1767225600; // 2026-01-01T00:00:00Z

bool same_claims(const jwt_claims& a, const jwt_claims& b) {
  return a.sub == b.sub && a.role == b.role && a.jti == b.jti && a.iat == b.iat
         && a.exp == b.exp;
}

bool valid_role(const std::string& role) {
  return role == "user" || role == "admin";
}

// What any accepted token must satisfy.
void check_accepted(std::string_view token, const auth::jwt_result& r) {
  if (r.status == jwt_status::invalid) {
    FUZZ_CHECK(r.claims.sub.empty() && r.claims.jti.empty()
               && r.claims.role.empty());
    return;
  }
  FUZZ_CHECK(token.size() <= auth::max_jwt_length);
  // Three parts of base64url: one spelling per token.
  std::size_t dots = 0;
  for (char c : token) {
    dots += c == '.';
    FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
               || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
  }
  FUZZ_CHECK(dots == 2);
  FUZZ_CHECK(!r.claims.sub.empty() && !r.claims.jti.empty());
  FUZZ_CHECK(valid_role(r.claims.role));
  FUZZ_CHECK((r.status == jwt_status::expired) == (now >= r.claims.exp));
  // Our own signature over the same claims is accepted alike.
  const auto again =
      no_throw("sign_jwt", [&] { return auth::sign_jwt(r.claims, secret); });
  const auto back = auth::verify_jwt(again, secret, now);
  FUZZ_CHECK(back.status == r.status && same_claims(back.claims, r.claims));
  FUZZ_CHECK(auth::verify_jwt(token, "another secret", now).status
             == jwt_status::invalid);
}

void check_base64url(std::string_view text) {
  if (const auto decoded = auth::base64url_decode(text))
    FUZZ_CHECK(auth::base64url_encode(*decoded) == text);
  const auto encoded = auth::base64url_encode(text);
  FUZZ_CHECK(encoded.find_first_of("=+/") == std::string::npos);
  FUZZ_CHECK(auth::base64url_decode(encoded) == std::string(text));
}

std::string sign_raw(std::string_view header, std::string_view payload) {
  std::string input =
      auth::base64url_encode(header) + "." + auth::base64url_encode(payload);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(secret.data()),
      secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(input.data()),
      input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return input + "." + auth::base64url_encode(mac, sizeof mac);
}

using json = nlohmann::json;

bool reference_header(const json& h) {
  if (!h.is_object())
    return false;
  const auto alg = h.find("alg");
  if (alg == h.end() || !alg->is_string() || *alg != "HS256")
    return false;
  const auto typ = h.find("typ");
  if (typ != h.end() && !(typ->is_string() && *typ == "JWT"))
    return false;
  return h.find("crit") == h.end();
}

std::optional<std::string> text_claim(const json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end() || !it->is_string() || it->get<std::string>().empty())
    return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::int64_t> int_claim(const json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end())
    return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v
        > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (it->is_number_integer())
    return it->get<std::int64_t>();
  return std::nullopt;
}

std::optional<jwt_claims> reference_claims(const json& p) {
  if (!p.is_object())
    return std::nullopt;
  const auto sub = text_claim(p, "sub");
  const auto role = text_claim(p, "role");
  const auto jti = text_claim(p, "jti");
  const auto iat = int_claim(p, "iat");
  const auto exp = int_claim(p, "exp");
  if (!sub || !role || !valid_role(*role) || !jti || !iat || !exp)
    return std::nullopt;
  return jwt_claims{*sub, *role, *jti, *iat, *exp};
}

void signed_parts(std::string_view rest) {
  const auto newline = rest.find('\n');
  const auto header = rest.substr(0, newline);
  const auto payload = newline == std::string_view::npos
                           ? std::string_view{}
                           : rest.substr(newline + 1);
  const auto token = sign_raw(header, payload);
  const auto r = auth::verify_jwt(token, secret, now);
  check_accepted(token, r);

  const auto h = json::parse(header, nullptr, false);
  const auto p = json::parse(payload, nullptr, false);
  std::optional<jwt_claims> expected;
  if (!h.is_discarded() && reference_header(h) && !p.is_discarded())
    expected = reference_claims(p);
  FUZZ_CHECK(expected.has_value() == (r.status != jwt_status::invalid));
  if (expected)
    FUZZ_CHECK(same_claims(*expected, r.claims));
}

void round_trip(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  jwt_claims claims;
  claims.sub = in.ConsumeRandomLengthString(64);
  claims.role = in.ConsumeBool() ? "admin" : "user";
  claims.jti = in.ConsumeRandomLengthString(64);
  claims.iat = in.ConsumeIntegral<std::int64_t>();
  claims.exp = in.ConsumeBool() ? now + in.ConsumeIntegralInRange(-2, 2)
                                : in.ConsumeIntegral<std::int64_t>();
  const auto flip_at = in.ConsumeIntegral<std::size_t>();
  const auto flip_by = in.ConsumeIntegralInRange<int>(1, 255);

  if (claims.sub.empty() || claims.jti.empty()) {
    bool threw = false;
    try {
      auth::sign_jwt(claims, secret);
    } catch (const std::invalid_argument&) {
      threw = true;
    }
    FUZZ_CHECK(threw);
    return;
  }
  // JSON carries UTF-8 only; our subs are ids and our jtis hex.
  if (!bookstore::model::code_points(claims.sub)
      || !bookstore::model::code_points(claims.jti))
    return;
  const auto token =
      no_throw("sign_jwt", [&] { return auth::sign_jwt(claims, secret); });
  const auto r = auth::verify_jwt(token, secret, now);
  FUZZ_CHECK(r.status
             == (now >= claims.exp ? jwt_status::expired : jwt_status::ok));
  FUZZ_CHECK(same_claims(r.claims, claims));
  check_accepted(token, r);

  std::string changed = token;
  const auto i = flip_at % changed.size();
  changed[i] =
      static_cast<char>(static_cast<unsigned char>(changed[i]) ^ flip_by);
  FUZZ_CHECK(auth::verify_jwt(changed, secret, now).status
             == jwt_status::invalid);
  FUZZ_CHECK(auth::verify_jwt(token, "", now).status == jwt_status::invalid);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auth::ensure_sodium();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0)
    return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1,
                              size - 1);
  switch (data[0] % 3) {
  case 0: {
    const auto r = auth::verify_jwt(rest, secret, now);
    check_accepted(rest, r);
    check_base64url(rest);
    break;
  }
  case 1:
    signed_parts(rest);
    break;
  default:
    round_trip(data + 1, size - 1);
    break;
  }
  return 0;
}
