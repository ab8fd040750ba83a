#pragma once

// The store actor's authentication handlers: accounts by id and email,
// registration and the bootstrap admin, refresh tokens, settings. Account
// writes update the account directory after their commit.

#include <string>

#include "actors/store_ops.hpp"

namespace bookstore::store_auth {

using store_ops::self_ptr;

/// Rejects an email taken in any case with AUTH_EMAIL_CONFLICT.
caf::result<storage::user_record> register_user(self_ptr self,
                                                user_registration user);
/// Rejects an unknown id with VALIDATION_ERROR.
caf::result<storage::user_record> find_user(self_ptr self, model::user_id id);
/// Rejects an unknown email with NOT_FOUND.
caf::result<storage::user_record> find_user_by_email(self_ptr self,
                                                     std::string email);
/// Makes the user an active admin with this password hash.
caf::result<bool> promote_admin(self_ptr self, admin_promotion promotion);

/// Stores a refresh token; now and then purges expired ones in its write.
caf::result<bool> grant_token(self_ptr self, refresh_grant grant);
/// Check and rotate in one write: writes are serialized here, so two
/// refreshes with one token can never both succeed.
caf::result<rotation> rotate_token(self_ptr self,
                                   storage::rotation_request request);
/// Revokes the family of the token with this hash; false if unknown.
caf::result<bool> revoke_token(self_ptr self, std::string token_hash);

/// Rejects an unknown key with NOT_FOUND.
caf::result<std::string> get_setting(self_ptr self, std::string key);
caf::result<bool> put_setting(self_ptr self, setting_entry entry);

} // namespace bookstore::store_auth
