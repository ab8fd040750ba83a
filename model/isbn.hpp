#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bookstore::model {

/// Removes hyphens and spaces and checks the ISBN-10 or ISBN-13 checksum.
/// Returns the normalized form ("0306406152", "9780306406157") or nothing.
/// An ISBN-10 check digit 'x' is normalized to 'X'.
std::optional<std::string> normalize_isbn(std::string_view text);

} // namespace bookstore::model
