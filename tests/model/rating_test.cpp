#include <catch2/catch.hpp>

#include "model/rating.hpp"
#include "model/review.hpp"

using bookstore::model::display_name_of;
using bookstore::model::mean_tenths;
using bookstore::model::review_time_text;
using bookstore::model::valid_rating;
using bookstore::model::valid_review_text;

TEST_CASE("no reviews have no mean", "[rating]") {
  CHECK_FALSE(mean_tenths(0, 0).has_value());
  CHECK_FALSE(mean_tenths(5, -1).has_value());
}

TEST_CASE("the mean is exact tenths for whole and tenth values", "[rating]") {
  CHECK(mean_tenths(5, 1) == 50);
  CHECK(mean_tenths(9, 2) == 45);  // 4.5 exactly
  CHECK(mean_tenths(21, 5) == 42); // 4.2 exactly
  CHECK(mean_tenths(1, 1) == 10);
}

TEST_CASE("the mean rounds half to even at the second decimal", "[rating]") {
  CHECK(mean_tenths(17, 4) == 42); // 4.25 -> 4.2
  CHECK(mean_tenths(7, 4) == 18);  // 1.75 -> 1.8
  CHECK(mean_tenths(13, 4) == 32); // 3.25 -> 3.2
  CHECK(mean_tenths(15, 4) == 38); // 3.75 -> 3.8
  CHECK(mean_tenths(9, 4) == 22);  // 2.25 -> 2.2
  CHECK(mean_tenths(11, 4) == 28); // 2.75 -> 2.8
  // 4.05 = 81 / 20 -> 4.0; 4.15 = 83 / 20 -> 4.2
  CHECK(mean_tenths(81, 20) == 40);
  CHECK(mean_tenths(83, 20) == 42);
}

TEST_CASE("the mean rounds to nearest away from a tie", "[rating]") {
  CHECK(mean_tenths(13, 3) == 43); // 4.333...
  CHECK(mean_tenths(14, 3) == 47); // 4.666...
  CHECK(mean_tenths(5, 3) == 17);  // 1.666...
  CHECK(mean_tenths(4, 3) == 13);  // 1.333...
  // Far from a float's comfort: a large count stays exact.
  CHECK(mean_tenths(4250001, 1000000) == 43); // 4.250001 -> 4.3
  CHECK(mean_tenths(4250000, 1000000) == 42); // 4.25 -> 4.2
}

TEST_CASE("ratings are integers 1..5", "[rating]") {
  CHECK(valid_rating(1));
  CHECK(valid_rating(5));
  CHECK_FALSE(valid_rating(0));
  CHECK_FALSE(valid_rating(6));
  CHECK_FALSE(valid_rating(-1));
}

TEST_CASE("review text is null or at most 2000 code points", "[review]") {
  CHECK(valid_review_text(std::nullopt));
  CHECK(valid_review_text(std::string{}));
  CHECK(valid_review_text(std::string(2000, 'a')));
  CHECK_FALSE(valid_review_text(std::string(2001, 'a')));
  std::string emoji;
  for (int i = 0; i < 2000; ++i)
    emoji += "\xF0\x9F\x98\x80"; // 2000 code points, 8000 bytes
  CHECK(valid_review_text(emoji));
  CHECK_FALSE(valid_review_text(std::string("\xFF")));
}

TEST_CASE("a display name is the email's local part and review times show "
          "microseconds only when set",
          "[review]") {
  CHECK(display_name_of("reader@example.com") == "reader");
  CHECK(display_name_of("o'brien--x@example.com") == "o'brien--x");
  CHECK(review_time_text(1772038260000000) == "2026-02-25T16:51:00Z");
  CHECK(review_time_text(1772038260000001) == "2026-02-25T16:51:00.000001Z");
  CHECK(review_time_text(1772038260123456) == "2026-02-25T16:51:00.123456Z");
}
