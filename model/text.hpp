#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::model {

/// Number of code points in valid UTF-8, or nothing if `text` is not UTF-8.
std::optional<std::size_t> code_points(std::string_view text);

/// True if `text` is valid UTF-8 with between `min` and `max` code points.
bool length_within(std::string_view text, std::size_t min, std::size_t max);

/// A practical RFC 5322 subset: dot-atom local part (at most 64 characters),
/// a domain of dot-separated labels with a dot, at most 254 characters.
bool is_valid_email(std::string_view text);

/// ASCII lower case, for case-insensitive email comparison.
std::string to_lower_ascii(std::string_view text);

} // namespace bookstore::model
