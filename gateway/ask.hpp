#pragma once

#include "caf/io/broker.hpp"

#include "actors/handles.hpp"
#include "gateway/call.hpp"

namespace bookstore::gateway {

/// How often a request is sent again when its book or cart actor stopped
/// (passivated) between the registry's answer and the request.
constexpr int lookup_attempts = 3;

/// Finds the actor for `key` through the registry (`Lookup` is book_atom or
/// cart_atom, `Handle` the matching handle), sends it `xs...` and calls
/// `on_ok` with its answer of type T, or `on_err` with a rejection.
template <class T, class Handle, class Lookup, class OnOk, class OnErr,
          class... Ts>
void ask_via_registry(const call_ptr& c, std::int64_t key, int attempts,
                      OnOk on_ok, OnErr on_err, Ts... xs) {
  c->self->request(c->ctx->shop.registry, caf::infinite, Lookup::value, key)
      .then(
          [=](Handle& handle) {
            c->self->request(handle, caf::infinite, xs...)
                .then([=](T& value) { on_ok(value); },
                      [=](caf::error& err) {
                        if (err == caf::sec::request_receiver_down
                            && attempts > 1)
                          ask_via_registry<T, Handle, Lookup>(
                              c, key, attempts - 1, on_ok, on_err, xs...);
                        else
                          on_err(err);
                      });
          },
          [=](caf::error& err) { c->reply_failure(err); });
}

/// Answers a rejection with the status its domain code maps to.
inline auto reply_failure_of(const call_ptr& c) {
  return [c](const caf::error& err) { c->reply_failure(err); };
}

/// Asks the book actor of the call's {id}.
template <class T, class OnOk, class OnErr, class... Ts>
void ask_book(const call_ptr& c, OnOk on_ok, OnErr on_err, Ts... xs) {
  ask_via_registry<T, book_actor, book_atom>(c, c->id, lookup_attempts, on_ok,
                                             on_err, xs...);
}

/// Asks the cart actor of the calling user.
template <class T, class OnOk, class OnErr, class... Ts>
void ask_cart(const call_ptr& c, OnOk on_ok, OnErr on_err, Ts... xs) {
  ask_via_registry<T, cart_actor, cart_atom>(c, c->who.id, lookup_attempts,
                                             on_ok, on_err, xs...);
}

} // namespace bookstore::gateway
