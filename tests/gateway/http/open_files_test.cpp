// Fitting the connection limit to the open-file limit.

#include <sys/resource.h>

#include <catch2/catch.hpp>

#include "gateway/http/open_files.hpp"

using namespace bookstore::http;

TEST_CASE("a small connection limit fits as it is") {
  CHECK(fit_open_files(4) == 4);
}

TEST_CASE("the soft limit is raised to fit within the hard limit") {
  rlimit before{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &before) == 0);
  auto wanted = std::size_t{2000};
  auto fitted = fit_open_files(wanted);
  rlimit after{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &after) == 0);
  CHECK(fitted >= 1);
  CHECK(fitted <= wanted);
  if (after.rlim_cur != RLIM_INFINITY)
    CHECK(fitted + reserved_files <= after.rlim_cur);
  if (before.rlim_max == RLIM_INFINITY || before.rlim_max >= 2000 + 64)
    CHECK(fitted == wanted);
}
