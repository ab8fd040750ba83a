// Decoders of the auth bodies: credentials and refresh tokens.

#include "gateway/json/decode.hpp"
#include "gateway/json/fields.hpp"
#include "model/text.hpp"

namespace bookstore::json {

namespace {

using detail::location;
using nlohmann::json;

// API.md: a valid email (at most 254 characters) and a password of at least
// 8 characters; the upper bound keeps Argon2 away from megabyte passwords.
constexpr std::size_t max_email = 254;
constexpr std::size_t min_password = 8;
constexpr std::size_t max_password = 128;
// Login only caps sizes: a malformed email simply matches no account (401).
constexpr std::size_t max_login_password = 1024;
constexpr std::size_t max_refresh_token = 512;

} // namespace

decoded<credentials> decode_credentials(std::string_view body,
                                        bool registering) {
  decoded<credentials> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object) {
    return out;
  }
  auto email = detail::required(
      *object, "email", errors,
      [&](const json& value, const location& at) -> std::optional<std::string> {
        auto text = detail::read_string(value, at, 0, max_email, errors);
        if (text && registering && !model::is_valid_email(*text)) {
          detail::add_error(errors, at, "value_error",
                            "value is not a valid email address");
          return std::nullopt;
        }
        return text;
      });
  auto password = detail::required(
      *object, "password", errors, [&](const json& value, const location& at) {
        return registering ? detail::read_string(value, at, min_password,
                                                 max_password, errors)
                           : detail::read_string(value, at, 0,
                                                 max_login_password, errors);
      });
  if (email && password && errors.empty()) {
    out.value =
        credentials{model::to_lower_ascii(*email), std::move(*password)};
  }
  return out;
}

decoded<std::string> decode_refresh_token(std::string_view body) {
  decoded<std::string> out;
  const auto object = detail::parse_object(body, out.errors);
  if (!object) {
    return out;
  }
  auto token = detail::required(
      *object, "refresh_token", out.errors,
      [&](const json& value, const location& at) {
        return detail::read_string(value, at, 0, max_refresh_token, out.errors);
      });
  if (token && out.errors.empty()) {
    out.value = std::move(token);
  }
  return out;
}

} // namespace bookstore::json
