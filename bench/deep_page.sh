#!/usr/bin/env bash
# bench/deep_page.sh: what a page of GET /books costs a 3-node cluster on
# loopback (scripts/cluster.sh), by how deep it is. Every node's part of a
# page is its first page x size matches (gateway/api/gather.hpp), so the
# last page makes every node send all its matches; a page past the end is
# answered from the nodes' totals alone (a first round of one row each)
# once page x size passes 1000. Before that round existed, a page past the
# end cost what the last page costs.
#
# Settings (environment): BOOKS [30000] (spread evenly over the nodes),
# REPS [15], OUT_DIR [bench-deep-out]. Prints the median and the largest
# time of REPS requests per page, as curl measures them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BOOKS=${BOOKS:-30000}
REPS=${REPS:-15}
OUT_DIR=${OUT_DIR:-$ROOT/bench-deep-out}
NODES=3
run=$OUT_DIR/run
source "$ROOT/bench/lib.sh"
ensure_pkgs sqlite3 curl

# The cluster script runs in the background as BG_PID, which lib.sh's
# cleanup stops (scripts/cluster.sh stops its nodes on SIGTERM).
start_cluster() {
  # Not the last start's output: the child truncates it only once it runs.
  rm -f "$OUT_DIR/cluster.out"
  "$ROOT/scripts/cluster.sh" "$NODES" "$run" >"$OUT_DIR/cluster.out" 2>&1 &
  BG_PID=$!
  for _ in $(seq 1 300); do
    grep -qs "cluster file:" "$OUT_DIR/cluster.out" && return 0
    kill -0 "$BG_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$OUT_DIR/cluster.out" >&2
  return 1
}
stop_cluster() {
  stop_pid "$BG_PID" 10
  wait "$BG_PID" 2>/dev/null || true
  BG_PID=
}

rm -rf "$run"
mkdir -p "$run"
start_cluster # makes each node's file with the schema
stop_cluster
for ((i = 0; i < NODES; i++)); do
  name=$(printf "\\x$(printf %x $((97 + i)))")
  "$ROOT/bench/seed_books.sh" "$run/$name.db" "$BOOKS" alpha,beta,gamma $i $NODES >/dev/null
done
start_cluster
# Every node up and seeing the others before the first timed request.
for _ in $(seq 1 300); do
  up=$(curl -s http://127.0.0.1:8081/health | grep -o '"up"' | wc -l || true)
  [ "$up" -eq $((NODES - 1)) ] && break
  sleep 0.1
done

size=100
last=$(((BOOKS + size - 1) / size))
printf '| page (size %d, %d books on %d nodes) | median ms | max ms |\n|---|---|---|\n' \
  "$size" "$BOOKS" "$NODES"
for page in 1 10 $last $((last + 1)) 1000000; do
  times=()
  for ((r = 0; r < REPS; r++)); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' \
      "http://127.0.0.1:808$((1 + r % NODES))/books?size=$size&page=$page")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v page="$page" '
    { t[NR] = $1 * 1000 }
    END { printf "| %s | %.1f | %.1f |\n", page, t[int((NR + 1) / 2)], t[NR] }'
done
