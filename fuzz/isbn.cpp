// Fuzzes model/isbn.hpp: normalize_isbn.
//
// Invariants:
// - the normalized form is 10 characters (digits, 'X' only last) or 13
//   digits, and its checksum holds (checked by a reference);
// - normalizing is idempotent, and separators put back anywhere (hyphens,
//   spaces) normalize to the same form;
// - the input is accepted exactly when the reference accepts it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "model/isbn.hpp"

namespace {

using bookstore::model::normalize_isbn;

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool reference_valid(const std::string& s) {
  if (s.size() == 10) {
    int sum = 0;
    for (int i = 0; i < 10; ++i) {
      int v;
      if (digit(s[i]))
        v = s[i] - '0';
      else if (i == 9 && s[i] == 'X')
        v = 10;
      else
        return false;
      sum += v * (10 - i);
    }
    return sum % 11 == 0;
  }
  if (s.size() == 13) {
    int sum = 0;
    for (int i = 0; i < 13; ++i) {
      if (!digit(s[i]))
        return false;
      sum += (s[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return sum % 10 == 0;
  }
  return false;
}

std::optional<std::string> reference_normalize(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == '-' || c == ' ')
      continue;
    s += c == 'x' ? 'X' : c;
  }
  if (!reference_valid(s))
    return std::nullopt;
  return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  const auto isbn = normalize_isbn(text);
  FUZZ_CHECK(isbn == reference_normalize(text));
  if (!isbn)
    return 0;
  FUZZ_CHECK(isbn->size() == 10 || isbn->size() == 13);
  for (std::size_t i = 0; i < isbn->size(); ++i)
    FUZZ_CHECK(digit((*isbn)[i])
               || (isbn->size() == 10 && i == 9 && (*isbn)[i] == 'X'));
  FUZZ_CHECK(normalize_isbn(*isbn) == isbn);
  // Separators between the characters, chosen by the input's bytes.
  std::string spaced;
  for (std::size_t i = 0; i < isbn->size(); ++i) {
    spaced += (*isbn)[i];
    const auto b = static_cast<unsigned char>(text[i % size]);
    if (b & 1)
      spaced += '-';
    if (b & 2)
      spaced += ' ';
  }
  FUZZ_CHECK(normalize_isbn(spaced) == isbn);
  // A lower-case check digit means the same ISBN.
  if (isbn->back() == 'X') {
    std::string lower = *isbn;
    lower.back() = 'x';
    FUZZ_CHECK(normalize_isbn(lower) == isbn);
  }
  return 0;
}
