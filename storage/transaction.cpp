#include "storage/transaction.hpp"

#include "storage/sqlite.hpp"

namespace bookstore::storage {

// -- transaction ------------------------------------------------------------

transaction::transaction(connection& conn) : conn_(conn) {
  conn_.cached("BEGIN IMMEDIATE").run();
}

transaction::~transaction() {
  if (committed_ || !conn_.in_transaction())
    return; // some errors (disk full, I/O) already rolled back
  try {
    conn_.cached("ROLLBACK").run();
  } catch (...) {
    // A destructor must not throw; the connection stays usable either way.
  }
}

void transaction::commit() {
  conn_.cached("COMMIT").run();
  committed_ = true;
}

// -- savepoint --------------------------------------------------------------

// Every savepoint has the same name: ROLLBACK TO and RELEASE act on the
// innermost one of that name, which is the one this object opened because
// savepoints end in the reverse order of their construction.

savepoint::savepoint(connection& conn) : conn_(conn) {
  conn_.cached("SAVEPOINT op").run();
}

savepoint::~savepoint() {
  if (released_ || !conn_.in_transaction())
    return; // an error (disk full, I/O) already rolled everything back
  try {
    // ROLLBACK TO keeps the savepoint open; RELEASE then pops it.
    conn_.cached("ROLLBACK TO op").run();
    conn_.cached("RELEASE op").run();
  } catch (...) {
    // A destructor must not throw. If ROLLBACK TO failed, RELEASE is skipped
    // on purpose: it would keep the failed work in the transaction.
  }
}

void savepoint::release() {
  conn_.cached("RELEASE op").run();
  released_ = true;
}

// -- read_snapshot ----------------------------------------------------------

read_snapshot::read_snapshot(connection& conn) : conn_(conn) {
  conn_.cached("BEGIN").run();
}

read_snapshot::~read_snapshot() {
  if (!conn_.in_transaction())
    return;
  try {
    // Nothing was written: ending the read is all a rollback does here.
    conn_.cached("ROLLBACK").run();
  } catch (...) {
    // A destructor must not throw; the connection stays usable either way.
  }
}

} // namespace bookstore::storage
