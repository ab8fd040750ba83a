#include <catch2/catch.hpp>

#include <string>

#include "model/isbn.hpp"

using bookstore::model::normalize_isbn;

TEST_CASE("valid ISBN-10s normalize", "[isbn]") {
  CHECK(normalize_isbn("0306406152") == std::string("0306406152"));
  CHECK(normalize_isbn("0-306-40615-2") == std::string("0306406152"));
  CHECK(normalize_isbn("0 306 40615 2") == std::string("0306406152"));
  // 'X' is a check digit worth 10, written upper case when stored.
  CHECK(normalize_isbn("080442957X") == std::string("080442957X"));
  CHECK(normalize_isbn("0-8044-2957-x") == std::string("080442957X"));
}

TEST_CASE("valid ISBN-13s normalize", "[isbn]") {
  CHECK(normalize_isbn("9780306406157") == std::string("9780306406157"));
  CHECK(normalize_isbn("978-0-306-40615-7") == std::string("9780306406157"));
  CHECK(normalize_isbn(" 978 0306406157 ") == std::string("9780306406157"));
  CHECK(normalize_isbn("979-10-90636-07-1") == std::string("9791090636071"));
}

TEST_CASE("invalid ISBNs are rejected", "[isbn]") {
  const char* bad =
      GENERATE("", "0306406153", // ISBN-10 wrong check digit
               "9780306406158",  // ISBN-13 wrong check digit
               "X123456788",     // X only as the check digit, even when the
               "1234X67825",     // weighted sum would come out right
               "97803064061X7",  // no X in an ISBN-13
               "030640615",      // too short
               "03064061522",    // 11 digits
               "978030640615",   // 12 digits
               "0_306_40615_2",  // only '-' and ' ' are separators
               "0.306.40615.2", "030640615\t2", "isbn0306406152", "-----",
               "97803064061577");
  CAPTURE(bad);
  CHECK_FALSE(normalize_isbn(bad).has_value());
}
