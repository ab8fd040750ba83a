#include "model/isbn.hpp"

#include <cstddef>

namespace bookstore::model {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int digit_value(char c) {
  return c - '0';
}

// ISBN-10: weights 10..1 over all ten characters, 'X' worth 10 and allowed
// only as the check digit; the weighted sum must be divisible by 11.
bool valid_isbn10(const std::string& isbn) {
  int sum = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    const char c = isbn[i];
    int value = 0;
    if (is_digit(c)) {
      value = digit_value(c);
    } else if (c == 'X' && i == 9) {
      value = 10;
    } else {
      return false;
    }
    sum += value * static_cast<int>(10 - i);
  }
  return sum % 11 == 0;
}

// ISBN-13: weights 1,3,1,3,... over all thirteen digits; sum divisible by 10.
bool valid_isbn13(const std::string& isbn) {
  int sum = 0;
  for (std::size_t i = 0; i < 13; ++i) {
    if (!is_digit(isbn[i])) {
      return false;
    }
    sum += digit_value(isbn[i]) * (i % 2 == 0 ? 1 : 3);
  }
  return sum % 10 == 0;
}

// Drops the separators people write; upper-cases 'x' so one ISBN has one
// stored spelling (the store's uniqueness relies on that).
std::string strip_separators(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '-' || c == ' ') {
      continue;
    }
    out += c == 'x' ? 'X' : c;
  }
  return out;
}

} // namespace

std::optional<std::string> normalize_isbn(std::string_view text) {
  std::string isbn = strip_separators(text);
  if (isbn.size() == 10 && valid_isbn10(isbn)) {
    return isbn;
  }
  if (isbn.size() == 13 && valid_isbn13(isbn)) {
    return isbn;
  }
  return std::nullopt;
}

} // namespace bookstore::model
