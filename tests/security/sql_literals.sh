#!/bin/bash
# "No SQL is built by concatenating input": every piece of SQL text that
# reaches SQLite (connection::cached/prepare/exec, the statement
# constructor, sqlite3_prepare*/sqlite3_exec) must be fixed text: string
# literals, or constants made only of literals. String concatenation that
# involves SQL text may join fixed text only; sqlite3_mprintf and friends,
# and appending or streaming SQL text, are refused outright. Values reach
# SQL through ? parameters only.
#
# Usage: sql_literals.sh SOURCE_ROOT. Scans every C++ file under the root
# except tests/ (test code builds SQL of its own on purpose, against its own
# files) and build directories. Exit 0: clean; 1: violations, listed.
set -euo pipefail

root=${1:?usage: sql_literals.sh SOURCE_ROOT}
here=$(cd "$(dirname "$0")" && pwd)

# The two places allowed to handle SQL text that is not written out at the
# call site, each checked further by sql_check.awk:
#
# - storage/catalog_queries.cpp texts(): GET /books has 2 x 11 statement
#   texts (searching or not, times the sort orders chosen from a fixed
#   enum), assembled once from constexpr fragments. The check requires
#   every assignment inside texts() to join literals and constants only, so
#   a request value cannot get in; the search words, filters and paging go
#   in as ?1..?7.
# - storage/sqlite.cpp `sql`: the parameter of the wrappers themselves
#   (connection::cached/prepare/exec, statement::statement), handed on to
#   SQLite. Their callers are the call sites this check verifies.
composers="storage/catalog_queries.cpp:texts"
forwarders="storage/sqlite.cpp:sql"

tokens=$(mktemp)
trap 'rm -f "$tokens"' EXIT
files=0
while IFS= read -r -d '' f; do
  printf 'F\t%s\n' "${f#"$root"/}" >>"$tokens"
  awk -f "$here/sql_lex.awk" "$f" >>"$tokens"
  files=$((files + 1))
done < <(find "$root" \( -name 'build*' -o -name Testing -o -name tests \
  -o -name '.*' -o -name corpus \) -prune -o -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \
  -o -name '*.cpp.in' \) -print0 | sort -z)

echo "$files C++ files under $root"
awk -v composers="$composers" -v forwarders="$forwarders" \
  -f "$here/sql_check.awk" "$tokens"
