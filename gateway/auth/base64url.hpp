#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::auth {

/// Base64url without padding (RFC 4648 section 5), as JWTs use.
std::string base64url_encode(const unsigned char* data, std::size_t size);
std::string base64url_encode(std::string_view bytes);

/// Decodes base64url without padding. Nothing on any character outside the
/// alphabet, on '=' padding, on an impossible length, or on a non-canonical
/// last character (unused bits set), so every value has one spelling only.
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace bookstore::auth
