#!/usr/bin/env bash
# bench/seed_books.sh DB N WORDS: inserts books 1..N into DB, a SQLite file
# that already has the server's schema (start and stop `bookstore serve` on
# it first), in one sqlite3 transaction; the FTS5 trigger indexes them as
# the server would. Stock 1,000,000 each; titles "The <word> <word> <i>",
# authors "<word> Author <k>", words from the comma-separated WORDS, so
# GET /books?q=<word> matches many. Used by run.sh and stop_time.sh.
set -euo pipefail
[ $# -eq 3 ] || { sed -n 2,7p "$0" >&2; exit 2; }
db=$1 n=$2 words=$3
values="" i=0
for w in ${words//,/ }; do values+="${values:+,}($i,'$w')"; i=$((i + 1)); done
sqlite3 "$db" <<SQL
.bail on
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE w(k INTEGER PRIMARY KEY, word TEXT NOT NULL);
INSERT INTO w VALUES $values;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
INSERT INTO books (id, title, author, price_cents, stock_quantity)
SELECT i,
       'The ' || (SELECT word FROM w WHERE k = i % $i) || ' '
              || (SELECT word FROM w WHERE k = (i / $i) % $i) || ' ' || i,
       (SELECT word FROM w WHERE k = (i / ($i * $i)) % $i) || ' Author ' || (i % 1000),
       100 + (i * 37) % 9900, 1000000
FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
