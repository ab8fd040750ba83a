#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bookstore::auth {

/// Argon2id work factors. The server uses interactive(); test suites use
/// fast_for_tests() so that hashing many passwords stays cheap.
struct password_cost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;

  /// libsodium's interactive limits: 2 passes over 64 MiB.
  static password_cost interactive();
  /// The smallest limits Argon2id accepts (1 pass, 8 KiB). Never in production.
  static password_cost fast_for_tests();
};

/// An Argon2id hash in the PHC string format ("$argon2id$v=19$m=...").
/// It embeds salt and cost, so it is all there is to store. Throws
/// std::runtime_error when the memory for hashing cannot be had.
std::string hash_password(std::string_view password,
                          password_cost cost = password_cost::interactive());

/// True when `password` matches `stored_hash`. False for a wrong password and
/// for anything that is not an Argon2id hash string. Never throws.
bool verify_password(std::string_view stored_hash,
                     std::string_view password) noexcept;

/// Spends what verify_password spends for a hash of the same cost, against a
/// fixed hash made at first use for that cost. Called when the email is
/// unknown so that login answers in similar time whether or not the account
/// exists. The first call per cost also computes the dummy hash.
void verify_dummy(std::string_view password,
                  password_cost cost = password_cost::interactive());

/// True when `stored_hash` is not an Argon2id hash with exactly `cost`, so a
/// successful login should store a fresh hash_password(password, cost).
bool needs_rehash(std::string_view stored_hash,
                  password_cost cost = password_cost::interactive()) noexcept;

} // namespace bookstore::auth
