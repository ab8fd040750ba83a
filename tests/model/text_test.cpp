#include <catch2/catch.hpp>

#include <string>

#include "model/text.hpp"

using bookstore::model::code_points;
using bookstore::model::is_valid_email;
using bookstore::model::length_within;
using bookstore::model::to_lower_ascii;

TEST_CASE("code_points counts characters and not bytes", "[text]") {
  CHECK(code_points("") == std::size_t{0});
  CHECK(code_points("Dune") == std::size_t{4});
  CHECK(code_points("caf\xC3\xA9") == std::size_t{4});      // é: 2 bytes
  CHECK(code_points("\xE2\x82\xAC") == std::size_t{1});     // €: 3 bytes
  CHECK(code_points("\xF0\x9F\x93\x9A") == std::size_t{1}); // 📚: 4 bytes
  CHECK(code_points("a\xF0\x9F\x98\x80z") == std::size_t{3});
  CHECK(code_points(std::string("a\0b", 3)) == std::size_t{3});
  // The extremes that are still valid.
  CHECK(code_points("\xF4\x8F\xBF\xBF") == std::size_t{1}); // U+10FFFF
  CHECK(code_points("\xED\x9F\xBF") == std::size_t{1});     // U+D7FF
  CHECK(code_points("\xEE\x80\x80") == std::size_t{1});     // U+E000
}

TEST_CASE("code_points rejects invalid UTF-8", "[text]") {
  const char* bad = GENERATE("\x80",             // lone continuation
                             "\xC3",             // truncated 2-byte
                             "\xE2\x82",         // truncated 3-byte
                             "\xF0\x9F\x93",     // truncated 4-byte
                             "\xC3\x28",         // bad continuation
                             "\xC0\xAF",         // overlong '/'
                             "\xC1\xBF",         // overlong
                             "\xE0\x80\xAF",     // overlong 3-byte
                             "\xF0\x80\x80\xAF", // overlong 4-byte
                             "\xED\xA0\x80",     // surrogate U+D800
                             "\xED\xBF\xBF",     // surrogate U+DFFF
                             "\xF4\x90\x80\x80", // U+110000
                             "\xF8\x88\x80\x80\x80", "\xFF", "abc\xFE");
  CAPTURE(std::string(bad));
  CHECK_FALSE(code_points(bad).has_value());
}

TEST_CASE("length_within checks code point bounds", "[text]") {
  CHECK(length_within("abc", 1, 3));
  CHECK_FALSE(length_within("abcd", 1, 3));
  CHECK_FALSE(length_within("", 1, 3));
  CHECK(length_within("", 0, 3));
  // Three emoji are 12 bytes but three characters.
  CHECK(
      length_within("\xF0\x9F\x93\x9A\xF0\x9F\x93\x9A\xF0\x9F\x93\x9A", 3, 3));
  CHECK_FALSE(length_within("\xC0\xAF", 0, 10));
}

TEST_CASE("well-formed emails are accepted", "[text][email]") {
  const char* good =
      GENERATE("a@b.co", "user@example.com", "o'brien--x@example.com",
               "first.last@sub.example.org", "x+tag@example.com",
               "!#$%&'*+/=?^_`{|}~-@example.com", "USER@EXAMPLE.COM",
               "a@b-c.d-e.f", "1@2.3");
  CAPTURE(good);
  CHECK(is_valid_email(good));
}

TEST_CASE("malformed emails are refused", "[text][email]") {
  const char* bad = GENERATE(
      "", "plain", "@example.com", "user@", "user@example", "user@@example.com",
      "a@b@example.com", ".user@example.com", "user.@example.com",
      "us..er@example.com", "user@.example.com", "user@example.com.",
      "user@example..com", "user@-example.com", "user@example-.com",
      "us er@example.com", "user@exa mple.com", "user@exa_mple.com",
      "\"quoted\"@example.com", "user(c)@example.com",
      "us\xC3\xA9r@example.com", "user@ex\xC3\xA4mple.com", "user@example.com ",
      " user@example.com");
  CAPTURE(bad);
  CHECK_FALSE(is_valid_email(bad));
}

TEST_CASE("an email's local part and labels and whole length are bounded",
          "[text][email]") {
  const std::string local64(64, 'a');
  const std::string local65(65, 'a');
  CHECK(is_valid_email(local64 + "@example.com"));
  CHECK_FALSE(is_valid_email(local65 + "@example.com"));

  const std::string label63(63, 'b');
  const std::string label64(64, 'b');
  CHECK(is_valid_email("a@" + label63 + ".com"));
  CHECK_FALSE(is_valid_email("a@" + label64 + ".com"));

  // "a@" + three 63-char labels + ".cc" is 2 + 3*63 + 2 + 3 = 196 chars;
  // grow the local part to hit exactly 254 and 255.
  const std::string domain = label63 + "." + label63 + "." + label63 + ".cc";
  const std::string at254 = std::string(254 - 1 - domain.size(), 'a');
  REQUIRE(at254.size() <= 64);
  CHECK(is_valid_email(at254 + "@" + domain));
  CHECK((at254 + "@" + domain).size() == 254);
  CHECK_FALSE(is_valid_email(at254 + "a@" + domain));
}

TEST_CASE("to_lower_ascii lowers only ASCII letters", "[text]") {
  CHECK(to_lower_ascii("User@Example.COM") == "user@example.com");
  CHECK(to_lower_ascii("\xC3\x89t\xC3\xA9") == "\xC3\x89t\xC3\xA9");
  CHECK(to_lower_ascii("") == "");
}
