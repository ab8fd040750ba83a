#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bookstore::auth {

/// `bytes` bytes from the OS CSPRNG, base64url without padding (43
/// characters for the default 32 bytes = 256 bits). Used as opaque refresh
/// tokens. Throws std::invalid_argument for 0 bytes.
std::string random_token(std::size_t bytes = 32);

/// SHA-256 of the token, 64 lowercase hex characters. Refresh tokens are
/// stored only as this hash: a leaked table does not hand out sessions. A
/// fast hash is right here (unlike passwords) because the tokens are long
/// and random, so there is nothing to guess.
std::string token_hash(std::string_view token);

/// A new refresh token of `user` in a cluster: the user's id, a dot, and
/// random_token(). The id lets any node pass a refresh or a logout to the
/// node that keeps the user's tokens; changing it gains nothing, since no
/// other node knows the token.
std::string cluster_refresh_token(std::int64_t user);

/// The user id a cluster_refresh_token starts with; 0 for any other text.
std::int64_t refresh_token_user(std::string_view token);

/// A unique JWT id: 128 random bits, 22 base64url characters.
std::string new_jti();

/// A fresh HS256 signing secret: 256 random bits, 43 base64url characters
/// (printable, so it can be stored as text or put in an environment
/// variable).
std::string random_secret();

} // namespace bookstore::auth
