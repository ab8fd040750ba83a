#pragma once

// casefold(text), an SQL function: `text` with Unicode case folding (ICU), so
// that comparisons ignore case in every script, not only in ASCII as
// SQLite's own lower() and NOCASE do. Internal to storage/.

struct sqlite3;

namespace bookstore::storage {

/// Adds casefold() to the connection `db`.
void register_casefold(sqlite3* db);

} // namespace bookstore::storage
