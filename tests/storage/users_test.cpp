// Users: case-insensitive unique emails, roles, password hashes.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::failure_kind;

TEST_CASE("a user round-trips and is found by id and email", "[users]") {
  storage::database db(":memory:");
  const auto user = db.insert_user("Ada@Example.com", "$argon2id$hash", "user");
  CHECK(user.id > 0);
  CHECK(user.email == "Ada@Example.com");

  const auto by_id = db.find_user(user.id);
  REQUIRE(by_id);
  CHECK(by_id->email == "Ada@Example.com"); // as registered
  CHECK(by_id->password_hash == "$argon2id$hash");
  CHECK(by_id->role == "user");

  const auto by_email = db.find_user_by_email("ada@example.COM");
  REQUIRE(by_email);
  CHECK(by_email->id == user.id);

  CHECK_FALSE(db.find_user(user.id + 1));
  CHECK_FALSE(db.find_user_by_email("ada@example.org"));
}

TEST_CASE("email uniqueness ignores case", "[users]") {
  storage::database db(":memory:");
  db.insert_user("bob@example.com", "h", "user");
  CHECK(kind_of([&] { db.insert_user("BOB@EXAMPLE.COM", "h", "user"); })
        == failure_kind::unique);
  CHECK(kind_of([&] { db.insert_user("bob@example.com", "h", "admin"); })
        == failure_kind::unique);
  CHECK_NOTHROW(db.insert_user("bob2@example.com", "h", "user"));
}

TEST_CASE("roles and password hashes can change", "[users]") {
  storage::database db(":memory:");
  const auto user = db.insert_user("c@example.com", "old", "user");
  db.set_user_role(user.id, "admin");
  db.set_user_password(user.id, "new");
  const auto found = db.find_user(user.id);
  REQUIRE(found);
  CHECK(found->role == "admin");
  CHECK(found->password_hash == "new");

  CHECK(kind_of([&] { db.set_user_role(user.id, "root"); })
        == failure_kind::check);
  CHECK(kind_of([&] { db.insert_user("d@example.com", "h", "superuser"); })
        == failure_kind::check);
  CHECK(db.find_user(user.id)->role == "admin");
}
