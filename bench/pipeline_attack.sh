#!/usr/bin/env bash
# The pipelining attack of issue 10, item 1: N clients, each with a small
# receive buffer (SO_RCVBUF 4096, set before connect), send COUNT pipelined
# `GET /openapi.json` at once and never read. Prints the server's peak RSS
# while they hold on (the highest VmRSS sample, every 0.1 s), the RSS
# before, and how many request bytes the kernel took; one line per run,
# then the median of REPS runs per N. (VmHWM is printed too, but it is not
# the figure: start-up's Argon2id hash of the admin password alone puts it
# at about 74 MiB.)
#
#   bench/pipeline_attack.sh [BIN] [N...]     e.g. bench/pipeline_attack.sh build/bookstore 1 4 64
#   COUNT=6000 (requests per client), HOLD=5 (s the clients hold on without
#   reading), REPS=3, WORK=/tmp/pipeline-attack (DB and logs).
#
# Mind the machine: without a bound each client costs the server about
# COUNT x 52 KB (315 MB at COUNT=6000), so keep N small for an old binary.
set -u
BIN=${1:-build/bookstore}
shift || true
SIZES=${*:-"1 4"}
COUNT=${COUNT:-6000}
HOLD=${HOLD:-5}
REPS=${REPS:-3}
WORK=${WORK:-/tmp/pipeline-attack}
mkdir -p "$WORK"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null; }
trap cleanup EXIT

start_server() { # -> SERVER_PID, PORT
  # A stale listening line would name the last run's port.
  rm -f "$WORK/db.sqlite"* "$WORK/server.out" "$WORK/server.err"
  "$BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/db.sqlite" \
    --payment-failure-rate 0 >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' \
      "$WORK/server.out" 2>/dev/null)
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start" >&2
  cat "$WORK/server.err" >&2
  exit 1
}

# Runs the clients against PORT, samples SERVER_PID; prints
# "before_kib peak_rss_kib hwm_kib sent_bytes".
attack() {
  python3 - "$PORT" "$SERVER_PID" "$1" "$COUNT" "$HOLD" <<'EOF'
import socket, sys, time, urllib.request

port, pid, n, count, hold = (int(a) for a in sys.argv[1:])

def status(key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1

# Warm-up: the document is built once before measuring.
urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json").read()
time.sleep(0.3)
before = status("VmRSS")
wire = b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * count
socks, sent = [], []
for _ in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    socks.append(s)
    sent.append(0)
peak = before
end = time.time() + hold
while time.time() < end:
    for i, s in enumerate(socks):
        while sent[i] < len(wire):
            try:
                k = s.send(wire[sent[i]:sent[i] + 65536])
            except (BlockingIOError, InterruptedError):
                break
            if k <= 0:
                break
            sent[i] += k
    peak = max(peak, status("VmRSS"))
    time.sleep(0.1)
hwm = status("VmHWM")
for s in socks:
    s.close()
print(before, peak, hwm, sum(sent))
EOF
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "# bin=$BIN count=$COUNT hold=${HOLD}s reps=$REPS nproc=$(nproc)" \
  "load=$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do
  peaks=""
  growth=""
  for rep in $(seq 1 "$REPS"); do
    start_server
    read -r before peak hwm sent < <(attack "$n")
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
    echo "clients=$n rep=$rep rss_before_mib=$((before / 1024))" \
      "peak_rss_mib=$((peak / 1024)) vmhwm_mib=$((hwm / 1024))" \
      "request_bytes_taken=$sent of $((n * COUNT * 39))"
    peaks="$peaks $((peak / 1024))"
    growth="$growth $(((peak - before) / 1024))"
  done
  echo "clients=$n median_peak_rss_mib=$(echo "$peaks" | tr ' ' '\n' | sed '/^$/d' | median)" \
    "median_growth_mib=$(echo "$growth" | tr ' ' '\n' | sed '/^$/d' | median)"
done
