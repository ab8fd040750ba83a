#!/bin/bash
# Shows that sql_literals.sh can fail: it must pass on a copy of storage/,
# still pass with each fixtures/good_*.cpp added, and fail, naming the right
# file, with each fixtures/bad_*.cpp added or with one of the edits below
# made to a copy of the real code.
#
# Usage: sql_literals_selftest.sh SOURCE_ROOT
set -uo pipefail

root=${1:?usage: sql_literals_selftest.sh SOURCE_ROOT}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0

# expect STATUS FILE_IN_OUTPUT WHAT: runs the check on the scratch tree.
expect() {
  local out status
  out=$("$here/sql_literals.sh" "$scratch" 2>&1)
  status=$?
  if [[ $status -ne $1 ]] || [[ $1 -ne 0 && $out != *"$2"* ]]; then
    echo "FAIL: $3: expected exit $1 naming '$2', got $status:"
    echo "$out"
    failures=$((failures + 1))
  else
    echo "ok: $3"
  fi
}

fresh() {
  rm -rf "$scratch/storage"
  cp -r "$root/storage" "$scratch/storage"
}

fresh
expect 0 "" "a copy of storage/ passes"

for f in "$here"/fixtures/good_*.cpp "$here"/fixtures/bad_*.cpp; do
  fresh
  cp "$f" "$scratch/storage/zz_fixture.cpp"
  name=$(basename "$f")
  if [[ $name == good_* ]]; then
    expect 0 "" "$name passes"
  else
    expect 1 "storage/zz_fixture.cpp" "$name is refused"
  fi
done

# edit FILE SED_SCRIPT WHAT: the real code with one change, to be refused.
edit() {
  fresh
  sed -i "$2" "$scratch/$1"
  if cmp -s "$root/$1" "$scratch/$1"; then
    echo "FAIL: $3: the edit did not apply (the code moved on?)"
    failures=$((failures + 1))
    return
  fi
  expect 1 "$1" "$3"
}

edit storage/account_queries.cpp \
  's/cached(select_user_by_email)/cached(("SELECT id FROM users WHERE email = '"'"'" + email + "'"'"'").c_str())/' \
  "a concatenated query in account_queries.cpp is refused"
edit storage/catalog_queries.cpp \
  's/t.count\[searching\] = "SELECT count(\*)" + from + filters;/t.count[searching] = "SELECT count(*)" + from + filters + std::getenv("X");/' \
  "a runtime value inside the texts() composer is refused"
edit storage/catalog_queries.cpp \
  's/conn.cached(texts().count\[searching\].c_str())/conn.cached(query.author.c_str())/' \
  "a call site in catalog_queries.cpp that bypasses texts() is refused"
edit storage/catalog_queries.cpp \
  's/^constexpr const char\* page_tail = /const char* page_tail = /' \
  "a fragment of texts() that is no constant is refused"

if [[ $failures -ne 0 ]]; then
  echo "$failures self-test case(s) failed"
  exit 1
fi
echo "all self-test cases passed"
