#include <catch2/catch.hpp>

#include <string>

#include <sodium.h>

#include "gateway/auth/password.hpp"
#include "gateway/auth/sodium.hpp"

using bookstore::auth::hash_password;
using bookstore::auth::needs_rehash;
using bookstore::auth::password_cost;
using bookstore::auth::verify_dummy;
using bookstore::auth::verify_password;

namespace {

const password_cost fast = password_cost::fast_for_tests();

} // namespace

TEST_CASE("hash_password writes an Argon2id hash string", "[password]") {
  std::string hash = hash_password("correct horse", fast);
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hash.find("correct horse") == std::string::npos);
}

TEST_CASE("verify_password accepts the password and nothing else",
          "[password]") {
  std::string hash = hash_password("correct horse", fast);
  CHECK(verify_password(hash, "correct horse"));
  CHECK_FALSE(verify_password(hash, "correct horsE"));
  CHECK_FALSE(verify_password(hash, "correct horse "));
  CHECK_FALSE(verify_password(hash, ""));
}

TEST_CASE("passwords with odd bytes round-trip", "[password]") {
  const std::string odd = GENERATE(std::string("pässwörd🔑"),
                                   std::string("a\0b", 3), std::string(""));
  std::string hash = hash_password(odd, fast);
  CHECK(verify_password(hash, odd));
  // An embedded NUL is part of the password, not its end.
  if (odd == std::string("a\0b", 3)) {
    CHECK_FALSE(verify_password(hash, "a"));
  }
}

TEST_CASE("two hashes of one password differ (random salt)", "[password]") {
  std::string a = hash_password("same password", fast);
  std::string b = hash_password("same password", fast);
  CHECK(a != b);
  CHECK(verify_password(a, "same password"));
  CHECK(verify_password(b, "same password"));
}

TEST_CASE("verify_password is false for malformed hashes", "[password]") {
  std::string good = hash_password("pw", fast);
  const std::string bad = GENERATE_COPY(
      std::string(""), std::string("pw"), std::string("$argon2id$"),
      std::string("$argon2id$v=19$m=8,t=1,p=1$garbage$garbage"),
      good.substr(0, good.size() - 5), good + "x",
      std::string(good).insert(10, 1, '\0'), std::string(1000, 'a'),
      "$argon2id$" + std::string(500, '$'));
  CAPTURE(bad);
  CHECK_FALSE(verify_password(bad, "pw"));
}

TEST_CASE("verify_password refuses argon2i hashes", "[password]") {
  // Only Argon2id is ever stored, so a valid hash of another algorithm is
  // treated as corrupt rather than verified.
  bookstore::auth::ensure_sodium();
  char argon2i[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str_alg(
              argon2i, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN,
              crypto_pwhash_argon2i_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2I13)
          == 0);
  REQUIRE(crypto_pwhash_str_verify(argon2i, "pw", 2) == 0);
  CHECK_FALSE(verify_password(argon2i, "pw"));
}

TEST_CASE("verify_dummy runs and never matches anything", "[password]") {
  CHECK_NOTHROW(verify_dummy("whatever", fast));
  CHECK_NOTHROW(verify_dummy("", fast));
  CHECK_NOTHROW(verify_dummy("whatever", fast)); // cached dummy
}

TEST_CASE("needs_rehash compares the stored cost", "[password]") {
  std::string hash = hash_password("pw", fast);
  CHECK_FALSE(needs_rehash(hash, fast));
  CHECK(needs_rehash(hash, password_cost::interactive()));
  CHECK(needs_rehash("garbage", fast));
}

TEST_CASE("password costs are libsodium's", "[password]") {
  CHECK(password_cost::interactive().opslimit == 2);
  CHECK(password_cost::interactive().memlimit == 64u * 1024 * 1024);
  CHECK(password_cost::fast_for_tests().opslimit == 1);
  CHECK(password_cost::fast_for_tests().memlimit == 8192);
}
