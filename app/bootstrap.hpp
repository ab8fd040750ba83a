#pragma once

#include <optional>
#include <string>

#include "caf/all.hpp"

#include "actors/core.hpp"
#include "gateway/auth/hash_pool.hpp"
#include "gateway/auth/password.hpp"

namespace bookstore::app {

/// The JWT signing secret: `given` if set, else the one kept in the
/// database, else a new one stored there. Says so on stderr when it
/// generates one.
std::string signing_secret(caf::scoped_actor& self, const core& shop,
                           const std::optional<std::string>& given);

/// Creates the admin account, or promotes the existing one (and sets its
/// password, which revokes its refresh tokens), when both are given. An
/// admin whose password already matches is left untouched. Hashes on `pool`.
void bootstrap_admin(caf::scoped_actor& self, const core& shop,
                     auth::hash_pool& pool,
                     const std::optional<std::string>& email,
                     const std::optional<std::string>& password,
                     auth::password_cost cost);

} // namespace bookstore::app
