#pragma once

// Invariants of the fuzz targets. Unlike assert() they stay on in every
// build type (the fuzz build is optimized, with NDEBUG); a failure aborts,
// which libFuzzer reports as a crash, saving the input.

#include <cstdio>
#include <cstdlib>
#include <exception>

#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,          \
                   __LINE__, #cond);                                           \
      std::abort();                                                            \
    }                                                                          \
  } while (false)

namespace bookstore::fuzz {

/// Runs `f()` and returns what it returns; an exception escaping it is a
/// failed invariant (nothing fuzzed here may throw), reported with its
/// message.
template <class F> auto no_throw(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s threw: %s\n", what, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s threw a non-exception\n", what);
  }
  std::abort();
}

} // namespace bookstore::fuzz
