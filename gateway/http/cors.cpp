#include "gateway/http/cors.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "gateway/http/response.hpp"

namespace bookstore::http {

namespace {

constexpr std::array<std::string_view, 6> allowed_methods = {
    "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

// Lower case: request header names compare case-insensitively.
constexpr std::array<std::string_view, 6> allowed_headers = {
    "accept",           "accept-language", "authorization",
    "content-language", "content-type",    "idempotency-key"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& ch : out)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

/// `http[s]://host[:port]` with nothing after: what a browser sends.
bool is_origin(std::string_view s) {
  std::string_view rest;
  if (s.rfind("http://", 0) == 0)
    rest = s.substr(7);
  else if (s.rfind("https://", 0) == 0)
    rest = s.substr(8);
  else
    return false;
  if (rest.empty())
    return false;
  auto host_end = rest.find(':');
  auto host = rest.substr(0, host_end);
  if (host.empty())
    return false;
  for (char ch : host)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-')
      return false;
  if (host_end == std::string_view::npos)
    return true;
  auto port = rest.substr(host_end + 1);
  return !port.empty() && port.size() <= 5
         && std::all_of(port.begin(), port.end(), [](char ch) {
              return std::isdigit(static_cast<unsigned char>(ch));
            });
}

/// Calls `fn` with each trimmed, non-empty entry of a comma-separated list.
template <class F> void for_each_entry(std::string_view list, F fn) {
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = trim(list.substr(0, comma));
    if (!entry.empty())
      fn(entry);
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
}

bool requested_headers_allowed(std::string_view list) {
  bool ok = true;
  for_each_entry(list, [&](std::string_view name) {
    ok = ok
         && std::find(allowed_headers.begin(), allowed_headers.end(),
                      lower(name))
                != allowed_headers.end();
  });
  return ok;
}

} // namespace

bool cors_policy::allows(std::string_view origin) const {
  // "null" is what sandboxed frames and file: pages send: allowing it with
  // credentials would let any such page act as the user.
  if (origin.empty() || origin == "null")
    return false;
  return any
         || std::find(origins.begin(), origins.end(), origin) != origins.end();
}

std::optional<cors_policy> parse_cors_origins(std::string_view list,
                                              std::string& error) {
  cors_policy policy;
  bool ok = true;
  for_each_entry(list, [&](std::string_view entry) {
    if (!ok)
      return;
    if (entry == "*") {
      policy.any = true;
    } else if (is_origin(entry)) {
      policy.origins.emplace_back(entry);
    } else {
      error = "--cors-origins: '" + std::string{entry}
              + "' is not an origin (scheme://host[:port], or *)";
      ok = false;
    }
  });
  if (!ok)
    return std::nullopt;
  return policy;
}

bool is_preflight(const request& req) {
  return req.method == "OPTIONS" && req.find_header("origin")
         && req.find_header("access-control-request-method");
}

response preflight_answer(const cors_policy& policy, const request& req) {
  auto origin = req.header("origin");
  auto method = req.header("access-control-request-method");
  const char* refused = nullptr;
  if (!policy.allows(origin))
    refused = "Disallowed CORS origin";
  else if (std::find(allowed_methods.begin(), allowed_methods.end(), method)
           == allowed_methods.end())
    refused = "Disallowed CORS method";
  else if (!requested_headers_allowed(
               req.header("access-control-request-headers")))
    refused = "Disallowed CORS headers";
  if (refused) {
    auto res = error_response(400, refused, "CORS_REJECTED");
    res.headers.emplace_back("Vary", "Origin");
    return res;
  }
  response res;
  res.content_type = "text/plain; charset=utf-8";
  res.body = "OK";
  allow_origin(res, origin);
  res.headers.emplace_back("Access-Control-Allow-Methods",
                           "GET, POST, PUT, DELETE, PATCH, OPTIONS");
  res.headers.emplace_back("Access-Control-Allow-Headers",
                           "Accept, Accept-Language, Authorization, "
                           "Content-Language, Content-Type, Idempotency-Key");
  res.headers.emplace_back("Access-Control-Max-Age", "600");
  return res;
}

void allow_origin(response& res, std::string_view origin) {
  res.headers.emplace_back("Access-Control-Allow-Origin", std::string{origin});
  res.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  res.headers.emplace_back("Vary", "Origin");
}

} // namespace bookstore::http
