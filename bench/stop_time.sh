#!/usr/bin/env bash
# Times the graceful stop of `bookstore serve`: seed N books with sqlite3 (as
# bench/run.sh does), start the server on 127.0.0.1 with a free port, GET
# /books/{id} for every book (so N book actors are live), optionally drop
# connections with a request in flight (ABORT=k) or run bench/run.sh's read
# step (LOAD=read), SIGTERM, and time until the process has exited (reaped).
# Prints one line per run: books=N load=... abort=k rep=r bin=... stop_s=S rc=0
#
# The slow stop needs a client that leaves with a request in flight:
#   ABORT=8 bench/stop_time.sh OLD/bookstore 1000 10000 30000  -> ~10 s before 937dfb9
#   LOAD=read REPS=2 bench/stop_time.sh OLD/bookstore 10000   -> ~60 s before 937dfb9
# Live book actors alone stop fast (ABORT=0 LOAD=sweep: 0.02 / 0.15 / 0.7 s).
#
#   bench/stop_time.sh [BIN] [N...]        e.g. bench/stop_time.sh build/bookstore 1000 10000 30000
#   REPS=3 (runs per N), WORK=/tmp/stop-time (DB cache, logs)
#   HOLD=1 keeps the server running after the GETs until a file $WORK/go exists
#   (to attach gdb / strace first); STOP_WAIT=90 (s before SIGKILL);
#   WAIT=s sleeps between the last GET and SIGTERM (default 0).
#   ABORT=k: after the GETs, k clients each send GET /books?q=WORD and close
#   at once (a request in flight when its client leaves); default 0.
#   LOAD=read: after the GETs, also bench/run.sh's read step (wrk, 64
#   connections: 5 s + 10 s GET /books/{id}, 10 s GET /books?q=).
set -u
BIN=${1:-build/bookstore}
shift || true
SIZES=${*:-"1000 10000 30000"}
REPS=${REPS:-3}
WORK=${WORK:-/tmp/stop-time}
STOP_WAIT=${STOP_WAIT:-90}
ABORT=${ABORT:-0}
LOAD=${LOAD:-sweep}
BENCH_WRK=${BENCH_WRK:-$(cd "$(dirname "$0")" && pwd)/wrk}
mkdir -p "$WORK"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null; }
trap cleanup EXIT

now() { date +%s.%N; }

start_server() { # db log -> SERVER_PID, PORT
  rm -f "$2.out" # a stale listening line would name another port
  "$BIN" serve --host 127.0.0.1 --port 0 --db "$1" --payment-failure-rate 0 \
    >"$2.out" 2>"$2.err" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$2.out")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$2.err" >&2; exit 1
}

stop_server() { # -> STOP_S: seconds from SIGTERM to exit (reaped), or "hung"
  local t0 rc=""
  t0=$(now)
  kill -TERM "$SERVER_PID"
  for _ in $(seq 1 $((STOP_WAIT * 100))); do
    # kill -0 fails once the process is gone (not a zombie:
    # bash reaps its background jobs on SIGCHLD)
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then rc=0; break; fi
    sleep 0.01
  done
  if [ -z "$rc" ]; then kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; STOP_S=hung; SERVER_PID=""; return; fi
  wait "$SERVER_PID"; rc=$?
  STOP_S=$(python3 -c "print(f'{$(now) - $t0:.3f}')")" rc=$rc"
  SERVER_PID=""
}

# bench/run.sh's words of the seeded titles and authors
WORDS=amber,birch,cedar,dune,ember,fjord,grove,harbor,island,jasper,kestrel,lagoon,meadow,nebula,orchid,prairie,quartz,raven,sierra,tundra,umber,valley,willow,xenon,yarrow,zephyr,atlas,beacon,canyon,delta,echo,falcon
seed() { # n -> $WORK/seed-n.db (cached)
  local n=$1 db=$WORK/seed-$1.db
  [ -f "$db.ready" ] && return 0
  rm -f "$db" "$db"-*
  start_server "$db" "$WORK/seed-$n"   # creates the schema
  stop_server
  "$(dirname "$0")/seed_books.sh" "$db" "$n" "$WORDS" >/dev/null \
    || { echo "seeding failed" >&2; exit 1; }
  touch "$db.ready"
}

# Clients that drop their connection while their request is being answered
# (as wrk does at the end of a run, or a browser that navigates away): each
# sends one request and closes at once, without reading the answer.
abort_inflight() { # port k
  python3 - "$1" "$2" <<'PY'
import socket, sys
port, k = int(sys.argv[1]), int(sys.argv[2])
words = ["amber", "birch", "cedar", "dune", "ember", "fjord", "grove", "harbor"]
for i in range(k):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET /books?q={words[i % len(words)]}&size=100 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    s.close()
print(f"{k} clients closed with a request in flight", file=sys.stderr)
PY
}

# bench/run.sh's read step: wrk GET /books/{id} (random ids) then GET /books?q=
wrk_read() { # port n
  export WRK_FIRST_BOOK=1 WRK_BOOKS=$2 WRK_WORDS=$WORDS
  wrk -t1 -c64 -d5s -s "$BENCH_WRK/book_get.lua" "http://127.0.0.1:$1" >/dev/null 2>&1
  wrk -t1 -c64 -d10s -s "$BENCH_WRK/book_get.lua" "http://127.0.0.1:$1" 2>&1 | grep Requests/sec >&2
  wrk -t1 -c64 -d10s -s "$BENCH_WRK/book_search.lua" "http://127.0.0.1:$1" 2>&1 | grep Requests/sec >&2
}

get_all() { # port n: GET /books/1..n over 8 keep-alive connections
  python3 - "$1" "$2" <<'PY'
import http.client, sys, threading, time
port, n = int(sys.argv[1]), int(sys.argv[2])
conns = 8
bad = [0]
def worker(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(1 + k, n + 1, conns):
        c.request("GET", f"/books/{i}")
        r = c.getresponse(); r.read()
        if r.status != 200:
            bad[0] += 1
    c.close()
t0 = time.time()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f"GET {n} books in {time.time() - t0:.1f} s, non-200: {bad[0]}", file=sys.stderr)
sys.exit(1 if bad[0] else 0)
PY
}

for n in $SIZES; do
  seed "$n"
  for rep in $(seq 1 "$REPS"); do
    db=$WORK/run.db
    rm -f "$db" "$db"-*
    cp "$WORK/seed-$n.db" "$db"
    start_server "$db" "$WORK/run-$n-$rep"
    get_all "$PORT" "$n" || echo "some GETs failed" >&2
    [ "$LOAD" = read ] && wrk_read "$PORT" "$n"
    [ "$ABORT" != 0 ] && abort_inflight "$PORT" "$ABORT"
    [ "${WAIT:-0}" != 0 ] && sleep "$WAIT"
    if [ "${HOLD:-0}" = 1 ]; then
      rm -f "$WORK/go"
      echo "holding: pid $SERVER_PID port $PORT; touch $WORK/go to SIGTERM" >&2
      while [ ! -f "$WORK/go" ]; do sleep 0.2; done
    fi
    stop_server
    echo "books=$n load=$LOAD abort=$ABORT rep=$rep bin=$BIN stop_s=$STOP_S"
  done
done
