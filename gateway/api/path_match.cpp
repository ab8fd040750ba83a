#include "gateway/api/path_match.hpp"

#include "gateway/json/decode.hpp"

namespace bookstore::gateway {

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto end = path.find('/');
    out.push_back(path.substr(0, end));
    path.remove_prefix(end == std::string_view::npos ? path.size() : end);
  }
  return out;
}

bool path_matches(std::string_view pattern,
                  const std::vector<std::string_view>& path, std::int64_t& id) {
  auto want = path_segments(pattern);
  if (want.size() != path.size())
    return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "{id}") {
      auto parsed = json::parse_path_id(path[i]);
      if (!parsed)
        return false;
      id = *parsed;
    } else if (want[i] == "{name}") {
      // Any one segment; the route checks it (uploads: served names only).
    } else if (want[i] != path[i]) {
      return false;
    }
  }
  return true;
}

} // namespace bookstore::gateway
