#pragma once

// The store's admin-users handlers: deactivation and reactivation, which
// update the account directory after their commit. The account listing
// runs on the readers (reads.hpp).

#include "actors/store_ops.hpp"
#include "storage/accounts.hpp"

namespace bookstore::store_accounts {

/// Deactivates (revoking every refresh token in the same write) or
/// reactivates an account. Rejects USER_NOT_FOUND, and a deactivation of an
/// admin with ADMN_CANNOT_DEACTIVATE_ADMIN. Idempotent.
caf::result<storage::account> set_active(store_ops::self_ptr self,
                                         account_activation change);

} // namespace bookstore::store_accounts
