#include "gateway/http/open_files.hpp"

#include <algorithm>
#include <sys/resource.h>

namespace bookstore::http {

std::size_t fit_open_files(std::size_t max_connections) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
    return max_connections;
  auto want = static_cast<rlim_t>(max_connections + reserved_files);
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < want) {
    auto raised = lim;
    raised.rlim_cur =
        lim.rlim_max == RLIM_INFINITY ? want : std::min(want, lim.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
      lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= want)
    return max_connections;
  // The hard limit is lower: fewer connections, but never none.
  return lim.rlim_cur > reserved_files + 1
             ? static_cast<std::size_t>(lim.rlim_cur - reserved_files)
             : 1;
}

} // namespace bookstore::http
