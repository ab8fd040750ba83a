#pragma once

// JSON of the admin-users routes (API.md "Admin users"): the listing's query
// string in, AdminUser and its page out.

#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/json/decode.hpp"
#include "storage/accounts.hpp"

namespace bookstore::json {

/// GET /admin/users: page >= 1 (1), per_page 1..100 (20), role user|admin,
/// is_active a boolean as pydantic reads one from text (true/false, 1/0,
/// yes/no, on/off, t/f, y/n, any case). Errors at {"query", name}.
decoded<storage::account_filter> decode_account_filter(std::string_view query);

/// AdminUser: {id, email, full_name (null), role, is_active, created_at}.
nlohmann::json account_json(const storage::account& a);

/// {items, total_count, page, per_page, total_pages}.
nlohmann::json account_page_json(const storage::account_page& page,
                                 const storage::account_filter& filter);

} // namespace bookstore::json
