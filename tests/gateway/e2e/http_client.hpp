#pragma once

// A small blocking HTTP/1.1 client for the black-box tests: one keep-alive
// connection to 127.0.0.1, bounded by socket timeouts so nothing hangs.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace e2e {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// Thrown when the server does not answer in time or the connection fails.
struct http_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct response {
  int status = 0;
  std::string version; // "HTTP/1.1"
  std::string reason;
  header_list headers; // in the order received, names as sent
  std::string body;

  /// The first header named `name` (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
  /// The body as JSON; throws http_error (with the body) if it is not JSON.
  nlohmann::json json() const;
};

/// What came back on a raw connection.
struct raw_result {
  std::string data;         // every byte received
  bool peer_closed = false; // EOF or reset seen
  bool reset = false;       // ECONNRESET / EPIPE seen
  bool timed_out = false;   // neither an answer nor a close in time
  /// The first response in `data`, if a complete one is there.
  std::optional<response> first_response() const;
};

/// Parses one complete response from the front of `data`; `consumed` gets
/// its length. Nothing if `data` does not yet hold a complete response.
std::optional<response> parse_response(std::string_view data,
                                       std::size_t* consumed = nullptr,
                                       bool head_request = false);

/// Requests to `first` go to a random one of `ports` from now on: the HTTP
/// ports of a cluster's nodes (see shared_server).
void spread_requests(std::uint16_t first, std::vector<std::uint16_t> ports);
/// The HTTP ports of the nodes requests to `port` go to: `port` alone, or
/// the cluster's.
std::vector<std::uint16_t> node_ports(std::uint16_t port);

class http_client {
public:
  explicit http_client(
      std::uint16_t port,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;
  http_client(http_client&& other) noexcept;
  http_client& operator=(http_client&&) = delete;

  /// Sends one request on the keep-alive connection (opened on demand,
  /// reopened once if the server had closed it while idle). Adds Host,
  /// Content-Length (for a body or POST/PUT/PATCH), Content-Type
  /// application/json (when there is a body) and `Authorization: Bearer
  /// <token>` (when `token` is not empty) unless `extra` names them.
  response request(std::string_view method, std::string_view target,
                   const std::string& body = {}, const header_list& extra = {},
                   const std::string& token = {});

  response get(const std::string& target, const std::string& token = {},
               const header_list& extra = {});
  response post(const std::string& target, const nlohmann::json& body,
                const std::string& token = {}, const header_list& extra = {});
  response put(const std::string& target, const nlohmann::json& body,
               const std::string& token = {}, const header_list& extra = {});
  response patch(const std::string& target, const nlohmann::json& body,
                 const std::string& token = {}, const header_list& extra = {});
  response del(const std::string& target, const std::string& token = {},
               const header_list& extra = {});
  /// A request whose body is sent verbatim (malformed JSON and the like).
  response send_text(std::string_view method, const std::string& target,
                     const std::string& body, const std::string& token = {},
                     const header_list& extra = {});

  /// Opens a fresh connection, sends `bytes` (stopping early, without
  /// error, if the server answers or closes first), optionally half-closes
  /// (shutdown SHUT_WR), then reads until a complete response arrived, the
  /// server closed, or `read_timeout` passed.
  raw_result raw(const std::string& bytes, bool half_close = false,
                 std::chrono::milliseconds read_timeout =
                     std::chrono::milliseconds(5000)) const;

  /// Opens a connection and returns its descriptor (the caller closes it).
  int open_connection() const;

  void close();
  bool connected() const noexcept { return fd_ >= 0; }
  std::uint16_t port() const noexcept { return port_; }
  /// TCP connections this client opened so far (keep-alive checks).
  int connections_opened() const noexcept { return opened_; }

private:
  void ensure_connected();
  response exchange(const std::string& wire, bool head);

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::uint16_t fd_port_ = 0; // the node fd_ is connected to
  int opened_ = 0;
  std::string buffer_; // bytes received past the last response
};

} // namespace e2e
