// A cluster's ISBN claims (storage/isbn_claims.hpp): what the ISBN's node
// keeps, and how the claiming book's node settles a claim.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/isbn_claims.hpp"

using namespace storage_test;
using storage::isbn_claim;

namespace {

constexpr const char* dune = "9780441013593";
constexpr const char* emma = "9780141439587";

} // namespace

TEST_CASE("the ISBN's node keeps one claim per ISBN", "[isbn_claims]") {
  storage::database db(":memory:");
  CHECK_FALSE(storage::find_isbn_claim(db, dune));
  CHECK_FALSE(storage::claim_isbn(db, {dune, 7, "t1"}));
  auto kept = storage::find_isbn_claim(db, dune);
  REQUIRE(kept);
  CHECK(kept->book == 7);
  CHECK(kept->token == "t1");

  SECTION("another book's claim is in the way, and is answered") {
    auto in_the_way = storage::claim_isbn(db, {dune, 8, "t2"});
    REQUIRE(in_the_way);
    CHECK(in_the_way->book == 7);
    CHECK(in_the_way->token == "t1");
    CHECK(storage::find_isbn_claim(db, dune)->token == "t1");
  }
  SECTION("the same book's new claim is answered with the one kept") {
    auto kept_one = storage::claim_isbn(db, {dune, 7, "t3"});
    REQUIRE(kept_one);
    CHECK(kept_one->token == "t1");
    CHECK(storage::find_isbn_claim(db, dune)->token == "t1");
  }
  SECTION("a claim is dropped only with its own token") {
    storage::drop_isbn_claim(db, dune, "other");
    CHECK(storage::find_isbn_claim(db, dune));
    storage::drop_isbn_claim(db, dune, "t1");
    CHECK_FALSE(storage::find_isbn_claim(db, dune));
    CHECK_FALSE(storage::claim_isbn(db, {dune, 8, "t2"}));
  }
  SECTION("other ISBNs are free") {
    CHECK_FALSE(storage::claim_isbn(db, {emma, 8, "t2"}));
  }
}

TEST_CASE("only a live book holds its ISBN", "[isbn_claims]") {
  storage::database db(":memory:");
  auto book = make_book("Dune", 999);
  book.isbn = dune;
  auto id = storage::insert_book(db, book).id;
  CHECK(storage::isbn_in_use(db, dune));
  CHECK_FALSE(storage::isbn_in_use(db, emma));
  REQUIRE(storage::delete_book(db, id));
  CHECK_FALSE(storage::isbn_in_use(db, dune));
}

TEST_CASE("settling a claim: it holds while its book has the ISBN, else its "
          "token is void",
          "[isbn_claims]") {
  storage::database db(":memory:");
  auto book = make_book("Dune", 999);
  book.isbn = dune;
  book = storage::insert_book(db, book);

  CHECK(storage::settle_isbn_claim(db, {dune, book.id, "held"}));
  CHECK_FALSE(storage::isbn_claim_void(db, "held"));

  SECTION("the book has another ISBN") {
    CHECK_FALSE(storage::settle_isbn_claim(db, {emma, book.id, "stale"}));
    CHECK(storage::isbn_claim_void(db, "stale"));
    // Settled twice (two nodes' newcomers): the same verdict.
    CHECK_FALSE(storage::settle_isbn_claim(db, {emma, book.id, "stale"}));
  }
  SECTION("the book is deleted") {
    REQUIRE(storage::delete_book(db, book.id));
    CHECK_FALSE(storage::settle_isbn_claim(db, {dune, book.id, "gone"}));
    CHECK(storage::isbn_claim_void(db, "gone"));
  }
  SECTION("there is no such book") {
    CHECK_FALSE(storage::settle_isbn_claim(db, {dune, book.id + 5, "none"}));
    CHECK(storage::isbn_claim_void(db, "none"));
  }
}
