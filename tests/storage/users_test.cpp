// Users: case-insensitive unique emails, roles, password hashes.

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace storage_test;
using storage::failure_kind;

TEST_CASE("a user round-trips and is found by id and email", "[users]") {
  storage::database db(":memory:");
  const auto user =
      storage::insert_user(db, "Ada@Example.com", "$argon2id$hash", "user");
  CHECK(user.id > 0);
  CHECK(user.email == "Ada@Example.com");

  const auto by_id = storage::find_user(db, user.id);
  REQUIRE(by_id);
  CHECK(by_id->email == "Ada@Example.com"); // as registered
  CHECK(by_id->password_hash == "$argon2id$hash");
  CHECK(by_id->role == "user");

  const auto by_email = storage::find_user_by_email(db, "ada@example.COM");
  REQUIRE(by_email);
  CHECK(by_email->id == user.id);

  CHECK_FALSE(storage::find_user(db, user.id + 1));
  CHECK_FALSE(storage::find_user_by_email(db, "ada@example.org"));
}

TEST_CASE("email uniqueness ignores case", "[users]") {
  storage::database db(":memory:");
  storage::insert_user(db, "bob@example.com", "h", "user");
  CHECK(
      kind_of([&] { storage::insert_user(db, "BOB@EXAMPLE.COM", "h", "user"); })
      == failure_kind::unique);
  CHECK(kind_of(
            [&] { storage::insert_user(db, "bob@example.com", "h", "admin"); })
        == failure_kind::unique);
  CHECK_NOTHROW(storage::insert_user(db, "bob2@example.com", "h", "user"));
}

TEST_CASE("roles and password hashes can change", "[users]") {
  storage::database db(":memory:");
  const auto user = storage::insert_user(db, "c@example.com", "old", "user");
  storage::set_user_role(db, user.id, "admin");
  storage::set_user_password(db, user.id, "new");
  const auto found = storage::find_user(db, user.id);
  REQUIRE(found);
  CHECK(found->role == "admin");
  CHECK(found->password_hash == "new");

  CHECK(kind_of([&] { storage::set_user_role(db, user.id, "root"); })
        == failure_kind::check);
  CHECK(kind_of([&] {
          storage::insert_user(db, "d@example.com", "h", "superuser");
        })
        == failure_kind::check);
  CHECK(storage::find_user(db, user.id)->role == "admin");
}
