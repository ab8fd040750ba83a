// Body parsing shared by every decoder, and the auth decoders.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "helpers.hpp"

namespace bj = bookstore::json;
using bj::testing::describe;
using bj::testing::failed;
using bj::testing::has_error;
using bj::testing::only_error;
using bj::testing::repeat;
using nlohmann::json;

namespace {

std::string register_body(const std::string& email,
                          const std::string& password) {
  return json{{"email", email}, {"password", password}}.dump();
}

} // namespace

TEST_CASE("malformed JSON is a json_invalid error at its offset",
          "[json][body]") {
  const auto result = bj::decode_refresh_token(R"({"refresh_token": })");
  REQUIRE(failed(result));
  REQUIRE(result.errors.size() == 1);
  const auto& error = result.errors[0];
  CHECK(error.type == "json_invalid");
  CHECK(error.msg == "JSON decode error");
  REQUIRE(error.loc.size() == 2);
  CHECK(error.loc[0] == "body");
  CHECK(error.loc[1] == 18); // the '}' where a value should be

  const char* bad = GENERATE(R"({"refresh_token": "abc")", "{", "}",
                             R"({'refresh_token': 'x'})", R"({"a":1,})", "nul",
                             R"({"a": 01})", R"({"a": NaN})",
                             "{\"a\": \"tab\there\"}", "{} {}");
  CAPTURE(bad);
  const auto other = bj::decode_checkout(bad);
  CHECK(failed(other));
  CHECK(other.errors.at(0).type == "json_invalid");
}

TEST_CASE("a body that is not an object is model_attributes_type",
          "[json][body]") {
  const char* body =
      GENERATE("[]", "[1,2]", "\"token\"", "42", "null", "true", "3.5");
  CAPTURE(body);
  const auto result = bj::decode_refresh_token(body);
  CHECK(only_error(result.errors, json{"body"}, "model_attributes_type"));
  CHECK(failed(bj::decode_checkout(body)));
}

TEST_CASE("an empty body is missing except for checkout", "[json][body]") {
  const char* body = GENERATE("", "   ", "\r\n\t ");
  CAPTURE(body);
  CHECK(only_error(bj::decode_refresh_token(body).errors, json{"body"},
                   "missing"));
  CHECK(only_error(bj::decode_new_book(body).errors, json{"body"}, "missing"));
  const auto checkout = bj::decode_checkout(body);
  REQUIRE(checkout.ok());
  CHECK_FALSE(checkout.value->force_payment_failure);
}

TEST_CASE("deep nesting neither crashes nor passes", "[json][body]") {
  constexpr std::size_t depth = 100'000;
  const auto arrays = repeat("[", depth) + repeat("]", depth);
  CHECK(only_error(bj::decode_refresh_token(arrays).errors, json{"body"},
                   "model_attributes_type"));

  // Ignored as an unknown member, however deep.
  const auto inside = R"({"junk": )" + arrays + R"(, "refresh_token": "t"})";
  const auto accepted = bj::decode_refresh_token(inside);
  REQUIRE(accepted.ok());
  CHECK(*accepted.value == "t");

  const auto objects = repeat(R"({"a":)", depth) + "1" + repeat("}", depth);
  CHECK(failed(bj::decode_refresh_token(objects)));

  const auto unbalanced = repeat("[", depth);
  const auto result = bj::decode_checkout(unbalanced);
  REQUIRE(failed(result));
  CHECK(result.errors[0].type == "json_invalid");
}

TEST_CASE("invalid UTF-8 and bad escapes are malformed JSON", "[json][body]") {
  const char* body =
      GENERATE("{\"refresh_token\": \"\xff\"}",         // not UTF-8 at all
               "{\"refresh_token\": \"\xc3\x28\"}",     // bad continuation
               "{\"refresh_token\": \"\xc0\xaf\"}",     // overlong '/'
               "{\"refresh_token\": \"\xed\xa0\x80\"}", // encoded surrogate
               R"({"refresh_token": "\ud800"})",        // lone high surrogate
               R"({"refresh_token": "\udc00"})",        // lone low surrogate
               R"({"refresh_token": "\ud800\u0041"})",  // high + not low
               R"({"refresh_token": "\u12"})",          // short escape
               R"({"refresh_token": "\x41"})");         // no such escape
  CAPTURE(body);
  const auto result = bj::decode_refresh_token(body);
  REQUIRE(failed(result));
  CHECK(result.errors[0].type == "json_invalid");
}

TEST_CASE("valid escapes decode to UTF-8 including NUL", "[json][body]") {
  const auto result = bj::decode_refresh_token(
      R"({"refresh_token": "\ud83d\ude00 \u00e9 \u0000!"})");
  REQUIRE(result.ok());
  CHECK(*result.value == std::string("\xF0\x9F\x98\x80 \xC3\xA9 \0!", 10));
}

TEST_CASE("a duplicated member keeps its last value", "[json][body]") {
  const auto result = bj::decode_refresh_token(
      R"({"refresh_token": "first", "refresh_token": "last"})");
  REQUIRE(result.ok());
  CHECK(*result.value == "last");
}

TEST_CASE("register takes a valid email and a password of 8..128",
          "[json][auth]") {
  const auto result = bj::decode_credentials(
      register_body("Alice@Example.COM", "password1"), true);
  REQUIRE(result.ok());
  // Lower-cased: an account's email matches case-insensitively.
  CHECK(result.value->email == "alice@example.com");
  CHECK(result.value->password == "password1");

  CHECK(bj::decode_credentials(
            register_body("o'brien--x@example.com", "12345678"), true)
            .ok());
  // Code points, not bytes: eight emoji are 32 bytes but 8 characters.
  CHECK(bj::decode_credentials(
            register_body("a@example.com", repeat("\xF0\x9F\x98\x80", 8)), true)
            .ok());
  CHECK(
      bj::decode_credentials(
          register_body("a@example.com", repeat("\xF0\x9F\x98\x80", 128)), true)
          .ok());
  CHECK(bj::decode_credentials(register_body("a@example.com", repeat("x", 128)),
                               true)
            .ok());
  CHECK(bj::decode_credentials(register_body("a@example.com", "extra"), true)
            .errors.size()
        == 1);
  CHECK(
      bj::decode_credentials(
          R"({"email": "a@example.com", "password": "12345678", "role": "admin"})",
          true)
          .ok());
}

TEST_CASE("register rejects bad emails and passwords", "[json][auth]") {
  const auto email = GENERATE("not-an-email", "", "a@b", "@example.com",
                              "a b@example.com", "a@@example.com");
  CAPTURE(email);
  const auto bad_email =
      bj::decode_credentials(register_body(email, "password1"), true);
  CHECK(only_error(bad_email.errors, json{"body", "email"}, "value_error"));

  const auto long_email = repeat("a", 64) + "@" + repeat("b", 186) + ".com";
  CHECK(long_email.size() == 255);
  CHECK(failed(
      bj::decode_credentials(register_body(long_email, "password1"), true)));

  CHECK(only_error(
      bj::decode_credentials(register_body("a@example.com", "1234567"), true)
          .errors,
      json{"body", "password"}, "string_too_short"));
  CHECK(only_error(bj::decode_credentials(
                       register_body("a@example.com", repeat("x", 129)), true)
                       .errors,
                   json{"body", "password"}, "string_too_long"));
  CHECK(only_error(
      bj::decode_credentials(
          register_body("a@example.com", repeat("\xF0\x9F\x98\x80", 7)), true)
          .errors,
      json{"body", "password"}, "string_too_short"));
}

TEST_CASE("credentials report every missing or mistyped field",
          "[json][auth]") {
  const bool registering = GENERATE(true, false);
  CAPTURE(registering);
  const auto none = bj::decode_credentials("{}", registering);
  REQUIRE(failed(none));
  INFO(describe(none.errors));
  CHECK(none.errors.size() == 2);
  CHECK(has_error(none.errors, json{"body", "email"}, "missing"));
  CHECK(has_error(none.errors, json{"body", "password"}, "missing"));

  const auto typed =
      bj::decode_credentials(R"({"email": 5, "password": null})", registering);
  CHECK(typed.errors.size() == 2);
  CHECK(has_error(typed.errors, json{"body", "email"}, "string_type"));
  CHECK(has_error(typed.errors, json{"body", "password"}, "string_type"));

  CHECK(
      only_error(bj::decode_credentials(
                     R"({"email": ["a@example.com"], "password": "password1"})",
                     registering)
                     .errors,
                 json{"body", "email"}, "string_type"));
}

TEST_CASE("login takes any strings within size caps", "[json][auth]") {
  const auto result =
      bj::decode_credentials(register_body("not-an-email", "x"), false);
  REQUIRE(result.ok());
  CHECK(result.value->email == "not-an-email");
  CHECK(result.value->password == "x");
  CHECK(bj::decode_credentials(register_body("", ""), false).ok());
  CHECK(bj::decode_credentials(
            register_body(repeat("e", 254), repeat("p", 1024)), false)
            .ok());
  CHECK(only_error(
      bj::decode_credentials(register_body(repeat("e", 255), "p"), false)
          .errors,
      json{"body", "email"}, "string_too_long"));
  CHECK(only_error(bj::decode_credentials(
                       register_body("a@example.com", repeat("p", 1025)), false)
                       .errors,
                   json{"body", "password"}, "string_too_long"));
  // A megabyte password is refused without trouble.
  CHECK(failed(bj::decode_credentials(
      register_body("a@example.com", repeat("p", 1 << 20)), false)));
}

TEST_CASE("refresh token is a required string of at most 512", "[json][auth]") {
  const auto result =
      bj::decode_refresh_token(R"({"refresh_token": "abc.def"})");
  REQUIRE(result.ok());
  CHECK(*result.value == "abc.def");
  CHECK(
      bj::decode_refresh_token(json{{"refresh_token", repeat("t", 512)}}.dump())
          .ok());
  CHECK(only_error(
      bj::decode_refresh_token(json{{"refresh_token", repeat("t", 513)}}.dump())
          .errors,
      json{"body", "refresh_token"}, "string_too_long"));
  CHECK(only_error(bj::decode_refresh_token(R"({"token": "abc"})").errors,
                   json{"body", "refresh_token"}, "missing"));
  CHECK(only_error(bj::decode_refresh_token(R"({"refresh_token": 12})").errors,
                   json{"body", "refresh_token"}, "string_type"));
  CHECK(
      only_error(bj::decode_refresh_token(R"({"refresh_token": null})").errors,
                 json{"body", "refresh_token"}, "string_type"));
}

TEST_CASE("every error has a message", "[json][body]") {
  const auto result = bj::decode_credentials(R"({"email": 1})", true);
  for (const auto& error : result.errors) {
    CHECK_FALSE(error.msg.empty());
    CHECK_FALSE(error.type.empty());
  }
  CHECK(result.errors.at(0).msg == "Input should be a valid string");
  CHECK(result.errors.at(1).msg == "Field required");
}
