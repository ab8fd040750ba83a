#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace bookstore::gateway {

/// The non-empty parts of `path` between slashes: "/books//7/" -> books, 7.
std::vector<std::string_view> path_segments(std::string_view path);

/// True if the segments of a request path fit `pattern` ("/books/{id}");
/// a "{id}" segment must be a positive 63-bit integer and is stored in `id`;
/// a "{name}" segment is any one segment (the route reads and checks it).
bool path_matches(std::string_view pattern,
                  const std::vector<std::string_view>& path, std::int64_t& id);

} // namespace bookstore::gateway
