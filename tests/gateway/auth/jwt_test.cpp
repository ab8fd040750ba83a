#include <catch2/catch.hpp>

#include <array>
#include <string>

#include <sodium.h>

#include "gateway/auth/base64url.hpp"
#include "gateway/auth/jwt.hpp"
#include "gateway/auth/sodium.hpp"

using bookstore::auth::base64url_decode;
using bookstore::auth::base64url_encode;
using bookstore::auth::jwt_claims;
using bookstore::auth::jwt_status;
using bookstore::auth::max_jwt_length;
using bookstore::auth::sign_jwt;
using bookstore::auth::verify_jwt;

namespace {

const std::string secret = "test secret, long enough to be a real one";
constexpr std::int64_t t_iat = 1'700'000'000;
constexpr std::int64_t t_exp = t_iat + 900;

jwt_claims sample_claims() {
  return {"42", "user", "jti-1", t_iat, t_exp};
}

const std::string good_header = R"({"alg":"HS256","typ":"JWT"})";
const std::string good_payload =
    R"({"sub":"42","role":"user","jti":"j","iat":1700000000,"exp":1700000900})";

// Signs arbitrary header and payload text the way sign_jwt would, so the
// tests can build tokens that are authentic but say something odd.
std::string forge(const std::string& header, const std::string& payload,
                  const std::string& key = secret) {
  bookstore::auth::ensure_sodium();
  std::string input =
      base64url_encode(header) + "." + base64url_encode(payload);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(input.data()),
      input.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac;
  crypto_auth_hmacsha256_final(&state, mac.data());
  return input + "." + base64url_encode(mac.data(), mac.size());
}

jwt_status status_of(const std::string& token, std::int64_t now = t_iat) {
  return verify_jwt(token, secret, now).status;
}

struct parts {
  std::string header, payload, signature;
};

parts split(const std::string& token) {
  auto a = token.find('.');
  auto b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1),
          token.substr(b + 1)};
}

} // namespace

TEST_CASE("sign_jwt and verify_jwt round-trip the claims", "[jwt]") {
  std::string role = GENERATE("user", "admin");
  jwt_claims claims = sample_claims();
  claims.role = role;
  std::string token = sign_jwt(claims, secret);
  auto result = verify_jwt(token, secret, t_iat);
  REQUIRE(result.status == jwt_status::ok);
  CHECK(result.claims.sub == "42");
  CHECK(result.claims.role == role);
  CHECK(result.claims.jti == "jti-1");
  CHECK(result.claims.iat == t_iat);
  CHECK(result.claims.exp == t_exp);
}

TEST_CASE("sign_jwt writes the pinned header", "[jwt]") {
  auto header =
      base64url_decode(split(sign_jwt(sample_claims(), secret)).header);
  REQUIRE(header);
  CHECK(*header == good_header);
}

TEST_CASE("verify_jwt reports expiry at exp and later", "[jwt]") {
  std::string token = sign_jwt(sample_claims(), secret);
  CHECK(status_of(token, t_exp - 1) == jwt_status::ok);
  CHECK(status_of(token, t_exp) == jwt_status::expired);
  CHECK(status_of(token, t_exp + 1) == jwt_status::expired);
  CHECK(status_of(token, t_exp + 86400) == jwt_status::expired);
  // Expired tokens are still authentic: their claims come along.
  CHECK(verify_jwt(token, secret, t_exp).claims.sub == "42");
  // Expiry is reported only for authentic tokens.
  CHECK(verify_jwt(token, "other", t_exp).status == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses every algorithm but HS256", "[jwt]") {
  const std::string header = GENERATE(
      R"({"alg":"none","typ":"JWT"})", R"({"alg":"None"})",
      R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"RS256","typ":"JWT"})",
      R"({"alg":"ES256"})", R"({"alg":"hs256"})", R"({"alg":"HS256 "})",
      R"({"typ":"JWT"})", R"({"alg":null})", R"({"alg":["HS256"]})",
      R"({"alg":256})", R"({})");
  CAPTURE(header);
  // Correctly HMAC-signed with our secret, so only the header is wrong.
  CHECK(status_of(forge(header, good_payload)) == jwt_status::invalid);
  // The classic "alg: none" with an empty signature.
  std::string unsigned_token =
      base64url_encode(header) + "." + base64url_encode(good_payload) + ".";
  CHECK(status_of(unsigned_token) == jwt_status::invalid);
}

TEST_CASE("verify_jwt checks the rest of the header", "[jwt]") {
  CHECK(status_of(forge(good_header, good_payload)) == jwt_status::ok);
  CHECK(status_of(forge(R"({"alg":"HS256"})", good_payload))
        == jwt_status::ok); // typ is optional
  const std::string bad =
      GENERATE(R"({"alg":"HS256","typ":"JWS"})", R"({"alg":"HS256","typ":1})",
               R"({"alg":"HS256","crit":["exp"]})", R"(["HS256"])",
               R"("HS256")", R"(null)", R"({"alg":"HS256")", "");
  CAPTURE(bad);
  CHECK(status_of(forge(bad, good_payload)) == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses another secret", "[jwt]") {
  std::string token = sign_jwt(sample_claims(), secret);
  CHECK(verify_jwt(token, "another secret", t_iat).status
        == jwt_status::invalid);
  CHECK(verify_jwt(token, secret + "x", t_iat).status == jwt_status::invalid);
  CHECK(verify_jwt(token, "", t_iat).status == jwt_status::invalid);
  CHECK(status_of(forge(good_header, good_payload, "another secret"))
        == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses a changed payload", "[jwt]") {
  std::string token = sign_jwt(sample_claims(), secret);
  parts p = split(token);
  auto payload = base64url_decode(p.payload);
  REQUIRE(payload);
  std::string changed = *payload;
  auto at = changed.find(R"("sub":"42")");
  REQUIRE(at != std::string::npos);
  changed.replace(at, 10, R"("sub":"1")");
  std::string forged =
      p.header + "." + base64url_encode(changed) + "." + p.signature;
  CHECK(status_of(forged) == jwt_status::invalid);

  std::string admin = *payload;
  admin.replace(admin.find(R"("role":"user")"), 13, R"("role":"admin")");
  CHECK(status_of(p.header + "." + base64url_encode(admin) + "." + p.signature)
        == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses a changed header", "[jwt]") {
  parts p = split(sign_jwt(sample_claims(), secret));
  // Same meaning, other bytes: the signature covers the bytes.
  const std::string header =
      GENERATE(R"({"typ":"JWT","alg":"HS256"})",
               R"({"alg":"HS256","typ":"JWT","kid":"1"})",
               R"({"alg":"HS256", "typ":"JWT"})");
  CAPTURE(header);
  std::string token =
      base64url_encode(header) + "." + p.payload + "." + p.signature;
  CHECK(status_of(token) == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses a changed signature", "[jwt]") {
  std::string token = sign_jwt(sample_claims(), secret);
  parts p = split(token);
  std::string base = p.header + "." + p.payload + ".";
  std::string flipped = p.signature;
  flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
  CHECK(status_of(base + flipped) == jwt_status::invalid);
  CHECK(status_of(base + p.signature.substr(1)) == jwt_status::invalid);
  CHECK(status_of(base + p.signature + "A") == jwt_status::invalid);
  CHECK(status_of(base + p.signature + "=") == jwt_status::invalid);
  CHECK(status_of(base) == jwt_status::invalid);
  // 32 bytes leave 2 unused bits in the last of 43 characters; setting them
  // would be another spelling of the same MAC, which is refused.
  std::string alias = p.signature;
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  auto last = alphabet.find(alias.back());
  alias.back() = alphabet[last ^ 1];
  CHECK(status_of(base + alias) == jwt_status::invalid);
}

TEST_CASE("verify_jwt calls garbage invalid and never throws", "[jwt]") {
  std::string token = sign_jwt(sample_claims(), secret);
  const std::string garbage = GENERATE_COPY(
      std::string(""), std::string("."), std::string(".."), std::string("..."),
      std::string("a"), std::string("a.b"), std::string("a.b.c"),
      std::string("a.b.c.d"), token + "." + "x", "." + token, token + ".",
      std::string("!!!.###.$$$"), std::string("eyJ.eyJ.eyJ"), " " + token,
      token + " ", token + "\n", std::string(token).insert(10, 1, '\0'),
      std::string(token).insert(10, "="), "Bearer " + token,
      std::string(100000, 'a'), std::string(100000, '.'),
      std::string(5000, 'a') + "." + std::string(5000, 'a') + "."
          + std::string(43, 'a'));
  CAPTURE(garbage.substr(0, 200));
  CHECK_NOTHROW(verify_jwt(garbage, secret, t_iat));
  CHECK(status_of(garbage) == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses authentic tokens that are too long", "[jwt]") {
  jwt_claims claims = sample_claims();
  claims.jti = std::string(max_jwt_length, 'j');
  std::string token = sign_jwt(claims, secret);
  REQUIRE(token.size() > max_jwt_length);
  CHECK(status_of(token) == jwt_status::invalid);
  // Just under the limit is fine.
  claims.jti = std::string(max_jwt_length / 2, 'j');
  CHECK(status_of(sign_jwt(claims, secret)) == jwt_status::ok);
}

TEST_CASE("verify_jwt refuses payloads that are not objects", "[jwt]") {
  const std::string payload =
      GENERATE(R"([])", R"("sub")", R"(42)", R"(null)", R"(true)", R"({)",
               R"({"sub":"42")", "", "not json", "{\"sub\":\"\xff\"}",
               R"([{"sub":"42","role":"user","jti":"j","iat":1,"exp":2}])");
  CAPTURE(payload);
  CHECK_NOTHROW(verify_jwt(forge(good_header, payload), secret, t_iat));
  CHECK(status_of(forge(good_header, payload)) == jwt_status::invalid);
}

TEST_CASE("verify_jwt refuses missing or mistyped claims", "[jwt]") {
  const std::string payload =
      GENERATE(R"({"role":"user","jti":"j","iat":1,"exp":2})",
               R"({"sub":42,"role":"user","jti":"j","iat":1,"exp":2})",
               R"({"sub":"","role":"user","jti":"j","iat":1,"exp":2})",
               R"({"sub":null,"role":"user","jti":"j","iat":1,"exp":2})",
               R"({"sub":"42","jti":"j","iat":1,"exp":2})",
               R"({"sub":"42","role":"root","jti":"j","iat":1,"exp":2})",
               R"({"sub":"42","role":"Admin","jti":"j","iat":1,"exp":2})",
               R"({"sub":"42","role":["admin"],"jti":"j","iat":1,"exp":2})",
               R"({"sub":"42","role":"user","iat":1,"exp":2})",
               R"({"sub":"42","role":"user","jti":7,"iat":1,"exp":2})",
               R"({"sub":"42","role":"user","jti":"j","exp":2})",
               R"({"sub":"42","role":"user","jti":"j","iat":"1","exp":2})",
               R"({"sub":"42","role":"user","jti":"j","iat":1})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,"exp":"2"})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,"exp":2.5})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,"exp":2e9})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,"exp":true})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,"exp":null})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,)"
               R"("exp":18446744073709551615})",
               R"({"sub":"42","role":"user","jti":"j","iat":1,)"
               R"("exp":99999999999999999999999})");
  CAPTURE(payload);
  CHECK_NOTHROW(verify_jwt(forge(good_header, payload), secret, 0));
  CHECK(verify_jwt(forge(good_header, payload), secret, 0).status
        == jwt_status::invalid);
}

TEST_CASE("verify_jwt ignores extra claims and takes negative times", "[jwt]") {
  auto result = verify_jwt(
      forge(good_header, R"({"sub":"7","role":"admin","jti":"j","iat":-5,)"
                         R"("exp":9223372036854775807,"aud":"x"})"),
      secret, t_iat);
  REQUIRE(result.status == jwt_status::ok);
  CHECK(result.claims.sub == "7");
  CHECK(result.claims.role == "admin");
  CHECK(result.claims.iat == -5);
  CHECK(result.claims.exp == INT64_MAX);
}

TEST_CASE("sign_jwt refuses what verify_jwt would refuse", "[jwt]") {
  jwt_claims claims = sample_claims();
  CHECK_THROWS_AS(sign_jwt(claims, ""), std::invalid_argument);
  claims.role = "root";
  CHECK_THROWS_AS(sign_jwt(claims, secret), std::invalid_argument);
  claims = sample_claims();
  claims.sub.clear();
  CHECK_THROWS_AS(sign_jwt(claims, secret), std::invalid_argument);
  claims = sample_claims();
  claims.jti.clear();
  CHECK_THROWS_AS(sign_jwt(claims, secret), std::invalid_argument);
}

TEST_CASE("sign_jwt keeps non-ASCII claims verbatim", "[jwt]") {
  jwt_claims claims = sample_claims();
  claims.sub = "ünïcødé \"quoted\" 🔑";
  auto result = verify_jwt(sign_jwt(claims, secret), secret, t_iat);
  REQUIRE(result.status == jwt_status::ok);
  CHECK(result.claims.sub == claims.sub);
}
