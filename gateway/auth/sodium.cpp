#include "gateway/auth/sodium.hpp"

#include <stdexcept>

#include <sodium.h>

namespace bookstore::auth {

void ensure_sodium() {
  // A function-local static is initialized exactly once even under
  // concurrent first calls (C++11 magic statics). sodium_init returns 1 when
  // already initialized, which is fine; only a negative result is failure.
  static const int result = sodium_init();
  if (result < 0) {
    throw std::runtime_error("libsodium initialization failed");
  }
}

} // namespace bookstore::auth
