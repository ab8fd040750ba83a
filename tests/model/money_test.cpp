#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "model/money.hpp"

using bookstore::model::cents;
using bookstore::model::format_money;
using bookstore::model::parse_money;

TEST_CASE("parse_money reads decimals exactly", "[money]") {
  CHECK(parse_money("14.99") == cents{1499});
  CHECK(parse_money("0.29") == cents{29}); // 0.29 is not exact in binary
  CHECK(parse_money("0.1") == cents{10});
  CHECK(parse_money("14.9") == cents{1490});
  CHECK(parse_money("14") == cents{1400});
  CHECK(parse_money("0") == cents{0});
  CHECK(parse_money("0.00") == cents{0});
  CHECK(parse_money("0.01") == cents{1});
  CHECK(parse_money("007.50") == cents{750});
  CHECK(parse_money("1000000.00") == cents{100'000'000});
}

TEST_CASE("parse_money rejects anything but plain decimals", "[money]") {
  const char* bad =
      GENERATE("", "14.", ".5", "-1", "+1", "1e2", " 1", "1 ", "1.999", "1.2.3",
               "abc", "1,50", ".", "0x10", "1.-5", "1.+5", "٣");
  CAPTURE(bad);
  CHECK_FALSE(parse_money(bad).has_value());
}

TEST_CASE("parse_money rejects amounts that could overflow", "[money]") {
  // 15 integer digits are the most accepted; never wraps around.
  CHECK(parse_money("999999999999999.99") == cents{99'999'999'999'999'999});
  CHECK_FALSE(parse_money("1000000000000000").has_value());
  CHECK_FALSE(parse_money("92233720368547758.07").has_value());
  CHECK_FALSE(parse_money("99999999999999999999999999").has_value());
}

TEST_CASE("format_money writes exactly two decimals", "[money]") {
  CHECK(format_money(0) == "0.00");
  CHECK(format_money(5) == "0.05");
  CHECK(format_money(29) == "0.29");
  CHECK(format_money(100) == "1.00");
  CHECK(format_money(1499) == "14.99");
  CHECK(format_money(-50) == "-0.50");
  CHECK(format_money(-1499) == "-14.99");
  CHECK(format_money(100'000'000) == "1000000.00");
  CHECK(format_money(std::numeric_limits<std::int64_t>::max())
        == "92233720368547758.07");
  CHECK(format_money(std::numeric_limits<std::int64_t>::min())
        == "-92233720368547758.08");
}

TEST_CASE("parse_money and format_money round-trip", "[money]") {
  const cents amount = GENERATE(0, 1, 9, 10, 99, 100, 1499, 100'000'000);
  CAPTURE(amount);
  CHECK(parse_money(format_money(amount)) == amount);
}
