#include "app/bootstrap.hpp"

#include <iostream>
#include <stdexcept>

#include "gateway/auth/tokens.hpp"
#include "model/text.hpp"

namespace bookstore::app {

namespace {

constexpr const char* secret_setting = "jwt_secret";

/// Asks and waits: start-up only, never on a request path.
template <class T, class Handle, class... Ts>
caf::expected<T> ask(caf::scoped_actor& self, const Handle& dest, Ts&&... xs) {
  caf::expected<T> result{caf::error{}};
  self->request(dest, caf::infinite, std::forward<Ts>(xs)...)
      .receive([&](T& value) { result = std::move(value); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

[[noreturn]] void fail(const std::string& what, const caf::error& err) {
  throw std::runtime_error(what + ": " + model::code_name(domain_code(err)));
}

} // namespace

std::string signing_secret(caf::scoped_actor& self, const core& shop,
                           const std::optional<std::string>& given) {
  if (given && !given->empty())
    return *given;
  auto stored =
      ask<std::string>(self, shop.store, get_atom::value, setting_atom::value,
                       std::string{secret_setting});
  if (stored)
    return *stored;
  auto secret = auth::random_secret();
  auto saved =
      ask<bool>(self, shop.store, update_atom::value, setting_atom::value,
                std::string{secret_setting}, secret);
  if (!saved)
    fail("cannot store the generated JWT secret", saved.error());
  std::cerr << "BOOKSTORE_SECRET_KEY is not set: generated a JWT signing "
               "secret and stored it in the database\n";
  return secret;
}

void bootstrap_admin(caf::scoped_actor& self, const core& shop,
                     const std::optional<std::string>& email,
                     const std::optional<std::string>& password,
                     auth::password_cost cost) {
  if (!email || !password)
    return;
  if (!model::is_valid_email(*email) || password->size() < 8)
    throw std::runtime_error("BOOKSTORE_ADMIN_EMAIL must be a valid email and "
                             "BOOKSTORE_ADMIN_PASSWORD at least 8 characters");
  auto normalized = model::to_lower_ascii(*email);
  auto hash = auth::hash_password(*password, cost);
  auto existing = ask<storage::user_record>(self, shop.store, get_atom::value,
                                            user_atom::value, normalized);
  if (existing) {
    auto promoted = ask<bool>(self, shop.store, update_atom::value,
                              user_atom::value, existing->id, hash);
    if (!promoted)
      fail("cannot promote the admin account", promoted.error());
  } else {
    auto created = ask<storage::user_record>(
        self, shop.store, create_atom::value, user_atom::value, normalized,
        hash, std::string{"admin"});
    if (!created)
      fail("cannot create the admin account", created.error());
  }
  std::cerr << "admin account ready: " << normalized << "\n";
}

} // namespace bookstore::app
