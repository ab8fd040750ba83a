#include "model/text.hpp"

#include <cstdint>

namespace bookstore::model {

namespace {

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// Length of the sequence a lead byte starts, or 0 for a byte that cannot
// start one (a continuation byte, or 0xF8..0xFF which UTF-8 never uses).
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    return 2;
  }
  if ((lead & 0xF0) == 0xE0) {
    return 3;
  }
  if ((lead & 0xF8) == 0xF0) {
    return 4;
  }
  return 0;
}

// The smallest code point each length may encode: anything below is an
// overlong form, which would let two byte strings mean one text.
std::uint32_t min_code_point(std::size_t length) {
  switch (length) {
  case 2:
    return 0x80;
  case 3:
    return 0x800;
  case 4:
    return 0x10000;
  default:
    return 0;
  }
}

bool is_scalar_value(std::uint32_t cp) {
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  return !surrogate && cp <= 0x10FFFF;
}

// Decodes the sequence at `pos`; returns its length or 0 if it is invalid.
std::size_t decode_one(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  const std::size_t length = sequence_length(lead);
  if (length <= 1) {
    return length;
  }
  if (pos + length > text.size()) {
    return 0; // truncated
  }
  static constexpr unsigned char lead_mask[] = {0, 0, 0x1F, 0x0F, 0x07};
  std::uint32_t cp = lead & lead_mask[length];
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    if (!is_continuation(byte)) {
      return 0;
    }
    cp = (cp << 6) | (byte & 0x3F);
  }
  if (cp < min_code_point(length) || !is_scalar_value(cp)) {
    return 0;
  }
  return length;
}

bool is_alnum_ascii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9');
}

// RFC 5322 atext: letters, digits and a fixed set of printable symbols.
bool is_atext(char c) {
  static constexpr std::string_view symbols = "!#$%&'*+/=?^_`{|}~-";
  return is_alnum_ascii(c) || symbols.find(c) != std::string_view::npos;
}

// dot-atom: runs of atext separated by single dots, no dot at either end.
bool is_dot_atom(std::string_view local) {
  if (local.empty() || local.front() == '.' || local.back() == '.') {
    return false;
  }
  char previous = '\0';
  for (char c : local) {
    if (c == '.' ? previous == '.' : !is_atext(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool is_domain_label(std::string_view label) {
  if (label.empty() || label.size() > 63) {
    return false;
  }
  if (label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!is_alnum_ascii(c) && c != '-') {
      return false;
    }
  }
  return true;
}

// At least two labels: a bare host name is no deliverable address here.
bool is_domain(std::string_view domain) {
  std::size_t labels = 0;
  while (true) {
    const auto dot = domain.find('.');
    if (!is_domain_label(domain.substr(0, dot))) {
      return false;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      return labels >= 2;
    }
    domain.remove_prefix(dot + 1);
  }
}

} // namespace

std::optional<std::size_t> code_points(std::string_view text) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t length = decode_one(text, pos);
    if (length == 0) {
      return std::nullopt;
    }
    pos += length;
    ++count;
  }
  return count;
}

bool length_within(std::string_view text, std::size_t min, std::size_t max) {
  const auto count = code_points(text);
  return count && *count >= min && *count <= max;
}

bool is_valid_email(std::string_view text) {
  constexpr std::size_t max_address = 254;
  constexpr std::size_t max_local = 64;
  if (text.size() > max_address) {
    return false;
  }
  const auto at = text.rfind('@');
  if (at == std::string_view::npos) {
    return false;
  }
  const auto local = text.substr(0, at);
  // A second '@' would sit in the local part, where atext does not allow it.
  return local.size() <= max_local && is_dot_atom(local)
         && is_domain(text.substr(at + 1));
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

} // namespace bookstore::model
