// Refresh tokens: stored by hash, revoked one by one or by family.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/queries.hpp"

using namespace storage_test;
using storage::failure_kind;

namespace {

struct token_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;

  bool revoked(const std::string& hash) {
    return storage::find_refresh_token(db, hash)->revoked;
  }
};

} // namespace

TEST_CASE_METHOD(token_fixture, "a token is found by its hash",
                 "[queries][tokens]") {
  storage::insert_refresh_token(db, alice, "hash-a", "family-1", 1700000000);
  storage::insert_refresh_token(db, bob, "hash-b", "family-2", 1800000000);

  const auto a = storage::find_refresh_token(db, "hash-a");
  REQUIRE(a);
  CHECK(a->id > 0);
  CHECK(a->user == alice);
  CHECK(a->family == "family-1");
  CHECK(a->expires_at == 1700000000);
  CHECK_FALSE(a->revoked);
  const auto b = storage::find_refresh_token(db, "hash-b");
  REQUIRE(b);
  CHECK(b->user == bob);
  CHECK(b->id != a->id);

  CHECK_FALSE(storage::find_refresh_token(db, "missing"));
  CHECK_FALSE(storage::find_refresh_token(db, "HASH-A")); // exact match
}

TEST_CASE_METHOD(token_fixture, "a duplicate hash or unknown user is refused",
                 "[queries][tokens]") {
  storage::insert_refresh_token(db, alice, "hash-a", "family-1", 1);
  CHECK(kind_of([&] {
          storage::insert_refresh_token(db, bob, "hash-a", "family-9", 1);
        })
        == failure_kind::unique);
  CHECK(kind_of([&] {
          storage::insert_refresh_token(db, 999, "hash-z", "family-9", 1);
        })
        == failure_kind::foreign_key);
}

TEST_CASE_METHOD(
    token_fixture,
    "one token or a whole family can be revoked and stays findable",
    "[queries][tokens]") {
  storage::insert_refresh_token(db, alice, "a1", "family-1", 1);
  storage::insert_refresh_token(db, alice, "a2", "family-1", 1);
  storage::insert_refresh_token(db, alice, "a3", "family-1", 1);
  storage::insert_refresh_token(db, alice, "b1", "family-2", 1);

  storage::revoke_refresh_token(db, storage::find_refresh_token(db, "a1")->id);
  CHECK(revoked("a1"));
  CHECK_FALSE(revoked("a2"));
  // A revoked token is still found: its reuse must be recognisable.
  REQUIRE(storage::find_refresh_token(db, "a1"));
  storage::revoke_refresh_token(db, storage::find_refresh_token(db, "a1")->id);
  CHECK(revoked("a1")); // twice is harmless

  storage::revoke_token_family(db, "family-1");
  CHECK(revoked("a1"));
  CHECK(revoked("a2"));
  CHECK(revoked("a3"));
  CHECK_FALSE(revoked("b1"));
  storage::revoke_token_family(db, "no-such-family");
  CHECK_FALSE(revoked("b1"));
}

TEST_CASE_METHOD(token_fixture,
                 "a promotion or a password reset revokes every token of the "
                 "account in the write's transaction",
                 "[queries][tokens]") {
  storage::insert_refresh_token(db, alice, "a1", "family-1", 1800000000);
  storage::insert_refresh_token(db, alice, "a2", "family-2", 1800000000);
  storage::insert_refresh_token(db, bob, "b1", "family-3", 1800000000);

  SECTION("promotion") {
    storage::transaction tx(db.conn());
    storage::set_user_role(db, alice, "admin");
    tx.commit();
  }
  SECTION("password reset") {
    storage::transaction tx(db.conn());
    storage::set_user_password(db, alice, "new hash");
    tx.commit();
  }
  CHECK(revoked("a1"));
  CHECK(revoked("a2"));
  CHECK_FALSE(revoked("b1")); // other accounts keep their sessions
}

TEST_CASE_METHOD(token_fixture,
                 "a rolled-back password reset leaves the tokens valid",
                 "[queries][tokens]") {
  storage::insert_refresh_token(db, alice, "a1", "family-1", 1800000000);
  {
    storage::transaction tx(db.conn());
    storage::set_user_password(db, alice, "new hash");
    storage::set_user_role(db, alice, "admin");
  } // never committed
  CHECK_FALSE(revoked("a1"));
  CHECK(storage::find_user(db, alice)->role == "user");
}

TEST_CASE_METHOD(token_fixture,
                 "purging drops expired tokens whether revoked or not and "
                 "keeps revoked ones that have not expired",
                 "[queries][tokens]") {
  const std::int64_t now = 1'800'000'000;
  storage::insert_refresh_token(db, alice, "old", "family-1", now - 10);
  storage::insert_refresh_token(db, alice, "old-revoked", "family-2", now - 5);
  storage::revoke_token_family(db, "family-2");
  storage::insert_refresh_token(db, alice, "edge", "family-3", now);
  storage::insert_refresh_token(db, bob, "live", "family-4", now + 1);
  storage::insert_refresh_token(db, bob, "live-revoked", "family-5", now + 60);
  storage::revoke_token_family(db, "family-5");

  CHECK(storage::purge_refresh_tokens(db, now, 100) == 3);
  CHECK_FALSE(storage::find_refresh_token(db, "old"));
  CHECK_FALSE(storage::find_refresh_token(db, "old-revoked"));
  CHECK_FALSE(storage::find_refresh_token(db, "edge"));
  REQUIRE(storage::find_refresh_token(db, "live"));
  REQUIRE(storage::find_refresh_token(db, "live-revoked"));
  CHECK(revoked("live-revoked")); // still there to recognise its reuse
  CHECK(storage::purge_refresh_tokens(db, now, 100) == 0);
}

TEST_CASE_METHOD(token_fixture, "a purge deletes at most `limit` tokens",
                 "[queries][tokens]") {
  for (int i = 0; i < 5; ++i)
    storage::insert_refresh_token(db, alice, "t" + std::to_string(i), "f", 1);
  CHECK(storage::purge_refresh_tokens(db, 100, 2) == 2);
  CHECK(storage::purge_refresh_tokens(db, 100, 2) == 2);
  CHECK(storage::purge_refresh_tokens(db, 100, 2) == 1);
  CHECK(storage::purge_refresh_tokens(db, 100, 2) == 0);
}
