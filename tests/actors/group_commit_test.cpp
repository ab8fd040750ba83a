// The store's group commit, step by step on the test coordinator: writes
// that arrive together share one transaction, and under load a commit waits
// (at most the window) for the writes the last transaction suggests.

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using namespace std::chrono_literals;

namespace {

using user_answer = std::shared_ptr<answer<storage::user_record>>;

user_answer new_user(coordinated_shop& t, int n) {
  return t.send<storage::user_record>(
      t.shop.store, create_atom::value,
      user_registration{"group" + std::to_string(n) + "@example.com", "hash",
                        "user"});
}

std::uint64_t commits(coordinated_shop& t) {
  return t.shop.metrics->commits.load();
}

} // namespace

TEST_CASE("writes that arrive together share one commit and a smaller batch "
          "waits for the rest within the window",
          "[actor][deterministic][group-commit]") {
  temp_db db;
  core_config config;
  config.group_commit_window = 1ms;
  coordinated_shop t{db.path(), config};

  // Three writes in the mailbox at once: one transaction for all three.
  std::vector<user_answer> first{new_user(t, 1), new_user(t, 2),
                                 new_user(t, 3)};
  t.sched.run();
  for (auto& a : first)
    REQUIRE(a->value);
  CHECK(commits(t) == 1);
  CHECK(t.shop.metrics->writes_committed == 3);

  // One write alone: the last batch had three, so the store waits...
  auto lone = new_user(t, 4);
  t.sched.run();
  CHECK_FALSE(lone->done());
  CHECK(commits(t) == 1);
  // ...and commits as soon as as many writes as last time are queued,
  // without waiting for the window to pass.
  auto second = new_user(t, 5);
  auto third = new_user(t, 6);
  t.sched.run();
  CHECK(lone->value);
  CHECK(second->value);
  CHECK(third->value);
  CHECK(commits(t) == 2);

  // When the others do not come, the window ends the wait.
  auto late = new_user(t, 7);
  t.sched.run();
  CHECK_FALSE(late->done());
  t.sched.advance_time(1ms);
  t.sched.run();
  REQUIRE(late->value);
  CHECK(commits(t) == 3);
  CHECK(t.shop.metrics->writes_committed == 7);
}

TEST_CASE("a rejected write does not undo the others of its batch",
          "[actor][deterministic][group-commit]") {
  temp_db db;
  coordinated_shop t{db.path()};
  auto ok1 = new_user(t, 1);
  auto dup = t.send<storage::user_record>(
      t.shop.store, create_atom::value,
      user_registration{"GROUP1@example.com", "hash", "user"});
  auto ok2 = new_user(t, 2);
  t.sched.run();
  REQUIRE(ok1->value);
  REQUIRE(ok2->value);
  REQUIRE(dup->error);
  CHECK(domain_code(*dup->error) == model::error_code::auth_email_conflict);
  CHECK(commits(t) == 1);
  CHECK(t.shop.metrics->writes_committed == 3);
}
