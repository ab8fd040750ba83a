#include "app/bootstrap.hpp"

#include <future>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "gateway/auth/password.hpp"
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

/// Runs `work` on the hashing pool and waits for it: start-up hashes on the
/// same threads as every other password, not on CAF's scheduler.
template <class T, class Work> T on_pool(auth::hash_pool& pool, Work work) {
  auto done = std::make_shared<std::promise<T>>();
  auto posted = pool.try_post([done, &work] {
    try {
      done->set_value(work());
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  });
  if (!posted)
    throw std::runtime_error("the password hashing pool refused a job");
  return done->get_future().get();
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
  auto saved = ask<bool>(self, shop.store, update_atom::value,
                         setting_entry{std::string{secret_setting}, secret});
  if (!saved)
    fail("cannot store the generated JWT secret", saved.error());
  std::cerr << "BOOKSTORE_SECRET_KEY is not set: generated a JWT signing "
               "secret and stored it in the database\n";
  return secret;
}

void bootstrap_admin(caf::scoped_actor& self, const core& shop,
                     auth::hash_pool& pool,
                     const std::optional<std::string>& email,
                     const std::optional<std::string>& password,
                     auth::password_cost cost) {
  if (!email || !password)
    return;
  if (!model::is_valid_email(*email) || password->size() < 8)
    throw std::runtime_error("BOOKSTORE_ADMIN_EMAIL must be a valid email and "
                             "BOOKSTORE_ADMIN_PASSWORD at least 8 characters");
  auto normalized = model::to_lower_ascii(*email);
  auto existing = ask<storage::user_record>(self, shop.store, get_atom::value,
                                            user_atom::value, normalized);
  if (existing && existing->role == "admin"
      && !auth::needs_rehash(existing->password_hash, cost)
      && on_pool<bool>(pool, [&] {
           return auth::verify_password(existing->password_hash, *password);
         })) {
    // The usual restart: same admin, same password. Nothing to write, so
    // the admin's sessions survive, and one verification is all it costs.
    std::cerr << "admin account ready: " << normalized << "\n";
    return;
  }
  auto hash = on_pool<std::string>(
      pool, [&] { return auth::hash_password(*password, cost); });
  if (existing) {
    // A promotion, or a new password: the store revokes every refresh token
    // of the account in the same write (whoever registered the address
    // first keeps no session).
    auto promoted = ask<bool>(self, shop.store, update_atom::value,
                              admin_promotion{existing->id, hash});
    if (!promoted)
      fail("cannot promote the admin account", promoted.error());
  } else {
    auto created =
        ask<storage::user_record>(self, shop.store, create_atom::value,
                                  user_registration{normalized, hash, "admin"});
    if (!created)
      fail("cannot create the admin account", created.error());
  }
  std::cerr << "admin account ready: " << normalized << "\n";
}

} // namespace bookstore::app
