#pragma once

namespace bookstore::auth {

/// Initializes libsodium once per process; safe to call from any thread and
/// as often as wanted. Throws std::runtime_error when libsodium cannot start
/// (then no random numbers can be trusted, so nothing may go on).
void ensure_sodium();

} // namespace bookstore::auth
