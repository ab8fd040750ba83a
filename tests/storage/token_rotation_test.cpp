// storage::rotate_refresh_token: check the presented token, revoke it and
// store its successor in its family, in one savepoint.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::rotation_status;

namespace {

constexpr std::int64_t now = 1700000000;
constexpr std::int64_t later = 1800000000;

struct rotation_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;

  rotation_fixture() {
    storage::insert_refresh_token(db, alice, "old", "family-1", later);
  }

  storage::rotation rotate(const std::string& old_hash,
                           const std::string& new_hash, std::int64_t at = now) {
    return storage::rotate_refresh_token(db,
                                         {old_hash, new_hash, at, later + 1});
  }

  bool revoked(const std::string& hash) {
    return storage::find_refresh_token(db, hash)->revoked;
  }
};

} // namespace

TEST_CASE_METHOD(rotation_fixture,
                 "a live token is revoked and its successor stored",
                 "[queries][tokens][rotation]") {
  const auto r = rotate("old", "new");
  CHECK(r.status == rotation_status::rotated);
  CHECK(r.user.id == alice);
  CHECK(r.user.email == "alice@example.com");
  CHECK(revoked("old"));
  const auto next = storage::find_refresh_token(db, "new");
  REQUIRE(next);
  CHECK_FALSE(next->revoked);
  CHECK(next->family == "family-1");
  CHECK(next->user == alice);
  CHECK(next->expires_at == later + 1);
  CHECK_FALSE(conn_of(db).in_transaction()); // its own, now committed
}

TEST_CASE_METHOD(rotation_fixture,
                 "a second rotation of one token is reuse and revokes the "
                 "family",
                 "[queries][tokens][rotation]") {
  REQUIRE(rotate("old", "new").status == rotation_status::rotated);
  const auto again = rotate("old", "other");
  CHECK(again.status == rotation_status::reused);
  CHECK(again.user.id == 0); // nobody is signed in by a reuse
  CHECK(revoked("new"));     // the successor goes with its family
  CHECK_FALSE(storage::find_refresh_token(db, "other"));
}

TEST_CASE_METHOD(rotation_fixture,
                 "unknown and expired tokens are invalid and change nothing",
                 "[queries][tokens][rotation]") {
  CHECK(rotate("missing", "new").status == rotation_status::invalid);
  CHECK(rotate("old", "new", later).status == rotation_status::invalid);
  CHECK_FALSE(revoked("old"));
  CHECK_FALSE(storage::find_refresh_token(db, "new"));
}

TEST_CASE_METHOD(rotation_fixture,
                 "a deactivated account's token is refused and kept",
                 "[queries][tokens][rotation]") {
  // Deactivation revokes the tokens; a token stored after it is refused.
  storage::set_account_active(db, alice, false);
  storage::insert_refresh_token(db, alice, "after", "family-2", later);
  CHECK(rotate("after", "new").status == rotation_status::inactive);
  CHECK_FALSE(revoked("after"));
  CHECK_FALSE(storage::find_refresh_token(db, "new"));
}

TEST_CASE_METHOD(rotation_fixture,
                 "inside a transaction the rotation is undone with it",
                 "[queries][tokens][rotation]") {
  {
    storage::transaction tx(db.conn());
    CHECK(rotate("old", "new").status == rotation_status::rotated);
    CHECK(conn_of(db).in_transaction()); // it did not end the caller's
  }                                      // never committed
  CHECK_FALSE(revoked("old"));
  CHECK_FALSE(storage::find_refresh_token(db, "new"));
}

TEST_CASE_METHOD(rotation_fixture, "a failed insert leaves the old token live",
                 "[queries][tokens][rotation]") {
  storage::insert_refresh_token(db, alice, "taken", "family-3", later);
  // The successor's hash is taken: the insert throws after the revoke.
  CHECK_THROWS_AS(rotate("old", "taken"), storage::error);
  CHECK_FALSE(revoked("old"));
  CHECK_FALSE(conn_of(db).in_transaction());
}
