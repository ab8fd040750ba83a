// POST /orders/checkout (with Idempotency-Key), GET /orders,
// GET /orders/{id}, GET /admin/orders.

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/order_listing.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"
#include "model/time.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

constexpr std::int64_t idempotency_window = 24 * 3600; // seconds

/// 1..255 visible ASCII characters.
bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 255)
    return false;
  for (unsigned char ch : key)
    if (ch < 0x21 || ch > 0x7e)
      return false;
  return true;
}

/// The HTTP answer to a checkout's outcome.
http::response to_response(const checkout_outcome& outcome) {
  if (!outcome.ok() && outcome.error != error_code::order_insufficient_stock)
    return error_response(outcome.error);
  http::response res;
  res.status = outcome.ok() ? 201 : status_of(outcome.error);
  res.body = outcome.ok() ? json::dump_body(json::order_json(outcome.order))
                          : json::insufficient_stock_body(outcome.shortages);
  return res;
}

/// Outcomes a retry must see again: those of a checkout that ran to its end.
/// An order, a declined payment, a cart that cannot be sold as it is, an
/// empty cart. Not stored: a checkout already running on the cart (409
/// CHECKOUT_IN_PROGRESS), and failures of the server (503, 504, 500), so a
/// retry runs the checkout again.
bool replayable(error_code code) {
  switch (code) {
  case error_code::none: // 201
  case error_code::order_payment_failed:
  case error_code::order_insufficient_stock:
  case error_code::order_items_unavailable:
  case error_code::order_cart_empty:
    return true;
  default:
    return false;
  }
}

/// Runs the checkout; `done` gets the answer, whether the key keeps it (see
/// replayable) and the order it created, if any.
template <class Done>
void run_checkout(const call_ptr& c, checkout_request request, Done done) {
  ask_cart<checkout_outcome>(
      c,
      [=](checkout_outcome& outcome) {
        done(to_response(outcome), replayable(outcome.error),
             outcome.ok() ? outcome.order.id : model::order_id{0});
      },
      [=](const caf::error& err) { done(failure_response(err), false, 0); },
      checkout_atom::value, request);
}

/// Answers a stored outcome verbatim. A record without its body is one the
/// store wrote with its order, whose answer a crash then lost: the order as
/// it is now is the answer.
template <class Finish>
void replay(const call_ptr& c, const storage::idempotency_record& first,
            Finish finish) {
  if (!first.body.empty() || first.order == 0) {
    http::response res;
    res.status = first.status;
    res.body = first.body;
    return finish(std::move(res));
  }
  ask_reader<model::order>(
      c,
      [=](model::order& order) {
        http::response res;
        res.status = 201;
        res.body = json::dump_body(json::order_json(order));
        finish(std::move(res));
      },
      [=](const caf::error& err) { finish(failure_response(err)); },
      get_atom::value, order_atom::value, first.order);
}

/// Runs the checkout once per (user, key) and stores its outcome for a day.
void run_idempotent(const call_ptr& c, checkout_request request,
                    std::string key) {
  auto& guard = c->ctx->idempotency;
  auto user = c->who.id;
  if (!guard.try_begin(user, key))
    return c->reply_error(error_code::idempotency_in_progress,
                          "A request with this Idempotency-Key is still "
                          "running");
  auto finish = [=](http::response res) {
    c->ctx->idempotency.end(user, key);
    c->respond(std::move(res));
  };
  auto now = model::unix_now();
  request.idempotency_key = key;
  request.idempotency_at = now;
  ask_store<storage::idempotency_record>(
      c, [=](storage::idempotency_record& first) { replay(c, first, finish); },
      [=](const caf::error& err) {
        if (domain_code(err) != error_code::not_found)
          return finish(failure_response(err));
        // The store writes a 201's record with its order; this adds the
        // body, for a verbatim replay, or records any other outcome.
        auto record_then_finish = [=](http::response res, bool stored,
                                      model::order_id order) {
          if (!stored)
            return finish(std::move(res));
          storage::idempotency_record record{res.status, res.body, now, order};
          ask_store<bool>(
              c, [=](bool) mutable { finish(std::move(res)); },
              [=](const caf::error&) mutable { finish(std::move(res)); },
              create_atom::value, idempotency_entry{user, key, record});
        };
        run_checkout(c, request, record_then_finish);
      },
      get_atom::value, idempotency_lookup{user, key, now - idempotency_window});
}

} // namespace

void checkout(const call_ptr& c) {
  auto input = json::decode_checkout(c->req.body);
  if (!accepted(c, input))
    return;
  checkout_request request;
  request.force_payment_failure = input.value->force_payment_failure;
  auto key = c->req.find_header("idempotency-key");
  if (!key)
    return run_checkout(c, request,
                        [c](http::response res, bool, model::order_id) {
                          c->respond(std::move(res));
                        });
  if (!valid_key(*key))
    return c->reply_validation("header", "Idempotency-Key",
                               "must be 1 to 255 visible ASCII characters");
  run_idempotent(c, request, std::string{*key});
}

void list_orders(const call_ptr& c) {
  reply_order_listing(c, c->who.id);
}

void admin_orders(const call_ptr& c) {
  reply_order_listing(c, 0);
}

void get_order(const call_ptr& c) {
  ask_reader<model::order>(
      c,
      [=](model::order& order) {
        // Another user's order does not exist for this caller.
        if (order.owner != c->who.id)
          c->reply_error(error_code::order_not_found);
        else
          c->reply(200, json::order_json(order));
      },
      reply_failure_of(c), get_atom::value, order_atom::value, c->id);
}

} // namespace bookstore::gateway::routes
