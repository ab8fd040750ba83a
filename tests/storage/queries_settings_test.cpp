// Settings: named values that survive a restart.

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/queries.hpp"

using namespace storage_test;
using namespace std::string_literals;

TEST_CASE("a setting is absent until put and then overwritten",
          "[queries][settings]") {
  storage::database db(":memory:");
  CHECK_FALSE(storage::get_setting(db, "jwt_secret"));
  storage::put_setting(db, "jwt_secret", "first");
  CHECK(storage::get_setting(db, "jwt_secret") == "first");
  storage::put_setting(db, "jwt_secret", "second");
  CHECK(storage::get_setting(db, "jwt_secret") == "second");
  CHECK_FALSE(storage::get_setting(db, "JWT_SECRET"));
  storage::put_setting(db, "empty", "");
  CHECK(storage::get_setting(db, "empty") == "");
  CHECK(query_int(conn_of(db), "SELECT count(*) FROM settings") == 2);
}

TEST_CASE("settings round-trip verbatim and survive a reopen",
          "[queries][settings]") {
  temp_file file;
  const std::string value = "'; DROP TABLE settings; -- 🙂\0\xff"s;
  REQUIRE(value.find('\0') != std::string::npos);
  {
    storage::database db(file.str());
    storage::put_setting(db, "odd", value);
  }
  storage::database db(file.str());
  CHECK(storage::get_setting(db, "odd") == value);
}
