#include "cluster/reachability.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

namespace bookstore::cluster {

namespace {

using clock_type = std::chrono::steady_clock;

/// Connects `fd` (non-blocking) to `addr` by `deadline`.
bool connects(int fd, const addrinfo& addr, clock_type::time_point deadline) {
  if (::connect(fd, addr.ai_addr, addr.ai_addrlen) == 0)
    return true;
  if (errno != EINPROGRESS)
    return false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - clock_type::now())
                    .count();
    if (left <= 0)
      return false;
    pollfd p{fd, POLLOUT, 0};
    auto ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      return false;
    int error = 0;
    socklen_t len = sizeof(error);
    return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0
           && error == 0;
  }
}

} // namespace

bool tcp_answers(const model::endpoint& address,
                 std::chrono::milliseconds timeout) {
  auto deadline = clock_type::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  auto port = std::to_string(address.port);
  if (::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found) != 0)
    return false;
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list{found,
                                                            ::freeaddrinfo};
  for (auto* addr = found; addr != nullptr; addr = addr->ai_next) {
    int fd = ::socket(addr->ai_family,
                      addr->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      addr->ai_protocol);
    if (fd < 0)
      continue;
    bool ok = connects(fd, *addr, deadline);
    ::close(fd);
    if (ok)
      return true;
  }
  return false;
}

} // namespace bookstore::cluster
