#include "gateway/http/socket_of.hpp"

#include <cstdint>

#include <netinet/in.h>
#include <sys/socket.h>

#include "caf/io/broker.hpp"

namespace bookstore::http::detail {

int socket_of(caf::io::broker* self, caf::io::connection_handle hdl) {
  auto fd = static_cast<int>(hdl.id());
  if (fd < 0 || hdl.id() != static_cast<std::int64_t>(fd))
    return -1;
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return -1;
  std::uint16_t port = 0;
  if (addr.ss_family == AF_INET)
    port = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  else if (addr.ss_family == AF_INET6)
    port = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  else
    return -1;
  return port == self->remote_port(hdl) ? fd : -1;
}

} // namespace bookstore::http::detail
