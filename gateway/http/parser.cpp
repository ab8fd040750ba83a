#include "gateway/http/parser.hpp"

#include <climits>
#include <cstring>
#include <string>
#include <utility>

#include <http_parser.h>

namespace bookstore::http {

namespace {

// Bytes a header line costs beyond its name and value: ": " and CRLF.
constexpr std::size_t header_line_overhead = 4;

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void append_lower(std::string& out, const char* at, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) {
    auto c = at[i];
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
}

// Compares ignoring case; `lower` is already lower case.
bool iequals_lower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
    if (x != lower[i])
      return false;
  }
  return true;
}

// http_parser strips leading but not trailing whitespace of a value.
void trim_trailing(std::string& s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
}

// Maps an http_parser error to the status we answer before closing.
int status_of(http_errno err) {
  switch (err) {
  case HPE_HEADER_OVERFLOW:
    return 431;
  case HPE_INVALID_VERSION:
    return 505;
  default:
    return 400;
  }
}

} // namespace

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      auto hi = hex_value(in[i + 1]);
      auto lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

std::string log_escape(std::string_view in) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7f) {
      out.push_back(c);
      continue;
    }
    out.push_back('%');
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 0xf]);
  }
  return out;
}

struct parser::impl {
  http_parser p;
  parser* owner = nullptr;
  request current;
  std::string url;
  bool in_value = false; // the last callback was a header value
  std::size_t header_bytes = 0;
  std::size_t max_body = 0; // this request's body limit
  std::optional<request> ready;
};

// http_parser's C callbacks; nested so they may touch the parser's state.
struct parser::callbacks {
  static impl& self(http_parser* p) { return *static_cast<impl*>(p->data); }

  // Stops http_parser at once; feed() sees the pause and our error.
  static int stop(http_parser* p, int status) {
    self(p).owner->fail(status);
    http_parser_pause(p, 1);
    return 0;
  }

  static bool version_ok(const http_parser* p) {
    return p->http_major == 1 && (p->http_minor == 0 || p->http_minor == 1);
  }

  // A request line without a version (http_parser reads it as HTTP/0.9) is
  // malformed (400); a well-formed other version is unsupported (505).
  static int refuse_version(http_parser* p) {
    return stop(p, p->http_major == 0 ? 400 : 505);
  }

  static int count_header_bytes(http_parser* p, std::size_t n) {
    auto& s = self(p);
    s.header_bytes += n;
    if (s.header_bytes > s.owner->limits_.max_header)
      return stop(p, 431);
    return 0;
  }

  static int on_message_begin(http_parser* p) {
    auto& s = self(p);
    s.current = request{};
    s.url.clear();
    s.in_value = false;
    s.header_bytes = 0;
    s.max_body = s.owner->limits_.max_body;
    s.owner->expect_continue_ = false;
    s.owner->phase_ = parse_phase::headers;
    return 0;
  }

  static int on_url(http_parser* p, const char* at, std::size_t len) {
    self(p).url.append(at, len);
    return count_header_bytes(p, len);
  }

  static int on_header_field(http_parser* p, const char* at, std::size_t len) {
    // The request line is complete by now: refuse other versions early.
    if (!version_ok(p))
      return refuse_version(p);
    auto& s = self(p);
    // Trailer fields after a chunked body are not merged into the header
    // section (RFC 9110, 6.5.1): only their size counts.
    if (s.owner->phase_ == parse_phase::body)
      return count_header_bytes(p, len);
    auto& headers = s.current.headers;
    if (s.in_value || headers.empty()) {
      headers.emplace_back();
      s.in_value = false;
      s.header_bytes += header_line_overhead;
    }
    append_lower(headers.back().first, at, len);
    return count_header_bytes(p, len);
  }

  static int on_header_value(http_parser* p, const char* at, std::size_t len) {
    auto& s = self(p);
    if (s.owner->phase_ == parse_phase::body) // a trailer field
      return count_header_bytes(p, len);
    s.in_value = true;
    s.current.headers.back().second.append(at, len);
    return count_header_bytes(p, len);
  }

  static int on_headers_complete(http_parser* p) {
    if (!version_ok(p))
      return refuse_version(p);
    auto& s = self(p);
    auto& req = s.current;
    for (auto& header : req.headers)
      trim_trailing(header.second);
    req.method = http_method_str(static_cast<http_method>(p->method));
    http_parser_url u;
    http_parser_url_init(&u);
    if (http_parser_parse_url(s.url.data(), s.url.size(),
                              p->method == HTTP_CONNECT, &u)
        != 0)
      return stop(p, 400);
    if (u.field_set & (1 << UF_PATH)) {
      req.raw_path =
          s.url.substr(u.field_data[UF_PATH].off, u.field_data[UF_PATH].len);
      req.path = percent_decode(req.raw_path);
    } else {
      req.raw_path = req.path = "/";
    }
    // http_parser reads any coding list that ends in "chunked" as chunked
    // and hands us the body still encoded ("gzip, chunked" would be read
    // as plain text). The only coding we know is chunked alone.
    if (!transfer_coding_known(req))
      return stop(p, 501);
    if (u.field_set & (1 << UF_QUERY))
      req.query =
          s.url.substr(u.field_data[UF_QUERY].off, u.field_data[UF_QUERY].len);
    if (s.owner->limits_.body_limit)
      s.max_body = s.owner->limits_.body_limit(req.method, req.path);
    // Refuse an announced oversized body before reading any of it.
    if (!(p->flags & F_CHUNKED) && p->content_length != ULLONG_MAX
        && p->content_length > s.max_body)
      return stop(p, 413);
    s.owner->phase_ = parse_phase::body;
    bool has_body =
        (p->flags & F_CHUNKED)
        || (p->content_length > 0 && p->content_length != ULLONG_MAX);
    s.owner->expect_continue_ =
        has_body && p->http_minor == 1
        && iequals_lower(req.header("expect"), "100-continue");
    return 0;
  }

  static int on_chunk_header(http_parser* p) {
    // content_length holds this chunk's size: refuse before reading it.
    auto& s = self(p);
    if (p->content_length > s.max_body
        || s.current.body.size() + p->content_length > s.max_body)
      return stop(p, 413);
    return 0;
  }

  static int on_body(http_parser* p, const char* at, std::size_t len) {
    auto& s = self(p);
    if (s.current.body.size() + len > s.max_body)
      return stop(p, 413);
    s.current.body.append(at, len);
    return 0;
  }

  static int on_message_complete(http_parser* p) {
    auto& s = self(p);
    s.current.keep_alive = http_should_keep_alive(p) != 0 && !p->upgrade;
    s.current.http11 = p->http_minor == 1;
    if (!s.current.keep_alive)
      s.owner->done_ = true;
    s.ready = std::move(s.current);
    s.current = request{};
    s.owner->phase_ = parse_phase::idle;
    s.owner->expect_continue_ = false;
    // Stop after each request so the caller handles pipelined ones in order.
    http_parser_pause(p, 1);
    return 0;
  }

  // No Transfer-Encoding, or exactly one that says "chunked" (any case).
  static bool transfer_coding_known(const request& req) {
    int count = 0;
    for (auto& [name, value] : req.headers) {
      if (name != "transfer-encoding")
        continue;
      if (++count > 1 || !iequals_lower(value, "chunked"))
        return false;
    }
    return true;
  }

  static const http_parser_settings settings;
};

const http_parser_settings parser::callbacks::settings = [] {
  http_parser_settings s;
  std::memset(&s, 0, sizeof(s));
  s.on_message_begin = on_message_begin;
  s.on_url = on_url;
  s.on_header_field = on_header_field;
  s.on_header_value = on_header_value;
  s.on_headers_complete = on_headers_complete;
  s.on_body = on_body;
  s.on_message_complete = on_message_complete;
  s.on_chunk_header = on_chunk_header;
  return s;
}();

parser::parser(parser_limits limits)
    : impl_(std::make_unique<impl>()), limits_(limits) {
  http_parser_init(&impl_->p, HTTP_REQUEST);
  impl_->p.data = impl_.get();
  impl_->owner = this;
}

parser::~parser() = default;

std::size_t parser::feed(const char* data, std::size_t n) {
  if (error_ != 0 || done_ || impl_->ready || n == 0)
    return 0;
  auto& p = impl_->p;
  auto used = http_parser_execute(&p, &callbacks::settings, data, n);
  auto err = HTTP_PARSER_ERRNO(&p);
  if (err == HPE_PAUSED)
    http_parser_pause(&p, 0); // paused by us: a request or an error is ready
  else if (err != HPE_OK && error_ == 0)
    fail(status_of(err));
  return used;
}

std::optional<request> parser::next() {
  auto result = std::move(impl_->ready);
  impl_->ready.reset();
  return result;
}

void parser::fail(int status) {
  if (error_ == 0)
    error_ = status;
  done_ = true;
}

} // namespace bookstore::http
