// Admin users in the actor core: the account directory (lock-free reads,
// concurrent writers), the store keeping it in step with its commits, and
// the store's deactivation, reactivation and refresh rules.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>
#include <vector>

#include "actors/account_directory.hpp"
#include "model/time.hpp"
#include "tests/actors/shop_fixtures.hpp"

using namespace bookstore;
using namespace bookstore::testing;

namespace {

using state = account_directory::state;

/// is_active of `id` as another connection sees the file (committed data
/// only); -1 if there is no such row.
int committed_active(const std::string& path, model::user_id id) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr)
          == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT is_active FROM users WHERE id = ?", -1,
                             &stmt, nullptr)
          == SQLITE_OK);
  sqlite3_bind_int64(stmt, 1, id);
  int result =
      sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

model::user_id create_admin(threaded_shop& t, const std::string& email) {
  return t
      .ask<storage::user_record>(t.shop.store, create_atom::value,
                                 user_registration{email, "hash", "admin"})
      .id;
}

} // namespace

// ---- the directory alone ---------------------------------------------------

TEST_CASE("the account directory knows only what it was told",
          "[accounts][directory]") {
  account_directory dir;
  CHECK(dir.find(1) == state::unknown);
  CHECK_FALSE(dir.active(1));
  dir.set(1, true);
  dir.set(70000, false); // another chunk
  dir.set(account_directory::max_id, true);
  CHECK(dir.find(1) == state::active);
  CHECK(dir.active(1));
  CHECK(dir.find(70000) == state::inactive);
  CHECK_FALSE(dir.active(70000));
  CHECK(dir.find(69999) == state::unknown);
  CHECK(dir.active(account_directory::max_id));
  // Out of range: never known, and setting them does nothing.
  for (model::user_id id :
       {model::user_id{0}, model::user_id{-5}, account_directory::max_id + 1,
        std::numeric_limits<model::user_id>::max()}) {
    CAPTURE(id);
    dir.set(id, true);
    CHECK(dir.find(id) == state::unknown);
  }
  dir.load({{2, true}, {3, false}, {1, false}});
  CHECK(dir.find(1) == state::inactive);
  CHECK(dir.find(2) == state::active);
  CHECK(dir.find(3) == state::inactive);
}

TEST_CASE("directory readers never block and see every published write",
          "[accounts][directory]") {
  // Writers toggle accounts spread over several chunks (allocating them as
  // they go) while readers look them up; a writer then publishes a flag
  // after its last write: a reader that sees the flag sees that write.
  account_directory dir;
  constexpr int writers = 2;
  constexpr int readers = 3;
  constexpr model::user_id span = 4 * account_directory::chunk_size;
  std::atomic<int> finished{0};
  std::atomic<bool> bad_value{false};
  std::atomic<bool> missed_write{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      for (int round = 0; round < 3; ++round)
        for (model::user_id id = 1 + w; id < span; id += 977 * writers)
          dir.set(id, round % 2 == 0);
      // Final state: active, then the flag.
      for (model::user_id id = 1 + w; id < span; id += 977 * writers)
        dir.set(id, true);
      finished.fetch_add(1, std::memory_order_release);
    });
  // Every id some writer writes: 1 + w + k * stride.
  constexpr model::user_id stride = 977 * writers;
  auto for_each_written = [&](auto fn) {
    for (int w = 0; w < writers; ++w)
      for (model::user_id id = 1 + w; id < span; id += stride)
        fn(id);
  };
  for (int r = 0; r < readers; ++r)
    threads.emplace_back([&] {
      while (finished.load(std::memory_order_acquire) < writers)
        for_each_written([&](model::user_id id) {
          auto s = dir.find(id);
          if (s != state::unknown && s != state::active && s != state::inactive)
            bad_value = true;
        });
      for_each_written([&](model::user_id id) {
        if (!dir.active(id))
          missed_write = true;
      });
    });
  for (auto& t : threads)
    t.join();
  CHECK_FALSE(bad_value);
  CHECK_FALSE(missed_write);
  CHECK(dir.find(3) == state::unknown); // never written (not on a stride)
}

// ---- the store keeps it --------------------------------------------------

TEST_CASE("the directory is loaded at start and follows the store's writes",
          "[accounts]") {
  temp_db file;
  model::user_id user = 0;
  {
    threaded_shop t{file.path()};
    user = t.create_user("loaded@example.com");
    // A registration is known before its answer.
    CHECK(t.shop.accounts->active(user));
    auto off = t.ask<storage::account>(t.shop.store, update_atom::value,
                                       account_activation{user, false});
    CHECK_FALSE(off.active);
    CHECK(t.shop.accounts->find(user) == state::inactive);
  }
  threaded_shop t{file.path()};
  CHECK(t.shop.accounts->find(user) == state::inactive);
  CHECK(t.shop.accounts->find(user + 1) == state::unknown);
  auto on = t.ask<storage::account>(t.shop.store, update_atom::value,
                                    account_activation{user, true});
  CHECK(on.active);
  CHECK(t.shop.accounts->active(user));
}

TEST_CASE("the directory changes after the commit and before the answer",
          "[accounts]") {
  // Step by step on the test coordinator: at every step, an answer implies
  // the directory changed, and a changed directory implies the commit.
  temp_db file;
  coordinated_shop t{file.path()};
  auto user = t.create_user("stepwise@example.com");
  REQUIRE(t.shop.accounts->active(user));
  auto out = t.send<storage::account>(t.shop.store, update_atom::value,
                                      account_activation{user, false});
  bool saw_committed_but_active = false;
  while (t.sched.try_run_once()) {
    const bool locked = !t.shop.accounts->active(user);
    if (out->done())
      CHECK(locked);
    if (locked)
      CHECK(committed_active(file.path(), user) == 0);
    if (!locked && committed_active(file.path(), user) == 0)
      saw_committed_but_active = true;
  }
  REQUIRE(out->value);
  CHECK_FALSE(out->value->active);
  CHECK_FALSE(t.shop.accounts->active(user));
  // The update and the delivery happen in one step of the store, right
  // after the commit: no step ever sees the commit without the update.
  CHECK_FALSE(saw_committed_but_active);
}

TEST_CASE("admins cannot be deactivated and unknown accounts are not found",
          "[accounts]") {
  temp_db file;
  threaded_shop t{file.path()};
  auto admin = create_admin(t, "boss@example.com");
  auto refused = t.try_ask<storage::account>(t.shop.store, update_atom::value,
                                             account_activation{admin, false});
  REQUIRE_FALSE(refused);
  CHECK(domain_code(refused.error())
        == model::error_code::admn_cannot_deactivate_admin);
  CHECK(t.shop.accounts->active(admin));
  // Reactivating an admin is a harmless no-op.
  CHECK(t.ask<storage::account>(t.shop.store, update_atom::value,
                                account_activation{admin, true})
            .active);
  for (bool active : {false, true}) {
    auto missing = t.try_ask<storage::account>(
        t.shop.store, update_atom::value,
        account_activation{model::user_id{424242}, active});
    REQUIRE_FALSE(missing);
    CHECK(domain_code(missing.error()) == model::error_code::user_not_found);
    CHECK(t.shop.accounts->find(424242) == state::unknown);
  }
}

TEST_CASE("refresh tells an invalid token from a reused one and from one of an "
          "inactive account",
          "[accounts]") {
  temp_db file;
  threaded_shop t{file.path()};
  auto user = t.create_user("refresh@example.com");
  // The store purges tokens expired by the real clock: use it.
  const std::int64_t now = model::unix_now();
  const std::int64_t later = now + 3600;
  auto store = t.shop.store;
  auto rotate = [&](const std::string& old_hash, const std::string& next) {
    return t
        .ask<rotation>(store, rotate_atom::value,
                       storage::rotation_request{old_hash, next, now, later})
        .status;
  };
  t.ask<bool>(store, create_atom::value,
              refresh_grant{user, "before", "fam-1", later});
  t.ask<storage::account>(store, update_atom::value,
                          account_activation{user, false});
  // A login that raced the deactivation stored a token after it.
  t.ask<bool>(store, create_atom::value,
              refresh_grant{user, "racing", "fam-2", later});
  t.ask<bool>(store, create_atom::value,
              refresh_grant{user, "expired", "fam-3", now});

  CHECK(rotate("unknown", "n1") == rotation_status::invalid);
  CHECK(rotate("expired", "n2") == rotation_status::invalid);
  CHECK(rotate("before", "n3") == rotation_status::reused);
  CHECK(rotate("racing", "n4") == rotation_status::inactive);
  // Not rotated: the inactive account's token was left as it was.
  t.ask<storage::account>(store, update_atom::value,
                          account_activation{user, true});
  CHECK(rotate("racing", "n5") == rotation_status::rotated);
}

TEST_CASE("a promotion (the bootstrap admin) makes the account active",
          "[accounts]") {
  temp_db file;
  threaded_shop t{file.path()};
  auto user = t.create_user("promoted@example.com");
  t.ask<storage::account>(t.shop.store, update_atom::value,
                          account_activation{user, false});
  REQUIRE_FALSE(t.shop.accounts->active(user));
  CHECK(t.ask<bool>(t.shop.store, update_atom::value,
                    admin_promotion{user, "new-hash"}));
  CHECK(t.shop.accounts->active(user));
  auto found = t.ask<storage::user_record>(t.shop.store, get_atom::value,
                                           user_atom::value,
                                           std::string{"promoted@example.com"});
  CHECK(found.role == "admin");
  CHECK(found.active);
}

TEST_CASE("the listing comes through the store", "[accounts]") {
  temp_db file;
  threaded_shop t{file.path()};
  auto a = t.create_user("l1@example.com");
  auto b = t.create_user("l2@example.com");
  t.ask<storage::account>(t.shop.store, update_atom::value,
                          account_activation{a, false});
  storage::account_filter f;
  f.active = 1;
  auto page = t.ask<storage::account_page>(t.shop.store, list_atom::value,
                                           user_atom::value, f);
  CHECK(page.total == 1);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == b);
}
