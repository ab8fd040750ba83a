#include "gateway/auth/tokens.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include <sodium.h>

#include "gateway/auth/base64url.hpp"
#include "gateway/auth/sodium.hpp"

namespace bookstore::auth {

std::string random_token(std::size_t bytes) {
  if (bytes == 0) {
    throw std::invalid_argument("random_token: zero bytes");
  }
  ensure_sodium();
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  std::string token = base64url_encode(buffer.data(), buffer.size());
  sodium_memzero(buffer.data(), buffer.size());
  return token;
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(),
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  // sodium_bin2hex writes lowercase digits and a terminating NUL.
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.resize(digest.size() * 2);
  return hex;
}

std::string cluster_refresh_token(std::int64_t user) {
  return std::to_string(user) + "." + random_token();
}

std::int64_t refresh_token_user(std::string_view token) {
  auto dot = token.find('.');
  // At most 18 digits: any such number fits in 64 bits.
  if (dot == std::string_view::npos || dot == 0 || dot > 18)
    return 0;
  std::int64_t user = 0;
  for (auto ch : token.substr(0, dot)) {
    if (ch < '0' || ch > '9')
      return 0;
    user = user * 10 + (ch - '0');
  }
  return user;
}

std::string new_jti() {
  return random_token(16);
}

std::string random_secret() {
  return random_token(32);
}

} // namespace bookstore::auth
