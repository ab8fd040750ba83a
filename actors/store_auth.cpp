#include "actors/store_auth.hpp"

#include "model/time.hpp"
#include "storage/queries.hpp"

namespace bookstore::store_auth {

using model::error_code;
using store_ops::enqueue;
using store_ops::read;

namespace {

/// Every login adds a refresh token row. With it, drop a batch of expired
/// ones: at most every 10 minutes (a purge scans the table), or at the next
/// login again while batches come back full.
void purge_expired_tokens(self_ptr self, storage::database& db) {
  constexpr std::int64_t batch = 1000;
  auto now = model::unix_now();
  if (now < self->state.next_token_purge)
    return;
  auto purged = storage::purge_refresh_tokens(db, now, batch);
  self->state.next_token_purge = purged < batch ? now + 600 : now;
}

} // namespace

caf::result<storage::user_record> register_user(self_ptr self,
                                                user_registration user) {
  // Known to the account directory before anybody hears of it.
  auto directory = self->state.accounts;
  return store_ops::enqueue_then<storage::user_record>(
      self,
      store_ops::translating(
          storage::failure_kind::unique, error_code::auth_email_conflict,
          [=](storage::database& db) {
            return storage::insert_user(db, user.email, user.password_hash,
                                        user.role);
          }),
      [directory](const storage::user_record& u) {
        directory->set(u.id, true);
      });
}

caf::result<storage::user_record> find_user(self_ptr self, model::user_id id) {
  return read(self, [=](storage::database& db) {
    if (auto user = storage::find_user(db, id))
      return *user;
    throw rejection{error_code::validation_error};
  });
}

caf::result<storage::user_record> find_user_by_email(self_ptr self,
                                                     std::string email) {
  return read(self, [=](storage::database& db) {
    if (auto user = storage::find_user_by_email(db, email))
      return *user;
    throw rejection{error_code::not_found};
  });
}

caf::result<bool> promote_admin(self_ptr self, admin_promotion promotion) {
  // The bootstrap admin is always active (admins cannot be deactivated; a
  // deactivated user promoted here is active again).
  auto directory = self->state.accounts;
  auto id = promotion.user;
  return store_ops::enqueue_then<bool>(
      self,
      [=](storage::database& db) {
        storage::set_user_role(db, id, "admin");
        storage::set_user_password(db, id, promotion.password_hash);
        storage::set_account_active(db, id, true);
        return true;
      },
      [directory, id](bool) { directory->set(id, true); });
}

caf::result<bool> grant_token(self_ptr self, refresh_grant grant) {
  return enqueue<bool>(self, [=](storage::database& db) {
    storage::insert_refresh_token(db, grant.user, grant.token_hash,
                                  grant.family, grant.expires_at);
    purge_expired_tokens(self, db);
    return true;
  });
}

caf::result<rotation> rotate_token(self_ptr self,
                                   storage::rotation_request request) {
  return enqueue<rotation>(self, [=](storage::database& db) {
    return storage::rotate_refresh_token(db, request);
  });
}

caf::result<bool> revoke_token(self_ptr self, std::string token_hash) {
  return enqueue<bool>(self, [=](storage::database& db) {
    auto found = storage::find_refresh_token(db, token_hash);
    if (found)
      storage::revoke_token_family(db, found->family);
    return found.has_value();
  });
}

caf::result<std::string> get_setting(self_ptr self, std::string key) {
  return read(self, [=](storage::database& db) {
    if (auto value = storage::get_setting(db, key))
      return *value;
    throw rejection{error_code::not_found};
  });
}

caf::result<bool> put_setting(self_ptr self, setting_entry entry) {
  return enqueue<bool>(self, [=](storage::database& db) {
    storage::put_setting(db, entry.key, entry.value);
    return true;
  });
}

} // namespace bookstore::store_auth
