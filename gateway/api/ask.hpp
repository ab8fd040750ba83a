#pragma once

#include <type_traits>

#include "caf/event_based_actor.hpp"

#include "actors/handles.hpp"
#include "gateway/api/call.hpp"

namespace bookstore::gateway {

/// How often a request is sent again when its book or cart actor stopped
/// (passivated) between the registry's answer and the request.
constexpr int lookup_attempts = 3;

/// The cache of `Handle`s in the context.
template <class Handle> handle_cache<Handle>& cache_of(context& ctx) {
  if constexpr (std::is_same_v<Handle, book_actor>)
    return ctx.books;
  else
    return ctx.carts;
}

template <class T, class Handle, class Lookup, class OnOk, class OnErr,
          class... Ts>
void look_up_and_ask(const call_ptr& c, std::int64_t key, int attempts,
                     OnOk on_ok, OnErr on_err, Ts... xs);

/// Sends `xs...` to `handle`, the actor for `key`. One that stopped before
/// it got the request is forgotten and looked up again.
template <class T, class Handle, class Lookup, class OnOk, class OnErr,
          class... Ts>
void ask_handle(const call_ptr& c, const Handle& handle, std::int64_t key,
                int attempts, OnOk on_ok, OnErr on_err, Ts... xs) {
  c->self->request(handle, caf::infinite, xs...)
      .then([=](T& value) { on_ok(value); },
            [=](caf::error& err) {
              if (err == caf::sec::request_receiver_down && attempts > 1) {
                cache_of<Handle>(*c->ctx).forget(key, handle);
                look_up_and_ask<T, Handle, Lookup>(c, key, attempts - 1, on_ok,
                                                   on_err, xs...);
              } else {
                on_err(err);
              }
            });
}

/// Asks the registry for the actor of `key`, remembers it and asks it.
template <class T, class Handle, class Lookup, class OnOk, class OnErr,
          class... Ts>
void look_up_and_ask(const call_ptr& c, std::int64_t key, int attempts,
                     OnOk on_ok, OnErr on_err, Ts... xs) {
  c->self->request(c->ctx->shop.registry, caf::infinite, Lookup::value, key)
      .then(
          [=](Handle& handle) {
            cache_of<Handle>(*c->ctx).put(key, handle);
            ask_handle<T, Handle, Lookup>(c, handle, key, attempts, on_ok,
                                          on_err, xs...);
          },
          // The caller's handler answers: it may have more to do first (a
          // keyed checkout frees its key).
          [=](caf::error& err) { on_err(err); });
}

/// Finds the actor for `key` (`Lookup` is book_atom or cart_atom, `Handle`
/// the matching handle) in the cache or else through the registry, sends it
/// `xs...` and calls `on_ok` with its answer of type T, or `on_err` with a
/// rejection.
template <class T, class Handle, class Lookup, class OnOk, class OnErr,
          class... Ts>
void ask_via_registry(const call_ptr& c, std::int64_t key, int attempts,
                      OnOk on_ok, OnErr on_err, Ts... xs) {
  if (auto cached = cache_of<Handle>(*c->ctx).find(key)) {
    // A stale entry costs one bounced request; the registry still gets all
    // its attempts after it.
    ask_handle<T, Handle, Lookup>(c, cached, key, attempts + 1, on_ok, on_err,
                                  xs...);
    return;
  }
  look_up_and_ask<T, Handle, Lookup>(c, key, attempts, on_ok, on_err, xs...);
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
