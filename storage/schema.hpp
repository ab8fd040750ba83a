#pragma once

// The schema as an ordered list of migrations; PRAGMA user_version records
// how many of them a file has applied.

namespace bookstore::storage {

class connection;

/// The version the newest migration brings a file to.
int latest_schema_version();

/// The file's PRAGMA user_version.
int schema_version(connection& conn);

/// Applies, in one transaction, every migration the file has not had yet and
/// returns the resulting version. A file from a newer program (a version
/// above latest_schema_version()) throws failure_kind::other.
int migrate(connection& conn);

/// For read-only opens: throws failure_kind::other unless the file is at
/// latest_schema_version(), since it cannot be migrated.
void require_latest_schema(connection& conn);

} // namespace bookstore::storage
