#include "gateway/auth/base64url.hpp"

#include <sodium.h>

#include "gateway/auth/sodium.hpp"

namespace bookstore::auth {

namespace {

constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

} // namespace

std::string base64url_encode(const unsigned char* data, std::size_t size) {
  ensure_sodium();
  // The encoded length counts the terminating NUL, which we drop again.
  std::string out(sodium_base64_ENCODED_LEN(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(out.size() - 1);
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  return base64url_encode(reinterpret_cast<const unsigned char*>(bytes.data()),
                          bytes.size());
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // libsodium 1.0.18 decodes every byte from 0x80 up as '_': refuse them
  // (and anything else outside the alphabet) here, or one token would have
  // many spellings.
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return std::nullopt;
    }
  }
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t size = 0;
  // A null b64_end makes libsodium fail unless the whole input is consumed;
  // it also rejects leftover bits, so the decoding is canonical.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &size,
                        nullptr, variant)
      != 0) {
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

} // namespace bookstore::auth
