#!/usr/bin/env bash
# bench/seed_books.sh DB N WORDS [NODE NODES]: inserts books 1..N into DB, a
# SQLite file that already has the server's schema (start and stop
# `bookstore serve` on it first), in one sqlite3 transaction; the FTS5
# trigger indexes them as the server would. Stock 1,000,000 each; titles
# "The <word> <word> <i>", authors "<word> Author <k>", words from the
# comma-separated WORDS, so GET /books?q=<word> matches many. With NODE and
# NODES, only the books node NODE (0-based) of a cluster of NODES owns:
# ids with (id - 1) % NODES = NODE (API.md, "Cluster"). Used by run.sh,
# stop_time.sh and cluster_compare.sh.
set -euo pipefail
[ $# -eq 3 ] || [ $# -eq 5 ] || { sed -n 2,10p "$0" >&2; exit 2; }
db=$1 n=$2 words=$3 node=${4:-0} nodes=${5:-1}
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
FROM n WHERE (i - 1) % $nodes = $node;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
