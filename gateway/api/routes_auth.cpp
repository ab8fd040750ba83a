// POST /auth/register, /auth/login, /auth/refresh, /auth/logout.

#include "caf/event_based_actor.hpp"

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/offload.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/auth/jwt.hpp"
#include "gateway/auth/password.hpp"
#include "gateway/auth/tokens.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"
#include "gateway/json/errors.hpp"
#include "model/time.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

std::string access_token(const call& c, const storage::user_record& user) {
  auto now = model::unix_now();
  auth::jwt_claims claims;
  claims.sub = std::to_string(user.id);
  claims.role = user.role;
  claims.jti = auth::new_jti();
  claims.iat = now;
  claims.exp = now + c.ctx->auth.access_ttl;
  return auth::sign_jwt(claims, c.ctx->auth.jwt_secret);
}

/// A new refresh token of `user`; in a cluster it names the user, so that
/// any node finds the node that keeps it (placement::refresh).
std::string new_refresh_token(const call& c, model::user_id user) {
  return c.ctx->cluster && user != 0 ? auth::cluster_refresh_token(user)
                                     : auth::random_token();
}

/// Starts a new token family for `user` and answers with the pair.
void issue_tokens(const call_ptr& c, const storage::user_record& user,
                  int status) {
  auto refresh = new_refresh_token(*c, user.id);
  auto expires = model::unix_now() + c->ctx->auth.refresh_ttl;
  ask_store<bool>(
      c,
      [=](bool) {
        c->reply(status,
                 json::token_pair_json(access_token(*c, user), refresh));
      },
      reply_failure_of(c), create_atom::value,
      refresh_grant{user.id, auth::token_hash(refresh), auth::new_jti(),
                    expires});
}

} // namespace

void register_user(const call_ptr& c) {
  auto input = json::decode_credentials(c->req.body, true);
  if (!accepted(c, input))
    return;
  // The password goes to the hashing only; the store hears the email.
  auto email = input.value->email;
  auto password = input.value->password;
  auto cost = c->ctx->auth.password_cost;
  offload<std::string>(
      c->self, c->ctx->hashing,
      [=] { return c->ctx->auth.hash(password, cost); },
      [=](std::string hash) {
        ask_store<storage::user_record>(
            c, [=](storage::user_record& user) { issue_tokens(c, user, 201); },
            [=](const caf::error& err) {
              if (domain_code(err) == error_code::auth_email_conflict)
                c->reply_error(error_code::auth_email_conflict,
                               "Email already registered", "email");
              else
                c->reply_failure(err);
            },
            create_atom::value, user_registration{email, hash, "user"});
      },
      reply_failure_of(c));
}

void login(const call_ptr& c) {
  auto input = json::decode_credentials(c->req.body, false);
  if (!accepted(c, input))
    return;
  auto creds = *input.value;
  auto cost = c->ctx->auth.password_cost;
  // An unknown email costs one dummy verification, like a wrong password,
  // so the answer's timing tells nothing about which accounts exist.
  auto verify = [=](std::optional<storage::user_record> user) {
    offload<bool>(
        c->self, c->ctx->hashing,
        [=] {
          if (user)
            return auth::verify_password(user->password_hash, creds.password);
          auth::verify_dummy(creds.password, cost);
          return false;
        },
        [=](bool ok) {
          if (!ok)
            c->reply_error(error_code::auth_invalid_credentials);
          else if (!user->active) // only told to who knows the password
            c->reply_error(error_code::auth_account_deactivated);
          else
            issue_tokens(c, *user, 200);
        },
        reply_failure_of(c));
  };
  ask_store<storage::user_record>(
      c, [=](storage::user_record& user) { verify(user); },
      [=](const caf::error& err) {
        if (domain_code(err) == error_code::not_found)
          verify(std::nullopt);
        else
          c->reply_failure(err);
      },
      get_atom::value, user_atom::value, creds.email);
}

void refresh(const call_ptr& c) {
  auto input = json::decode_refresh_token(c->req.body);
  if (!accepted(c, input))
    return;
  // The same user's, if it is theirs (checked by the rotation).
  auto next = new_refresh_token(*c, auth::refresh_token_user(*input.value));
  auto now = model::unix_now();
  ask_store<rotation>(
      c,
      [=](rotation& r) {
        switch (r.status) {
        case rotation_status::rotated:
          c->reply(200, json::token_pair_json(access_token(*c, r.user), next));
          break;
        case rotation_status::reused:
          c->reply_error(error_code::auth_token_reuse);
          break;
        case rotation_status::invalid:
          c->reply_error(error_code::auth_refresh_invalid);
          break;
        case rotation_status::inactive:
          c->reply_error(error_code::auth_user_inactive);
          break;
        }
      },
      reply_failure_of(c), rotate_atom::value,
      storage::rotation_request{auth::token_hash(*input.value),
                                auth::token_hash(next), now,
                                now + c->ctx->auth.refresh_ttl});
}

void logout(const call_ptr& c) {
  auto input = json::decode_refresh_token(c->req.body);
  if (!accepted(c, input))
    return;
  ask_store<bool>(
      c, [=](bool) { c->reply_no_content(); }, reply_failure_of(c),
      revoke_atom::value, auth::token_hash(*input.value));
}

} // namespace bookstore::gateway::routes
