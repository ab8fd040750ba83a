#include "actors/store_accounts.hpp"

namespace bookstore::store_accounts {

using model::error_code;

caf::result<storage::account> set_active(store_ops::self_ptr self,
                                         account_activation change) {
  auto directory = self->state.accounts;
  auto id = change.user;
  auto active = change.active;
  return store_ops::enqueue_then<storage::account>(
      self,
      [=](storage::database& db) {
        auto found = storage::find_account(db, id);
        if (!found)
          throw rejection{error_code::user_not_found};
        if (!active && found->role == "admin")
          throw rejection{error_code::admn_cannot_deactivate_admin};
        storage::set_account_active(db, id, active);
        found->active = active;
        return *found;
      },
      // After the commit, before the answer: a request that starts after
      // the 200 is locked out (or let in again).
      [directory](const storage::account& a) {
        directory->set(a.id, a.active);
      });
}

} // namespace bookstore::store_accounts
