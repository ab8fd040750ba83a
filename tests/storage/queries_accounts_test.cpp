// Admin users: the listing, deactivation (revoking every refresh token in
// the same transaction) and reactivation.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "helpers.hpp"
#include "storage/accounts.hpp"
#include "storage/queries.hpp"

using namespace storage_test;

namespace {

struct accounts_fixture {
  storage::database db{":memory:"};

  model::user_id add(const std::string& email, const std::string& role,
                     const std::string& created_at) {
    auto id = storage::insert_user(db, email, "h", role).id;
    db.conn()
        .cached("UPDATE users SET created_at = ? WHERE id = ?")
        .bind(1, created_at)
        .bind(2, id)
        .run();
    return id;
  }

  std::vector<model::user_id> ids(const storage::account_filter& f) {
    std::vector<model::user_id> out;
    for (const auto& a : storage::list_accounts(db, f).items)
      out.push_back(a.id);
    return out;
  }

  bool revoked(const std::string& hash) {
    return storage::find_refresh_token(db, hash)->revoked;
  }
};

storage::account_filter filter(std::int64_t page = 1,
                               std::int64_t per_page = 20,
                               std::string role = {}, std::int8_t active = -1) {
  storage::account_filter f;
  f.page = page;
  f.per_page = per_page;
  f.role = std::move(role);
  f.active = active;
  return f;
}

} // namespace

TEST_CASE_METHOD(
    accounts_fixture,
    "accounts list newest first with ties by id desc and the total",
    "[queries][accounts]") {
  auto a = add("a@x.io", "user", "2026-01-01T00:00:00Z");
  auto b = add("b@x.io", "admin", "2026-01-03T00:00:00Z");
  auto c = add("c@x.io", "user", "2026-01-02T00:00:00Z");
  auto d = add("d@x.io", "user", "2026-01-02T00:00:00Z"); // ties with c

  CHECK(ids(filter()) == std::vector<model::user_id>{b, d, c, a});
  auto page = storage::list_accounts(db, filter(2, 3));
  CHECK(page.total == 4);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == a);
  CHECK(page.items[0].email == "a@x.io");
  CHECK(page.items[0].role == "user");
  CHECK(page.items[0].active);
  CHECK(page.items[0].created_at == "2026-01-01T00:00:00Z");
  CHECK(storage::list_accounts(db, filter(3, 3)).items.empty());
  CHECK(storage::list_accounts(db, filter(3, 3)).total == 4);
}

TEST_CASE_METHOD(accounts_fixture, "filters by role and activity combine",
                 "[queries][accounts]") {
  auto a = add("a@x.io", "user", "2026-01-01T00:00:00Z");
  auto b = add("b@x.io", "admin", "2026-01-02T00:00:00Z");
  auto c = add("c@x.io", "user", "2026-01-03T00:00:00Z");
  storage::set_account_active(db, c, false);

  CHECK(ids(filter(1, 20, "user")) == std::vector<model::user_id>{c, a});
  CHECK(ids(filter(1, 20, "admin")) == std::vector<model::user_id>{b});
  CHECK(ids(filter(1, 20, {}, 0)) == std::vector<model::user_id>{c});
  CHECK(ids(filter(1, 20, {}, 1)) == std::vector<model::user_id>{b, a});
  CHECK(ids(filter(1, 20, "user", 1)) == std::vector<model::user_id>{a});
  CHECK(ids(filter(1, 20, "admin", 0)).empty());
  CHECK(storage::list_accounts(db, filter(1, 20, "user", 0)).total == 1);
  // A role value is bound, never spliced: a quote is just no match.
  CHECK(ids(filter(1, 20, "user' OR '1'='1")).empty());
}

TEST_CASE_METHOD(accounts_fixture,
                 "deactivation revokes every refresh token in the same "
                 "transaction",
                 "[queries][accounts]") {
  auto alice = add("alice@x.io", "user", "2026-01-01T00:00:00Z");
  auto bob = add("bob@x.io", "user", "2026-01-01T00:00:00Z");
  storage::insert_refresh_token(db, alice, "a1", "fam-a1", 4000000000);
  storage::insert_refresh_token(db, alice, "a2", "fam-a2", 4000000000);
  storage::insert_refresh_token(db, bob, "b1", "fam-b1", 4000000000);

  SECTION("rolled back: neither the state nor the tokens change") {
    {
      storage::transaction tx(db.conn());
      CHECK(storage::set_account_active(db, alice, false));
      CHECK(revoked("a1"));
    } // never committed
    CHECK(storage::find_account(db, alice)->active);
    CHECK_FALSE(revoked("a1"));
    CHECK_FALSE(revoked("a2"));
  }
  SECTION("committed: both") {
    storage::transaction tx(db.conn());
    CHECK(storage::set_account_active(db, alice, false));
    tx.commit();
    CHECK_FALSE(storage::find_account(db, alice)->active);
    CHECK_FALSE(storage::find_user(db, alice)->active);
    CHECK(revoked("a1"));
    CHECK(revoked("a2"));
    CHECK_FALSE(revoked("b1")); // another account's are left alone
    // Idempotent: no change the second time.
    CHECK_FALSE(storage::set_account_active(db, alice, false));
    // Reactivation restores no token.
    CHECK(storage::set_account_active(db, alice, true));
    CHECK(storage::find_account(db, alice)->active);
    CHECK(revoked("a1"));
    CHECK(revoked("a2"));
    CHECK_FALSE(storage::set_account_active(db, alice, true));
  }
}

TEST_CASE_METHOD(accounts_fixture, "an unknown account is not found",
                 "[queries][accounts]") {
  CHECK_FALSE(storage::find_account(db, 42));
  CHECK_FALSE(storage::set_account_active(db, 42, false));
}

TEST_CASE_METHOD(accounts_fixture,
                 "account states list every account in id order",
                 "[queries][accounts]") {
  auto a = add("a@x.io", "user", "2026-01-01T00:00:00Z");
  auto b = add("b@x.io", "user", "2026-01-01T00:00:00Z");
  storage::set_account_active(db, a, false);
  auto states = storage::account_states(db);
  REQUIRE(states.size() == 2);
  CHECK(states[0] == std::make_pair(a, false));
  CHECK(states[1] == std::make_pair(b, true));
}
