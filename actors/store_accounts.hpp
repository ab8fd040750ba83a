#pragma once

// The store's admin-users handlers: the account listing, and deactivation /
// reactivation, which update the account directory after their commit.

#include "actors/store_ops.hpp"
#include "storage/accounts.hpp"

namespace bookstore::store_accounts {

caf::result<storage::account_page> list_accounts(store_ops::self_ptr self,
                                                 storage::account_filter f);

/// Deactivates (revoking every refresh token in the same write) or
/// reactivates an account. Rejects USER_NOT_FOUND, and a deactivation of an
/// admin with ADMN_CANNOT_DEACTIVATE_ADMIN. Idempotent.
caf::result<storage::account> set_active(store_ops::self_ptr self,
                                         account_activation change);

} // namespace bookstore::store_accounts
