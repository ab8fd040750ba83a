#pragma once

// What both examples use to talk to the bookstore's actors from main().

#include <stdexcept>
#include <utility>

#include "caf/all.hpp"

#include "actors/core.hpp"

namespace examples {

/// Asks `dest` and waits for the answer; a rejection throws, with the
/// bookstore's error code as the message.
template <class T, class Handle, class... Ts>
T ask(caf::scoped_actor& self, const Handle& dest, Ts&&... xs) {
  T result;
  self->request(dest, caf::infinite, std::forward<Ts>(xs)...)
      .receive([&](T& value) { result = std::move(value); },
               [&](caf::error& err) {
                 throw std::runtime_error(
                     bookstore::model::code_name(bookstore::domain_code(err)));
               });
  return result;
}

} // namespace examples
