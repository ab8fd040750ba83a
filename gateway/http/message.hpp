#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caf::io {
class broker;
} // namespace caf::io

namespace bookstore::http {

/// One parsed HTTP/1.1 request.
struct request {
  std::string method; // "GET", "POST", ...
  std::string path;   // decoded path without the query: "/books/7"
  std::string query;  // raw query string without '?': "page=2&q=du"
  std::vector<std::pair<std::string, std::string>> headers; // names lower case
  std::string body;
  bool keep_alive = true;

  /// The first header named `name` (lower case), or "".
  std::string_view header(std::string_view name) const {
    return find_header(name).value_or(std::string_view{});
  }

  /// The first header named `name` (lower case), if there is one.
  std::optional<std::string_view> find_header(std::string_view name) const {
    for (auto& [k, v] : headers)
      if (k == name)
        return std::string_view{v};
    return std::nullopt;
  }
};

/// One response; the server adds Content-Length, Connection and Date.
struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers; // extra ones
  std::string body;
};

/// Answers exactly once, now or later; later answers still go out in the
/// order the requests came in on their connection.
using responder = std::function<void(response)>;

/// Handles one request on the connection's broker `self`. Must not block:
/// talk to actors with `self->request(..., caf::infinite, ...).then(...)`
/// and call `respond` from the response handler.
using handler = std::function<void(caf::io::broker* self, request&& req,
                                   responder respond)>;

} // namespace bookstore::http
