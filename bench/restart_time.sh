#!/usr/bin/env bash
# How long does `bookstore serve` take from exec to its listening line, on a
# store whose admin account already exists (a restart with the bootstrap
# variables set, as the crash and graceful-stop tests do)? For each BIN: a
# fresh store, one start to create the admin, then REPS restarts, each timed
# and stopped with SIGTERM. BURN=k runs k CPU-bound processes during the
# restarts (a busy machine); they stop with the script.
# Prints one line per restart: bin=... rep=r burn=k start_s=S
#
#   bench/restart_time.sh BIN [BIN ...]   e.g. BURN=4 bench/restart_time.sh /work/before-auth/bookstore build/bookstore
#   REPS=5 BURN=0
set -u
[ $# -ge 1 ] || { sed -n 2,11p "$0" >&2; exit 2; }
REPS=${REPS:-5}
BURN=${BURN:-0}
WORK=$(mktemp -d /tmp/restart-time.XXXXXX)
SERVER_PID=""
BURNERS=()
cleanup() {
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null
  for p in "${BURNERS[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }

start_server() { # bin db log -> SERVER_PID, PORT, START_S
  local t0
  rm -f "$3.out" # a stale listening line would name another port
  t0=$(now)
  BOOKSTORE_ADMIN_EMAIL=admin@example.com BOOKSTORE_ADMIN_PASSWORD=adminpass123 \
  BOOKSTORE_SECRET_KEY=restart-time-secret-0123456789abcdef \
    "$1" serve --host 127.0.0.1 --port 0 --db "$2" --payment-failure-rate 0 \
    >"$3.out" 2>"$3.err" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 12000); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$3.out")
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died" >&2; cat "$3.err" >&2; exit 1; }
    sleep 0.005
  done
  START_S=$(python3 -c "print(f'{$(now) - $t0:.3f}')")
}

stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""; }

for bin in "$@"; do
  db=$WORK/store.db
  rm -f "$db" "$db"-*
  start_server "$bin" "$db" "$WORK/first"
  stop_server
  for _ in $(seq 1 "$BURN"); do
    python3 -c 'while True: pass' &
    BURNERS+=($!)
  done
  for rep in $(seq 1 "$REPS"); do
    start_server "$bin" "$db" "$WORK/run"
    echo "bin=$bin rep=$rep burn=$BURN start_s=$START_S"
    stop_server
  done
  for p in "${BURNERS[@]}"; do kill "$p" 2>/dev/null; done
  BURNERS=()
done
