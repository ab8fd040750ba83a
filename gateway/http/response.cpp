#include "gateway/http/response.hpp"

#include <cstdio>
#include <ctime>

#include <http_parser.h>

namespace bookstore::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
    auto y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
    if (x != y)
      return false;
  }
  return true;
}

bool has_crlf(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// Headers the server owns: a handler's copy would contradict the framing.
bool reserved(std::string_view name) {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding")
         || iequals(name, "connection") || iequals(name, "date");
}

// RFC 7231 IMF-fixdate, formatted at most once per second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local char buf[64] = {0};
  auto now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_at = now;
  }
  return buf;
}

void append(std::vector<char>& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}

void append_header(std::vector<char>& out, std::string_view name,
                   std::string_view value) {
  append(out, name);
  append(out, ": ");
  append(out, value);
  append(out, "\r\n");
}

std::string json_escape(std::string_view in) {
  std::string out;
  for (auto c : in) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

} // namespace

std::string_view reason_phrase(int status) {
  std::string_view s = http_status_str(static_cast<http_status>(status));
  return s == "<unknown>" ? "Unknown" : s;
}

bool wants_close(const response& r) {
  for (auto& [name, value] : r.headers)
    if (iequals(name, "connection") && iequals(value, "close"))
      return true;
  return false;
}

void serialize(const response& r, framing f, std::vector<char>& out) {
  // 1xx, 204 and 304 never carry a body (RFC 7230 3.3.3).
  bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  out.reserve(out.size() + 160 + r.body.size());
  append(out, "HTTP/1.1 ");
  append(out, std::to_string(r.status));
  append(out, " ");
  append(out, reason_phrase(r.status));
  append(out, "\r\n");
  if (!r.content_type.empty() && !bodiless)
    append_header(out, "Content-Type", r.content_type);
  if (!bodiless && f.body == body_framing::length)
    append_header(out, "Content-Length", std::to_string(r.body.size()));
  if (!bodiless && f.body == body_framing::chunked)
    append_header(out, "Transfer-Encoding", "chunked");
  append_header(out, "Connection", f.keep_alive ? "keep-alive" : "close");
  append_header(out, "Date", http_date());
  for (auto& [name, value] : r.headers) {
    if (name.empty() || reserved(name) || has_crlf(name) || has_crlf(value))
      continue;
    if (!r.content_type.empty() && iequals(name, "content-type"))
      continue;
    append_header(out, name, value);
  }
  append(out, "\r\n");
  if (bodiless || f.head)
    return;
  if (f.body == body_framing::length)
    append(out, r.body);
  else
    append_piece(r.body, f.body, out);
}

void append_piece(std::string_view piece, body_framing how,
                  std::vector<char>& out) {
  if (piece.empty())
    return;
  if (how != body_framing::chunked)
    return append(out, piece);
  char size[20];
  std::snprintf(size, sizeof(size), "%zx\r\n", piece.size());
  append(out, size);
  append(out, piece);
  append(out, "\r\n");
}

void append_body_end(body_framing how, std::vector<char>& out) {
  if (how == body_framing::chunked)
    append(out, "0\r\n\r\n");
}

std::string serialize(const response& r, framing f) {
  std::vector<char> out;
  serialize(r, f, out);
  return std::string{out.begin(), out.end()};
}

response error_response(int status, std::string_view detail,
                        std::string_view code) {
  response r;
  r.status = status;
  r.body = R"({"detail":")" + json_escape(detail) + R"(","code":")"
           + json_escape(code) + R"("})";
  return r;
}

response server_error(int status) {
  if (status == 500)
    return error_response(500, "Internal server error", "INTERNAL_ERROR");
  return error_response(status, reason_phrase(status),
                        "HTTP_" + std::to_string(status));
}

} // namespace bookstore::http
