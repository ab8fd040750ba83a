// connection_phase: the arrows of the lifecycle drawn in
// connection_phase.hpp, and no others. The connection asserts every change
// of phase against may_enter (in builds with assertions: debug, sanitizers).

#include <catch2/catch.hpp>

#include "gateway/http/connection_phase.hpp"

using bookstore::http::detail::connection_phase;
using bookstore::http::detail::may_enter;

TEST_CASE("a connection's phases follow the drawn arrows only",
          "[connection_phase]") {
  using p = connection_phase;
  const p all[] = {p::reading, p::answering, p::failing, p::lingering,
                   p::closed};
  auto drawn = [](p from, p to) {
    return to == p::closed
           || (from == p::reading && (to == p::answering || to == p::failing))
           || (from == p::failing && to == p::lingering);
  };
  for (auto from : all)
    for (auto to : all) {
      INFO("from " << static_cast<int>(from) << " to " << static_cast<int>(to));
      CHECK(may_enter(from, to) == drawn(from, to));
    }
  // In particular: never back to reading, and lingering only after an error.
  CHECK_FALSE(may_enter(p::answering, p::reading));
  CHECK_FALSE(may_enter(p::answering, p::lingering));
  CHECK_FALSE(may_enter(p::reading, p::lingering));
}
