// Fuzzes model/text.hpp: code_points, length_within, is_valid_email and
// to_lower_ascii.
//
// Invariants:
// - code_points accepts exactly the well-formed UTF-8 of Unicode's table
//   3-7 (no overlongs, surrogates or values above U+10FFFF) and counts its
//   code points (checked against a table-driven reference);
// - length_within agrees with code_points;
// - is_valid_email agrees with a reference written from its documentation
//   (dot-atom local part of at most 64 characters, at least two domain
//   labels of 1..63 letters, digits and inner hyphens, at most 254 in all),
//   and lower-casing keeps an address valid.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/check.hpp"
#include "model/text.hpp"

namespace {

namespace model = bookstore::model;

bool in(unsigned char b, unsigned lo, unsigned hi) {
  return b >= lo && b <= hi;
}

// Unicode 15, table 3-7: the well-formed byte sequences.
std::optional<std::size_t> reference_code_points(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  const auto at = [&](std::size_t k) -> int {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : -1;
  };
  const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    const int b = at(k);
    return b >= 0 && in(static_cast<unsigned char>(b), lo, hi);
  };
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    if (b <= 0x7F)
      len = 1;
    else if (in(b, 0xC2, 0xDF) && cont(1))
      len = 2;
    else if (b == 0xE0 && cont(1, 0xA0, 0xBF) && cont(2))
      len = 3;
    else if ((in(b, 0xE1, 0xEC) || in(b, 0xEE, 0xEF)) && cont(1) && cont(2))
      len = 3;
    else if (b == 0xED && cont(1, 0x80, 0x9F) && cont(2))
      len = 3;
    else if (b == 0xF0 && cont(1, 0x90, 0xBF) && cont(2) && cont(3))
      len = 4;
    else if (in(b, 0xF1, 0xF3) && cont(1) && cont(2) && cont(3))
      len = 4;
    else if (b == 0xF4 && cont(1, 0x80, 0x8F) && cont(2) && cont(3))
      len = 4;
    else
      return std::nullopt;
    i += len;
    ++count;
  }
  return count;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto pos = s.find(sep);
    out.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos)
      return out;
    s.remove_prefix(pos + 1);
  }
}

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9');
}

bool reference_email(std::string_view text) {
  if (text.size() > 254)
    return false;
  const auto parts = split(text, '@');
  if (parts.size() != 2)
    return false;
  const auto local = parts[0];
  const auto domain = parts[1];
  if (local.size() > 64)
    return false;
  for (auto atom : split(local, '.')) {
    if (atom.empty())
      return false;
    for (char c : atom)
      if (!alnum(c)
          && std::string_view("!#$%&'*+/=?^_`{|}~-").find(c)
                 == std::string_view::npos)
        return false;
  }
  const auto labels = split(domain, '.');
  if (labels.size() < 2)
    return false;
  for (auto label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-'
        || label.back() == '-')
      return false;
    for (char c : label)
      if (!alnum(c) && c != '-')
        return false;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);

  const auto count = model::code_points(text);
  FUZZ_CHECK(count == reference_code_points(text));
  if (count) {
    FUZZ_CHECK(*count <= size);
    FUZZ_CHECK(model::length_within(text, *count, *count));
    FUZZ_CHECK(model::length_within(text, 0, *count));
    FUZZ_CHECK(!model::length_within(text, *count + 1, *count + 10));
    if (*count > 0)
      FUZZ_CHECK(!model::length_within(text, 0, *count - 1));
  } else {
    FUZZ_CHECK(!model::length_within(text, 0, size + 1));
  }

  const bool email = model::is_valid_email(text);
  FUZZ_CHECK(email == reference_email(text));
  const auto lower = model::to_lower_ascii(text);
  FUZZ_CHECK(lower.size() == text.size());
  FUZZ_CHECK(model::code_points(lower) == count);
  FUZZ_CHECK(model::is_valid_email(lower) == email);
  return 0;
}
