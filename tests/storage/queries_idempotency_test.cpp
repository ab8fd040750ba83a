// Idempotency records: per user and key, with an age limit and a purge.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/queries.hpp"

using namespace storage_test;
using storage::failure_kind;
using storage::idempotency_record;
using namespace std::string_literals;

namespace {

struct idempotency_fixture {
  storage::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;
};

} // namespace

TEST_CASE_METHOD(idempotency_fixture, "a record reads back verbatim",
                 "[queries][idempotency]") {
  const std::string body = "{\"detail\": \"it's 🙂 %_\"}\0x"s;
  REQUIRE(body.size() == 28);
  storage::put_idempotency(db, alice, "key-1", {201, body, 1000});
  const auto found = storage::find_idempotency(db, alice, "key-1", 0);
  REQUIRE(found);
  CHECK(found->status == 201);
  CHECK(found->body == body);
  CHECK(found->created_at == 1000);
  CHECK_FALSE(storage::find_idempotency(db, alice, "KEY-1", 0));
  CHECK_FALSE(storage::find_idempotency(db, alice, "key-2", 0));
}

TEST_CASE_METHOD(idempotency_fixture, "keys of different users never collide",
                 "[queries][idempotency]") {
  storage::put_idempotency(db, alice, "same", {201, "alice's", 1000});
  CHECK_FALSE(storage::find_idempotency(db, bob, "same", 0));
  storage::put_idempotency(db, bob, "same", {402, "bob's", 1000});
  CHECK(storage::find_idempotency(db, alice, "same", 0)->body == "alice's");
  CHECK(storage::find_idempotency(db, bob, "same", 0)->status == 402);
}

TEST_CASE_METHOD(idempotency_fixture, "not_before hides older records",
                 "[queries][idempotency]") {
  storage::put_idempotency(db, alice, "k", {409, "b", 1000});
  CHECK(storage::find_idempotency(db, alice, "k", 999));
  CHECK(storage::find_idempotency(db, alice, "k", 1000)); // inclusive
  CHECK_FALSE(storage::find_idempotency(db, alice, "k", 1001));
}

TEST_CASE_METHOD(idempotency_fixture, "put replaces the record of its key",
                 "[queries][idempotency]") {
  storage::put_idempotency(db, alice, "k", {402, "declined", 1000});
  storage::put_idempotency(db, alice, "k", {201, "created", 5000});
  const auto found = storage::find_idempotency(db, alice, "k", 0);
  REQUIRE(found);
  CHECK(found->status == 201);
  CHECK(found->body == "created");
  CHECK(found->created_at == 5000);
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM idempotency_records")
        == 1);
}

TEST_CASE_METHOD(idempotency_fixture, "purge deletes records older than before",
                 "[queries][idempotency]") {
  storage::put_idempotency(db, alice, "old", {201, "", 999});
  storage::put_idempotency(db, alice, "edge", {201, "", 1000});
  storage::put_idempotency(db, bob, "new", {201, "", 2000});
  storage::purge_idempotency(db, 1000);
  CHECK_FALSE(storage::find_idempotency(db, alice, "old", 0));
  CHECK(storage::find_idempotency(db, alice, "edge", 0));
  CHECK(storage::find_idempotency(db, bob, "new", 0));
  storage::purge_idempotency(db, 5000);
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM idempotency_records")
        == 0);
}

TEST_CASE_METHOD(idempotency_fixture, "an unknown user is refused",
                 "[queries][idempotency]") {
  CHECK(kind_of([&] {
          storage::put_idempotency(db, 999, "k", {201, "", 1});
        })
        == failure_kind::foreign_key);
}

TEST_CASE_METHOD(idempotency_fixture,
                 "an order's outcome names the order and purges expired keys",
                 "[queries][idempotency]") {
  storage::put_idempotency(db, alice, "old", {402, "declined", 1000});
  const auto order =
      storage::insert_order(db, alice, {}, {}, "2026-12-04T00:00:00Z").id;
  storage::record_order_outcome(db, alice, "k", order, 1000 + 24 * 3600 + 1);
  const auto found = storage::find_idempotency(db, alice, "k", 0);
  REQUIRE(found);
  CHECK(found->status == 201);
  CHECK(found->order == order);
  CHECK(found->body.empty());
  CHECK_FALSE(storage::find_idempotency(db, alice, "old", 0));
  // A record without an order reads back with none.
  storage::put_idempotency(db, bob, "k", {402, "declined", 5000});
  CHECK(storage::find_idempotency(db, bob, "k", 0)->order == 0);
}
