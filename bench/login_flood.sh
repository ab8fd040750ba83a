#!/usr/bin/env bash
# Does a login flood slow other requests? For each BIN: a fresh server (the
# admin bootstrap variables set), one book, then GET /books/1 sampled on one
# keep-alive connection for SECONDS with no flood, and again for SECONDS
# while CLIENTS clients log in with unknown emails as fast as they are
# answered (each login costs an Argon2id hash: 64 MiB, tens of ms of CPU).
# Prints, per build and phase, the median and p99 of the GET's latency and
# what the logins got (401, 503 AUTH_BUSY, other).
#
#   bench/login_flood.sh BIN [BIN ...]   e.g. bench/login_flood.sh /work/before-auth/bookstore build/bookstore
#   CLIENTS=24 PHASE_SECONDS=10 REPS=1; extra server flags in ARGS (e.g. "--hash-threads 1").
set -u
[ $# -ge 1 ] || { sed -n 2,12p "$0" >&2; exit 2; }
CLIENTS=${CLIENTS:-24}
SECONDS_PER_PHASE=${PHASE_SECONDS:-10}
REPS=${REPS:-1}
ARGS=${ARGS:-}
WORK=$(mktemp -d /tmp/login-flood.XXXXXX)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

start_server() { # bin db log -> SERVER_PID, PORT
  rm -f "$3.out" # a stale listening line would name another port
  # shellcheck disable=SC2086
  BOOKSTORE_ADMIN_EMAIL=admin@example.com BOOKSTORE_ADMIN_PASSWORD=adminpass123 \
  BOOKSTORE_SECRET_KEY=login-flood-secret-0123456789abcdef \
    "$1" serve --host 127.0.0.1 --port 0 --db "$2" --payment-failure-rate 0 $ARGS \
    >"$3.out" 2>"$3.err" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$3.out")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$3.err" >&2; exit 1
}

measure() { # port bin rep
  python3 - "$1" "$2" "$3" "$CLIENTS" "$SECONDS_PER_PHASE" <<'PY'
import http.client, json, sys, threading, time
port, binary, rep, clients, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
port = int(port)

def post(conn, path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request("POST", path, json.dumps(body), headers)
    r = conn.getresponse()
    return r.status, r.read(), r.getheader("Retry-After")

c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
status, body, _ = post(c, "/auth/login", {"email": "admin@example.com", "password": "adminpass123"})
assert status == 200, (status, body)
token = json.loads(body)["access_token"]
status, body, _ = post(c, "/books", {"title": "Flood", "author": "Bench", "price": "9.99"}, token)
assert status == 201, (status, body)
book = json.loads(body)["id"]

def sample(duration):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    lat = []
    end = time.monotonic() + duration
    while time.monotonic() < end:
        t0 = time.monotonic()
        conn.request("GET", f"/books/{book}")
        r = conn.getresponse(); r.read()
        lat.append(time.monotonic() - t0)
        if r.status != 200:
            print(f"GET /books/{book}: {r.status}", file=sys.stderr)
        time.sleep(0.01)
    lat.sort()
    return lat

def pct(lat, p):
    return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

def report(phase, lat, extra=""):
    print(f"bin={binary} rep={rep} phase={phase} gets={len(lat)} "
          f"median_ms={pct(lat, 0.5):.1f} p99_ms={pct(lat, 0.99):.1f} max_ms={lat[-1]*1000:.1f}{extra}")

report("idle", sample(seconds))

stop = threading.Event()
counts = {"401": 0, "503_AUTH_BUSY": 0, "503_without_retry_after": 0, "other": 0}
lock = threading.Lock()
def flood(k):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    n = 0
    while not stop.is_set():
        n += 1
        try:
            status, body, retry = post(conn, "/auth/login", {"email": f"nobody{k}.{n}@example.com", "password": "not-a-password"})
        except Exception:
            with lock: counts["other"] += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        key = "401" if status == 401 else "503_AUTH_BUSY" if status == 503 and b"AUTH_BUSY" in body else "other"
        with lock:
            counts[key] += 1
            if status == 503 and retry is None:
                counts["503_without_retry_after"] += 1
threads = [threading.Thread(target=flood, args=(k,)) for k in range(clients)]
[t.start() for t in threads]
time.sleep(1)  # let the flood build up
lat = sample(seconds)
stop.set()
[t.join() for t in threads]
report(f"flood{clients}", lat, " logins=" + ",".join(f"{k}:{v}" for k, v in counts.items()))
PY
}

for rep in $(seq 1 "$REPS"); do
  for bin in "$@"; do
    db=$WORK/store.db
    rm -f "$db" "$db"-*
    start_server "$bin" "$db" "$WORK/server"
    measure "$PORT" "$bin" "$rep"
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""
  done
done
