#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "gateway/auth/tokens.hpp"

using bookstore::auth::new_jti;
using bookstore::auth::random_secret;
using bookstore::auth::random_token;
using bookstore::auth::token_hash;

namespace {

bool is_base64url(const std::string& text) {
  return text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz0123456789-_")
         == std::string::npos;
}

} // namespace

TEST_CASE("random_token is unpadded base64url of the requested size",
          "[tokens]") {
  CHECK(random_token().size() == 43); // 32 bytes
  CHECK(random_token(1).size() == 2);
  CHECK(random_token(2).size() == 3);
  CHECK(random_token(3).size() == 4);
  CHECK(random_token(64).size() == 86);
  CHECK(is_base64url(random_token()));
  CHECK_THROWS_AS(random_token(0), std::invalid_argument);
}

TEST_CASE("random tokens and jtis and secrets do not repeat", "[tokens]") {
  std::set<std::string> tokens, jtis, secrets;
  for (int i = 0; i < 1000; ++i) {
    tokens.insert(random_token());
    jtis.insert(new_jti());
    secrets.insert(random_secret());
  }
  CHECK(tokens.size() == 1000);
  CHECK(jtis.size() == 1000);
  CHECK(secrets.size() == 1000);
}

TEST_CASE("new_jti and random_secret have their sizes", "[tokens]") {
  CHECK(new_jti().size() == 22);       // 16 bytes
  CHECK(random_secret().size() >= 43); // at least 32 bytes
  CHECK(is_base64url(new_jti()));
  CHECK(is_base64url(random_secret()));
}

TEST_CASE("token_hash is stable lowercase hex SHA-256", "[tokens]") {
  // Known answers (FIPS 180-2) pin the algorithm, not just the shape.
  CHECK(token_hash("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(token_hash("")
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string token = random_token();
  std::string hash = token_hash(token);
  CHECK(hash.size() == 64);
  CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(token_hash(token) == hash);
  CHECK(token_hash(random_token()) != hash);
}

TEST_CASE("a cluster's refresh token names its user, and only that text "
          "does",
          "[auth]") {
  using bookstore::auth::cluster_refresh_token;
  using bookstore::auth::refresh_token_user;
  auto token = cluster_refresh_token(42);
  CHECK(token.rfind("42.", 0) == 0);
  CHECK(token.size() == 3 + 43);
  CHECK(refresh_token_user(token) == 42);
  CHECK(cluster_refresh_token(42) != token);
  // A single server's tokens (base64url, no dot) and anything else: none.
  CHECK(refresh_token_user(random_token()) == 0);
  CHECK(refresh_token_user("") == 0);
  CHECK(refresh_token_user(".abc") == 0);
  CHECK(refresh_token_user("4x.abc") == 0);
  CHECK(refresh_token_user("-4.abc") == 0);
  CHECK(refresh_token_user("1234567890123456789.abc") == 0); // 19 digits
  CHECK(refresh_token_user("123456789012345678.abc") == 123456789012345678);
}
