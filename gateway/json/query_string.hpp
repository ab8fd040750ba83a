#pragma once

// Internal to the decoders: splitting and percent-decoding a raw query
// string ("page=2&q=du%20ne").

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace bookstore::json::detail {

/// Decodes %XY escapes and '+' as a space. An escape that is not two hex
/// digits stays as written (like Python's unquote_plus); the result may be
/// any bytes, so callers check UTF-8 where they need text.
std::string percent_decode(std::string_view text);

using query_params = std::map<std::string, std::string, std::less<>>;

/// The parameters of `query`, names and values decoded. A parameter without
/// '=' has the empty value; a repeated name keeps its last value (as
/// Starlette, which the original backend used, does).
query_params parse_query(std::string_view query);

} // namespace bookstore::json::detail
