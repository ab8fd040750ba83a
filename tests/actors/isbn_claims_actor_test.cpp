// A cluster's ISBN claims through the store and the book actor, on CAF's
// test coordinator (gateway/api/isbn_claims.hpp has the protocol). One
// store plays both parts: the ISBN's node, which keeps the claims, and the
// claiming book's node, which settles them and writes the change. The
// interleaving that matters: a claim settled as stale while the change it
// granted is still on its way must never be applied after.

#include <catch2/catch.hpp>

#include "actors/errors.hpp"
#include "tests/actors/shop_fixtures.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;
using storage::isbn_claim;

namespace {

constexpr const char* dune = "9780441013593";

model::book_patch isbn_patch(const char* isbn, std::string claim) {
  model::book_patch patch;
  patch.isbn = std::optional<std::string>{isbn};
  patch.isbn_claim = std::move(claim);
  return patch;
}

std::optional<std::string> isbn_of(coordinated_shop& t, model::book_id id) {
  return t.ask<model::book>(t.book_of(id), get_atom::value).isbn;
}

} // namespace

TEST_CASE("a claim settled as stale refuses the change still on its way",
          "[actor][isbn_claims]") {
  temp_db db;
  coordinated_shop t{db.path()};
  auto book = t.create_book("Claimed", 1);
  // The ISBN's node granted the claim "late"; before the change arrives,
  // a newcomer's settlement finds the book without the ISBN.
  CHECK_FALSE(t.ask<bool>(t.shop.store, settle_atom::value, isbn_atom::value,
                          isbn_claim{dune, book.id, "late"}));
  auto change = t.send<model::book>(t.book_of(book.id), update_atom::value,
                                    isbn_patch(dune, "late"));
  t.sched.run();
  REQUIRE(change->error);
  CHECK(domain_code(*change->error) == error_code::book_isbn_conflict);
  CHECK_FALSE(isbn_of(t, book.id));
  // Another claim of the same book, not settled, goes through.
  auto again = t.ask<model::book>(t.book_of(book.id), update_atom::value,
                                  isbn_patch(dune, "fresh"));
  CHECK(again.isbn == std::optional<std::string>{dune});
}

TEST_CASE("a claim whose change landed first holds when settled",
          "[actor][isbn_claims]") {
  temp_db db;
  coordinated_shop t{db.path()};
  auto book = t.create_book("Claimed", 1);
  t.ask<model::book>(t.book_of(book.id), update_atom::value,
                     isbn_patch(dune, "first"));
  // The store's one writer ran the change first: the claim holds, and its
  // token stays good (a retry of the change goes through).
  CHECK(t.ask<bool>(t.shop.store, settle_atom::value, isbn_atom::value,
                    isbn_claim{dune, book.id, "first"}));
  t.ask<model::book>(t.book_of(book.id), update_atom::value,
                     isbn_patch(dune, "first"));
  CHECK(isbn_of(t, book.id) == std::optional<std::string>{dune});
}

TEST_CASE("the ISBN's node: a claim is refused for its own book's ISBN, and "
          "its own books cannot take a claimed ISBN",
          "[actor][isbn_claims]") {
  temp_db db;
  coordinated_shop t{db.path()};
  auto own = t.create_book("Own", 1);
  t.ask<model::book>(t.book_of(own.id), update_atom::value,
                     isbn_patch(dune, ""));
  auto refused =
      t.send<isbn_claim>(t.shop.store, create_atom::value, isbn_atom::value,
                         isbn_claim{dune, 1001, "t"});
  t.sched.run();
  REQUIRE(refused->error);
  CHECK(domain_code(*refused->error) == error_code::book_isbn_conflict);

  const char* emma = "9780141439587";
  auto granted =
      t.ask<isbn_claim>(t.shop.store, create_atom::value, isbn_atom::value,
                        isbn_claim{emma, 1001, "t1"});
  CHECK(granted.token == "t1");
  auto in_the_way =
      t.ask<isbn_claim>(t.shop.store, create_atom::value, isbn_atom::value,
                        isbn_claim{emma, 1004, "t2"});
  CHECK(in_the_way.book == 1001);
  CHECK(t.ask<isbn_claim>(t.shop.store, get_atom::value, isbn_atom::value,
                          std::string{emma})
            .book
        == 1001);
  // A book of this node, changed or new, is refused while the claim stands.
  auto change = t.send<model::book>(t.book_of(own.id), update_atom::value,
                                    isbn_patch(emma, ""));
  auto draft = draft_book("New", 1000);
  draft.isbn = emma;
  auto created =
      t.send<model::book>(t.shop.registry, create_atom::value, draft);
  t.sched.run();
  REQUIRE(change->error);
  CHECK(domain_code(*change->error) == error_code::book_isbn_conflict);
  REQUIRE(created->error);
  CHECK(domain_code(*created->error) == error_code::book_isbn_conflict);
  // Once dropped (settled as stale), it is free.
  t.ask<bool>(t.shop.store, remove_atom::value, isbn_atom::value,
              isbn_claim{emma, 1001, "t1"});
  CHECK(t.ask<model::book>(t.shop.registry, create_atom::value, draft).isbn
        == std::optional<std::string>{emma});
}

TEST_CASE("a process that opens the file forgets the tokens voided before it, "
          "and keeps the claims",
          "[actor][isbn_claims]") {
  temp_db db;
  {
    // What a process left: a claim kept for another node's book, and a
    // token voided when one of its own book's claims was found stale.
    storage::database file(db.path());
    REQUIRE_FALSE(storage::claim_isbn(file, {dune, 1001, "kept"}));
    REQUIRE_FALSE(storage::settle_isbn_claim(file, {dune, 7, "stale"}));
    REQUIRE(storage::isbn_claim_void(file, "stale"));
  }
  coordinated_shop t{db.path()};
  // No change under "stale" can come from the process that is gone (a token
  // lives in the book's node's process only), so the row is dropped.
  storage::database file(db.path());
  CHECK_FALSE(storage::isbn_claim_void(file, "stale"));
  auto kept = storage::find_isbn_claim(file, dune);
  REQUIRE(kept);
  CHECK(kept->token == "kept");
}
