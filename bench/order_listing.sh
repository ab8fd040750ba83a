#!/usr/bin/env bash
# bench/order_listing.sh: GET /admin/orders on a store of N orders, for one
# or more builds of bookstore side by side: the listing's time (median of
# REPS), its size and checksum, and the server's resident memory after the
# listings (VmRSS) and at its peak during them (VmHWM). The contract has no paging, so this is
# the request whose cost grows with the order table.
#
#   bench/order_listing.sh build/bookstore [other/bookstore ...]
#
# Knobs: ORDERS [20000] (two lines each), REPS [5], OUT_DIR [mktemp].
# Needs sqlite3 and curl (bench/run.sh installs them).
set -euo pipefail

[ $# -ge 1 ] || { sed -n 2,12p "$0"; exit 2; }
ORDERS=${ORDERS:-20000}
REPS=${REPS:-5}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/order-listing.XXXXXX")}
export BOOKSTORE_ADMIN_EMAIL=admin@example.com BOOKSTORE_ADMIN_PASSWORD=adminpass123

PID=""
PORT=""
trap '[ -z "$PID" ] || kill -KILL "$PID" 2>/dev/null' EXIT
start() { # binary db
  rm -f "$OUT_DIR/out" # a stale listening line would name another port
  "$1" serve --host 127.0.0.1 --port 0 --db "$2" >"$OUT_DIR/out" 2>"$OUT_DIR/log" &
  PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$OUT_DIR/out")
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "server did not start: $(tail -3 "$OUT_DIR/log")" >&2
  exit 1
}
stop() {
  kill -TERM "$PID"
  wait "$PID" || { echo "server exit $? after SIGTERM" >&2; exit 1; }
  PID=""
}
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$PID/status"; }

# The schema comes from the server itself (first binary), the orders from
# one sqlite3 transaction: the admin (user 1) bought two of 50 books each time.
seed=$OUT_DIR/seed.db
start "$1" "$seed"
stop
sqlite3 "$seed" >/dev/null <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO books (id, title, author, price_cents, stock_quantity)
SELECT i, 'Book ' || i, 'Author ' || i, 1000 + i, 1000000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ORDERS)
INSERT INTO orders (id, user_id, status, total_cents, created_at)
SELECT i, 1, 'confirmed', 2 * (1000 + i % 50 + 1),
       strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i, 'unixepoch') FROM n;
INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents, title, author)
SELECT o.id, b.id, 1, b.price_cents, b.title, b.author
FROM orders o JOIN books b ON b.id IN (o.id % 50 + 1, (o.id + 7) % 50 + 1);
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL

printf '%-40s %8s %10s %13s %8s %9s %7s\n' binary median bytes "body sha256" "RSS MiB" "peak MiB" "stop s"
for bin in "$@"; do
  cp "$seed" "$OUT_DIR/run.db"
  rm -f "$OUT_DIR/run.db-wal" "$OUT_DIR/run.db-shm"
  start "$bin" "$OUT_DIR/run.db"
  token=$(curl -sf "http://127.0.0.1:$PORT/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$BOOKSTORE_ADMIN_EMAIL\",\"password\":\"$BOOKSTORE_ADMIN_PASSWORD\"}" |
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  # The login's Argon2id takes 64 MiB: the peak counts from here on.
  echo 5 >"/proc/$PID/clear_refs"
  times=()
  bytes=0
  for _ in $(seq 1 "$REPS"); do
    read -r t bytes < <(curl -sf -o "$OUT_DIR/body.json" -w '%{time_total} %{size_download}\n' \
      -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/admin/orders")
    times+=("$t")
  done
  sum=$(sha256sum "$OUT_DIR/body.json" | cut -c1-12)
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss=$(kib VmRSS)
  hwm=$(kib VmHWM)
  t0=$(date +%s.%N)
  stop
  t1=$(date +%s.%N)
  awk -v b="$bin" -v m="$median" -v n="$bytes" -v s="$sum" -v r="$rss" -v h="$hwm" \
    -v t0="$t0" -v t1="$t1" 'BEGIN {
      printf "%-40s %7.3fs %10s %13s %8.1f %9.1f %7.2f\n", b, m, n, s, r / 1024, h / 1024, t1 - t0 }'

done
echo "($ORDERS orders of two lines, $REPS listings each; raw files in $OUT_DIR)"
