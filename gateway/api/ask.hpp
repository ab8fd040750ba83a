#pragma once

#include <type_traits>
#include <utility>

#include "caf/event_based_actor.hpp"

#include "actors/errors.hpp"
#include "actors/handles.hpp"
#include "actors/patience.hpp"
#include "gateway/api/call.hpp"

namespace bookstore::gateway {

/// How often a request is sent again when its book or cart actor stopped
/// (passivated) between the registry's answer and the request.
constexpr int lookup_attempts = 3;

/// Sends `xs...` to `to` and calls `on_ok` with its answer, a T, or `on_err`
/// with its rejection, both on `self`. The one place the gateway writes a
/// request to an actor of the core; routes use the asks below.
template <class T, class Self, class Handle, class OnOk, class OnErr,
          class... Ts>
void ask_actor(Self* self, const Handle& to, OnOk on_ok, OnErr on_err,
               Ts... xs) {
  self->request(to, patience(self, to), std::move(xs)...)
      .then([=](T& value) mutable { on_ok(value); },
            [=](caf::error& err) mutable { on_err(err); });
}

/// Asks the store. For the answer to a rejection that needs nothing of its
/// own, pass reply_failure_of(c) as `on_err`.
template <class T, class OnOk, class OnErr, class... Ts>
void ask_store(const call_ptr& c, OnOk on_ok, OnErr on_err, Ts... xs) {
  ask_actor<T>(c->self, c->ctx->shop.store, std::move(on_ok), std::move(on_err),
               std::move(xs)...);
}

/// Asks a reader (a read of reads.hpp: the catalog search, genres, orders,
/// admin listings and reports), which answers beside the store's commits.
template <class T, class OnOk, class OnErr, class... Ts>
void ask_reader(const call_ptr& c, OnOk on_ok, OnErr on_err, Ts... xs) {
  ask_actor<T>(c->self, c->ctx->shop.readers->next(), std::move(on_ok),
               std::move(on_err), std::move(xs)...);
}

/// Asks the registry (which creates books and finds book and cart actors).
template <class T, class OnOk, class OnErr, class... Ts>
void ask_registry(const call_ptr& c, OnOk on_ok, OnErr on_err, Ts... xs) {
  ask_actor<T>(c->self, c->ctx->shop.registry, std::move(on_ok),
               std::move(on_err), std::move(xs)...);
}

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
  ask_actor<T>(
      c->self, handle, on_ok,
      [=](const caf::error& err) mutable {
        if (receiver_gone(err) && attempts > 1) {
          cache_of<Handle>(*c->ctx).forget(key, handle);
          look_up_and_ask<T, Handle, Lookup>(c, key, attempts - 1, on_ok,
                                             on_err, xs...);
        } else {
          on_err(err);
        }
      },
      xs...);
}

/// Asks the registry for the actor of `key`, remembers it and asks it.
template <class T, class Handle, class Lookup, class OnOk, class OnErr,
          class... Ts>
void look_up_and_ask(const call_ptr& c, std::int64_t key, int attempts,
                     OnOk on_ok, OnErr on_err, Ts... xs) {
  // On a rejection the caller's handler answers: it may have more to do
  // first (a keyed checkout frees its key).
  ask_registry<Handle>(
      c,
      [=](Handle& handle) {
        cache_of<Handle>(*c->ctx).put(key, handle);
        ask_handle<T, Handle, Lookup>(c, handle, key, attempts, on_ok, on_err,
                                      xs...);
      },
      on_err, Lookup::value, key);
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
