// GET /admin/users, PATCH /admin/users/{id}/deactivate and
// /admin/users/{id}/reactivate (API.md "Admin users").

#include "gateway/api/ask.hpp"
#include "gateway/api/gather.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/accounts.hpp"
#include "gateway/json/parts.hpp"

namespace bookstore::gateway::routes {

namespace {

/// The store updates the account directory after its commit and before it
/// answers, so a request that starts after this 200 sees the change.
void set_active(const call_ptr& c, bool active) {
  ask_store<storage::account>(
      c, [=](storage::account& a) { c->reply(200, json::account_json(a)); },
      reply_failure_of(c), update_atom::value,
      account_activation{c->id, active});
}

} // namespace

void admin_users(const call_ptr& c) {
  auto filter = json::decode_account_filter(c->req.query);
  if (!accepted(c, filter))
    return;
  auto f = *filter.value;
  if (gathers(*c)) {
    // Every node's first page x per_page accounts, merged newest first.
    return gather_page(
        c, every_node(*c), (f.page - 1) * f.per_page, f.per_page, admin_users,
        [f](const call_ptr& c, std::vector<nlohmann::json>& parts) {
          c->reply(200, json::merge_account_parts(parts, f));
        });
  }
  auto window = part_size(*c);
  if (window) {
    f.page = 1;
    f.per_page = *window;
  }
  ask_reader<storage::account_page>(
      c,
      [=](storage::account_page& page) {
        c->reply(200, window ? json::account_part_json(page)
                             : json::account_page_json(page, f));
      },
      reply_failure_of(c), list_atom::value, user_atom::value, f);
}

void deactivate_user(const call_ptr& c) {
  set_active(c, false);
}

void reactivate_user(const call_ptr& c) {
  set_active(c, true);
}

} // namespace bookstore::gateway::routes
