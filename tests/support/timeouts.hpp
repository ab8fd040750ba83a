#pragma once

// How long the tests wait. A deadline in a test says "this should long have
// happened", never "this is fast": so on a slow build or a busy machine it
// grows, and a slow machine gives slow tests rather than false failures.
// The factor is the build's (sanitizers slow every process down) times
// BOOKSTORE_TEST_TIMEOUT_SCALE (a positive number, default 1). CTest's own
// per-test timeouts scale the same way (tests/CMakeLists.txt).

#include <chrono>
#include <cstdlib>

namespace test_support {

/// What the build's instrumentation costs in time, roughly: GCC defines
/// these macros in sanitized translation units, tests and servers alike.
constexpr double build_slowdown() {
#if defined(__SANITIZE_THREAD__)
  return 5.0;
#elif defined(__SANITIZE_ADDRESS__)
  return 3.0;
#else
  return 1.0;
#endif
}

/// The build's slowdown times BOOKSTORE_TEST_TIMEOUT_SCALE; a value that is
/// not a positive number counts as 1.
inline double timeout_scale() {
  static const double scale = [] {
    double user = 1.0;
    if (const char* text = std::getenv("BOOKSTORE_TEST_TIMEOUT_SCALE")) {
      char* end = nullptr;
      double v = std::strtod(text, &end);
      if (end != text && *end == '\0' && v > 0)
        user = v;
    }
    return build_slowdown() * user;
  }();
  return scale;
}

/// `d` stretched by `timeout_scale()`.
template <class Rep, class Period>
std::chrono::milliseconds scaled(std::chrono::duration<Rep, Period> d) {
  auto ms = std::chrono::duration<double, std::milli>(d).count();
  return std::chrono::milliseconds{
      static_cast<std::chrono::milliseconds::rep>(ms * timeout_scale())};
}

} // namespace test_support
