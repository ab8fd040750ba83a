#pragma once

// Serializes a response to HTTP/1.1 bytes. No CAF: tested on its own.

#include <string>
#include <string_view>
#include <vector>

#include "gateway/http/message.hpp"

namespace bookstore::http {

/// How the client learns where a body ends.
enum class body_framing {
  length,     // Content-Length: the whole body is at hand
  chunked,    // Transfer-Encoding: chunked, for a body sent in pieces
  until_close // the connection closes after it (a streamed body, HTTP/1.0)
};

/// How the connection frames one response.
struct framing {
  bool keep_alive = true; // "Connection: keep-alive", else "close"
  bool head = false;      // answer to HEAD: headers only, Content-Length kept
  body_framing body = body_framing::length;
};

/// Appends `r` to `out`: status line, Content-Type, Content-Length (or
/// Transfer-Encoding: chunked), Connection, Date, the extra headers, the
/// body (for a streamed one, its first piece). Extra headers that would
/// break the framing (Content-Length, Transfer-Encoding, Connection, Date)
/// or contain CR/LF are dropped.
void serialize(const response& r, framing f, std::vector<char>& out);

/// Appends one more piece of a streamed body: a chunk, or the bytes as they
/// are when the close ends the body. An empty piece appends nothing (an
/// empty chunk would end the body).
void append_piece(std::string_view piece, body_framing how,
                  std::vector<char>& out);

/// Appends the end of a streamed body: the last, empty chunk (nothing when
/// the close ends the body).
void append_body_end(body_framing how, std::vector<char>& out);

/// The same, as a string (for tests and logs).
std::string serialize(const response& r, framing f = {});

/// The reason phrase of a status ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

/// True if the handler asked to close: an extra "Connection: close" header.
bool wants_close(const response& r);

/// An error in the project's shape: {"detail":"...","code":"..."}.
response error_response(int status, std::string_view detail,
                        std::string_view code);

/// The error the server itself answers with `status` (400, 408, 413, 431,
/// 500, 503, 505), code "HTTP_<status>" or "INTERNAL_ERROR" for 500.
response server_error(int status);

} // namespace bookstore::http
