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
  std::string method;   // "GET", "POST", ...
  std::string path;     // decoded path without the query: "/books/7"
  std::string raw_path; // the path as received, still percent-encoded (logs)
  std::string query;    // raw query string without '?': "page=2&q=du"
  std::vector<std::pair<std::string, std::string>> headers; // names lower case
  std::string body;
  bool keep_alive = true;
  bool http11 = true; // HTTP/1.1; else 1.0, which knows no chunked bodies

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

/// One piece of a body sent in pieces, and whether it is the last.
struct body_piece {
  std::string bytes;
  bool last = false;
};

/// Takes the next piece of a streamed body, or nothing when the body cannot
/// be finished (the status line is out by then, so the connection is cut).
using piece_receiver = std::function<void(std::optional<body_piece>)>;

/// Makes the next piece of a body and hands it to the receiver, exactly
/// once, on the connection's broker `self` (like a handler: never blocks).
using body_stream = std::function<void(caf::io::broker* self, piece_receiver)>;

/// One response; the server adds Content-Length, Connection and Date.
struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers; // extra ones
  std::string body;
  /// Set for a body too large to hold at once (every order ever placed):
  /// `body` is its first piece and the connection asks `stream` for each
  /// next one only when the previous one left its buffers, so a listing
  /// holds one piece in memory, not the whole answer. Sent chunked
  /// (HTTP/1.0: until the connection closes).
  body_stream stream;
  /// No answer at all: the connection closes once the answers before this
  /// one are out, without a status line. For an outcome this server cannot
  /// know (a node of the cluster went down while it ran the request), which
  /// any status would misstate; the client sees its answer lost.
  bool lost = false;
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
