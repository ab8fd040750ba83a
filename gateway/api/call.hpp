#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/api/context.hpp"
#include "gateway/http/message.hpp"
#include "gateway/json/errors.hpp"
#include "model/errors.hpp"

namespace caf {
class event_based_actor;
} // namespace caf

namespace bookstore::gateway {

/// Who sent a request, from a valid access token.
struct principal {
  model::user_id id = 0;
  bool admin = false;
};

/// One request on its way through a route. Routes answer exactly once with
/// one of the reply functions, now or from an actor's response handler.
struct call {
  caf::event_based_actor* self = nullptr; // the connection's route worker
  http::request req;
  http::responder respond;
  std::shared_ptr<context> ctx;
  std::int64_t id = 0; // the {id} of the route pattern, if it has one
  principal who;       // set for routes that need a user
  /// Another node's client sent it (cluster): the answer crosses back as
  /// one message, so a listing answers its whole body, not pieces.
  bool forwarded = false;

  void reply(int status, const nlohmann::json& body) const;
  /// A JSON body already written.
  void reply(int status, std::string body) const;
  void reply_no_content() const;
  /// The error body of API.md with the status `code` maps to.
  void reply_error(model::error_code code, const std::string& detail = {},
                   const std::string& field = {}) const;
  /// An error the router decides before any route runs, with the status and
  /// code given: 401/403 of the token check (AUTH_*), 404/405 of an unknown
  /// path or method (HTTP_404/HTTP_405). A 401 asks for a Bearer token.
  void reply_http_error(int status, const char* code, const char* detail) const;
  /// 422 with a detail list of one (loc, msg).
  void reply_validation(const std::string& where, const std::string& name,
                        const std::string& msg) const;
  /// 422 with the decoder's field errors.
  void reply_invalid(const json::field_errors& errors) const;
  /// An actor answered with an error: its domain code, or 503/500.
  void reply_failure(const caf::error& err) const;
};

using call_ptr = std::shared_ptr<call>;

/// The handler of an actor's rejection that needs no answer of its own:
/// call::reply_failure. The one spelling of "answer the actor's error".
inline auto reply_failure_of(const call_ptr& c) {
  return [c](const caf::error& err) { c->reply_failure(err); };
}

/// True if a decoder succeeded; otherwise answers 422 with its errors.
template <class Decoded>
bool accepted(const call_ptr& c, const Decoded& input) {
  if (input.ok())
    return true;
  c->reply_invalid(input.errors);
  return false;
}

/// HTTP status for a domain code.
int status_of(model::error_code code);

/// The error body of API.md with the status `code` maps to.
http::response error_response(model::error_code code,
                              const std::string& detail = {},
                              const std::string& field = {});

/// The answer to an actor's error: its domain code, or 500.
http::response failure_response(const caf::error& err);

} // namespace bookstore::gateway
