#pragma once

// Cross-origin requests from browsers (API.md, CORS): which origins may call
// with credentials, the answer to a preflight, and the headers an allowed
// origin's answers carry. No CAF: tested on its own.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/http/message.hpp"

namespace bookstore::http {

/// The origins allowed to call from a browser, compared exactly.
struct cors_policy {
  bool any = false;                 // "*": every origin (but "null")
  std::vector<std::string> origins; // "scheme://host[:port]"

  bool allows(std::string_view origin) const;
};

/// Reads `--cors-origins`: a comma-separated list of `http[s]://host[:port]`
/// (spaces around entries ignored), "*" for any, "" for none. Nothing and a
/// message in `error` for an entry that is not an origin.
std::optional<cors_policy> parse_cors_origins(std::string_view list,
                                              std::string& error);

/// An OPTIONS request with Origin and Access-Control-Request-Method.
bool is_preflight(const request& req);

/// The answer to a preflight: 200 with the allowing headers if the origin,
/// the method and every requested header are allowed; otherwise 400
/// CORS_REJECTED without Access-Control-Allow-Origin.
response preflight_answer(const cors_policy& policy, const request& req);

/// Marks `res` as readable by `origin` (an allowed one), credentials
/// included.
void allow_origin(response& res, std::string_view origin);

} // namespace bookstore::http
