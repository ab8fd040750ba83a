#include <catch2/catch.hpp>

#include "model/prebook.hpp"

using namespace bookstore::model;

TEST_CASE("a book is prebookable only with no copy on hand or held",
          "[model][prebook]") {
  CHECK(prebookable(stock_level{0, 0}));
  CHECK_FALSE(prebookable(stock_level{3, 0}));
  // Every copy held by checkouts: nothing available, yet still in stock,
  // since the copies come back if a checkout fails.
  CHECK_FALSE(prebookable(stock_level{2, 2}));
  CHECK_FALSE(prebookable(stock_level{1, 0}));
}

TEST_CASE("only a stock change from exactly 0 to more notifies",
          "[model][prebook]") {
  CHECK(restock_notifies(0, 1));
  CHECK(restock_notifies(0, 2147483647));
  CHECK_FALSE(restock_notifies(0, 0));
  CHECK_FALSE(restock_notifies(5, 10));
  CHECK_FALSE(restock_notifies(5, 0));
  CHECK_FALSE(restock_notifies(1, 2));
}

TEST_CASE("a waiting or notified pre-booking can be cancelled once",
          "[model][prebook]") {
  CHECK(cancel_refusal(prebook_status::waiting) == error_code::none);
  CHECK(cancel_refusal(prebook_status::notified) == error_code::none);
  CHECK(cancel_refusal(prebook_status::cancelled)
        == error_code::prebook_already_cancelled);
}

TEST_CASE("pre-booking statuses round-trip by name", "[model][prebook]") {
  for (auto s : {prebook_status::waiting, prebook_status::notified,
                 prebook_status::cancelled})
    CHECK(parse_prebook_status(prebook_status_name(s)) == s);
  CHECK(std::string(prebook_status_name(prebook_status::notified))
        == "notified");
  CHECK_FALSE(parse_prebook_status("Waiting"));
  CHECK_FALSE(parse_prebook_status(""));
}
