#include "gateway/auth/password.hpp"

#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <sodium.h>

#include "gateway/auth/sodium.hpp"

namespace bookstore::auth {

namespace {

constexpr std::string_view argon2id_prefix = crypto_pwhash_argon2id_STRPREFIX;

// libsodium reads stored hashes as NUL-terminated C strings of at most
// crypto_pwhash_STRBYTES - 1 characters; a string_view is neither. Copies
// `hash` into `out` and refuses what cannot be a hash we wrote: too long,
// an embedded NUL, or another algorithm (even argon2i, which the generic
// verifier would accept, is not what we store).
bool to_c_hash(std::string_view hash, char (&out)[crypto_pwhash_STRBYTES]) {
  if (hash.size() >= crypto_pwhash_STRBYTES
      || hash.find('\0') != std::string_view::npos
      || hash.substr(0, argon2id_prefix.size()) != argon2id_prefix) {
    return false;
  }
  hash.copy(out, hash.size());
  out[hash.size()] = '\0';
  return true;
}

// Any fixed text will do: nobody can log in with it, it only burns time.
constexpr std::string_view dummy_password = "bookstore dummy password";

} // namespace

password_cost password_cost::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
          crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

password_cost password_cost::fast_for_tests() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN,
          crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

std::string hash_password(std::string_view password, password_cost cost) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13)
      != 0) {
    // Only fails for limits out of range or when memory runs out.
    throw std::runtime_error("password hashing failed");
  }
  return out;
}

bool verify_password(std::string_view stored_hash,
                     std::string_view password) noexcept {
  try {
    ensure_sodium();
  } catch (...) {
    return false; // no libsodium, no login: fail closed
  }
  char hash[crypto_pwhash_STRBYTES];
  if (!to_c_hash(stored_hash, hash)) {
    return false;
  }
  return crypto_pwhash_str_verify(hash, password.data(), password.size()) == 0;
}

void verify_dummy(std::string_view password, password_cost cost) {
  // One dummy hash per cost, so the wasted time matches the real hashes
  // whatever cost the caller configured. Made lazily: startup stays fast.
  static std::mutex mutex;
  static std::map<std::pair<unsigned long long, std::size_t>, std::string>
      dummies;
  std::string dummy;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = dummies[{cost.opslimit, cost.memlimit}];
    if (slot.empty()) {
      slot = hash_password(dummy_password, cost);
    }
    dummy = slot;
  }
  // The result is meaningless; only the time spent matters.
  (void)verify_password(dummy, password);
}

bool needs_rehash(std::string_view stored_hash, password_cost cost) noexcept {
  try {
    ensure_sodium();
  } catch (...) {
    return true;
  }
  char hash[crypto_pwhash_STRBYTES];
  if (!to_c_hash(stored_hash, hash)) {
    return true;
  }
  // The argon2id-specific check also fails (-1) for a malformed string;
  // 1 means other limits.
  return crypto_pwhash_argon2id_str_needs_rehash(hash, cost.opslimit,
                                                 cost.memlimit)
         != 0;
}

} // namespace bookstore::auth
