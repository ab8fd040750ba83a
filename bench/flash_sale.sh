#!/usr/bin/env bash
# Flash sale over HTTP: `bookstore serve` under bench/http_flash.
#
# For each scenario (payment latency 0 ms and 20 ms), REPS runs, each on a
# fresh server and a fresh SQLite file: CLIENTS closed-loop clients (one
# keep-alive connection and one user each) alternate add-to-cart and checkout
# of one hot book for DURATION seconds after WARMUP seconds. Prints every run
# and a table of medians with (min-max), plus the store's orders per commit
# from /metrics. Builds nothing.
#
# Environment (defaults in brackets):
#   BOOKSTORE_BIN [build/bookstore]   HTTP_FLASH_BIN [build/bench/http_flash]
#   CLIENTS [64]  DURATION [10]  WARMUP [2]  REPS [3]  PAYMENTS ["0 20"]
#   QUIET_MAX_WAIT [15]: seconds to wait before a run for other processes to
#     leave the CPU idle (busy < QUIET_MAX_PCT [10] % of the machine)
#   MAX_OTHER_CORES [0.10]: a run during which processes other than the server
#     and http_flash used more CPU than this (in cores, from /proc) is
#     "contaminated": it is repeated (at most RETRIES [2] more times, and only
#     while the elapsed time is under TIME_BUDGET [170] s) and left out of the
#     medians when the scenario has clean runs; every run stays in the per-run
#     table
#   STOP_WAIT [15]: seconds the server gets to exit after SIGTERM; if it
#     hangs, its stacks go to hang-stacks.txt (with gdb) and it is killed
#   OUT_DIR [mktemp -d]: keeps each run's http_flash output and server log
# Paths are relative to the repository root (this script's parent folder).
set -u -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BOOKSTORE_BIN=${BOOKSTORE_BIN:-build/bookstore}
HTTP_FLASH_BIN=${HTTP_FLASH_BIN:-build/bench/http_flash}
CLIENTS=${CLIENTS:-64}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
REPS=${REPS:-3}
PAYMENTS=${PAYMENTS:-"0 20"}
QUIET_MAX_WAIT=${QUIET_MAX_WAIT:-15}
QUIET_MAX_PCT=${QUIET_MAX_PCT:-10}
STOP_WAIT=${STOP_WAIT:-15}
MAX_OTHER_CORES=${MAX_OTHER_CORES:-0.10}
RETRIES=${RETRIES:-2}
TIME_BUDGET=${TIME_BUDGET:-170}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/flash_sale.XXXXXX")}
mkdir -p "$OUT_DIR"

for bin in "$BOOKSTORE_BIN" "$HTTP_FLASH_BIN"; do
  if [ ! -x "$bin" ]; then
    echo "flash_sale.sh: $bin is missing; build it first (see bench/README.md)" >&2
    exit 2
  fi
done

export BOOKSTORE_ADMIN_EMAIL=admin@example.com
export BOOKSTORE_ADMIN_PASSWORD=adminpass123
export BOOKSTORE_SECRET_KEY=bench-secret

START=$(date +%s)
SERVER_PID=""
# shellcheck disable=SC2317 # called through the trap
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# Busy share of the whole machine over one second, in percent.
busy_pct() {
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep 1
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk '{d = $4 - $2; print (d > 0 ? int(100 * ($3 - $1) / d) : 0)}'
}

wait_quiet() {
  local start p
  start=$(date +%s)
  [ $((start - START)) -ge "$TIME_BUDGET" ] && return
  while :; do
    p=$(busy_pct)
    [ "$p" -le "$QUIET_MAX_PCT" ] && return
    if [ $(($(date +%s) - start)) -ge "$QUIET_MAX_WAIT" ]; then
      log "machine still ${p}% busy with other work; running anyway"
      return
    fi
  done
}

metric() { # $1 = metrics text file, $2 = name
  awk -v n="$2" '$1 == n {print $2}' "$1"
}

# One run: $1 = payment latency ms, $2 = rep, $3 = attempt. Appends to
# $OUT_DIR/runs.tsv and sets LAST_CLEAN (1: no other process took CPU).
LAST_CLEAN=0
run_one() {
  local pay=$1 rep=$2 attempt=$3 dir port rc line
  LAST_CLEAN=0
  dir="$OUT_DIR/pay${pay}-rep${rep}-try${attempt}"
  mkdir -p "$dir"
  rm -f "$dir"/db*
  wait_quiet
  rm -f "$dir/server.out" # a stale listening line would name another port
  "$BOOKSTORE_BIN" serve --host 127.0.0.1 --port 0 --db "$dir/db.sqlite" \
    --payment-failure-rate 0 --payment-latency-ms "$pay" \
    >"$dir/server.out" 2>"$dir/server.log" &
  SERVER_PID=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$dir/server.out")
    [ -n "$port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    log "server did not start; its log:"
    tail -20 "$dir/server.log" >&2
    return 1
  fi
  timeout "$(awk -v d="$DURATION" -v w="$WARMUP" 'BEGIN{print int(d + w + 240)}')" "$HTTP_FLASH_BIN" --host 127.0.0.1 \
    --port "$port" --clients "$CLIENTS" --seconds "$DURATION" \
    --warmup "$WARMUP" --server-pid "$SERVER_PID" \
    --label "payment ${pay} ms, run ${rep}" >"$dir/http_flash.out" 2>&1
  rc=$?
  curl -s --max-time 10 "http://127.0.0.1:$port/metrics" >"$dir/metrics.txt"
  kill -TERM "$SERVER_PID"
  local exit_code=""
  for _ in $(seq 1 $((STOP_WAIT * 10))); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID"
      exit_code=$?
      break
    fi
    sleep 0.1
  done
  if [ -z "$exit_code" ]; then
    # Keep the threads' stacks for whoever debugs the shutdown.
    if command -v gdb >/dev/null; then
      timeout 60 gdb -p "$SERVER_PID" -batch -ex "thread apply all bt" \
        >"$dir/hang-stacks.txt" 2>&1
    fi
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    exit_code="hung (killed after ${STOP_WAIT} s)"
  fi
  SERVER_PID=""
  local orders commits opc
  orders=$(metric "$dir/metrics.txt" bookstore_store_orders_total)
  commits=$(metric "$dir/metrics.txt" bookstore_store_commits_total)
  opc=$(awk -v o="${orders:-0}" -v c="${commits:-0}" 'BEGIN{printf "%.2f", (c > 0 ? o / c : 0)}')
  line=$(grep '^RESULT ' "$dir/http_flash.out")
  if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
    log "http_flash failed (exit $rc):"
    tail -20 "$dir/http_flash.out" >&2
    echo "run pay=$pay rep=$rep.$attempt: http_flash exit $rc, server exit $exit_code" >>"$OUT_DIR/failures.txt"
    return 1
  fi
  grep -E '^(  [a-z-]+ [0-9]{3} |setup:|CPU|store)' "$dir/http_flash.out" | sed 's/^/    /' >&2
  local other
  other=$(echo "$line" | tr ' ' '\n' | sed -n 's/^other_cores=//p')
  LAST_CLEAN=$(awk -v o="${other:-9}" -v m="$MAX_OTHER_CORES" 'BEGIN{print (o <= m ? 1 : 0)}')
  # pay rep attempt clean server_exit orders commits opc key=value...
  echo "$pay	$rep	$attempt	$LAST_CLEAN	$exit_code	${orders:-?}	${commits:-?}	$opc	${line#RESULT }" >>"$OUT_DIR/runs.tsv"
  log "payment ${pay} ms run ${rep}.${attempt}: $(echo "$line" | tr ' ' '\n' | grep -E '^(checkouts_per_s|co_p99_ms|non2xx|transport_errors|other_cores)=' | tr '\n' ' ')server exit $exit_code$([ "$LAST_CLEAN" = 1 ] || echo ' (contaminated)')"
  [ "$exit_code" = 0 ] || echo "run pay=$pay rep=$rep.$attempt: server exit $exit_code" >>"$OUT_DIR/failures.txt"
  # Keep the server's request log only when something went wrong.
  if [ "$exit_code" = 0 ] && echo "$line" | grep -q ' non2xx=0 transport_errors=0 '; then
    rm -f "$dir/server.log" "$dir"/db.sqlite*
  fi
}

# Median (min-max) of key $2 over the clean runs of scenario $1 (all its runs
# when none is clean), printed with format $3.
stat_of() {
  awk -F'\t' -v pay="$1" -v key="$2" -v fmt="$3" '
    $1 == pay {
      n = split($9, kv, " ")
      for (i = 1; i <= n; i++) {
        split(kv[i], p, "=")
        if (p[1] == key) { if ($4 == 1) c[++mc] = p[2] + 0; a[++ma] = p[2] + 0 }
      }
    }
    END {
      if (mc > 0) { m = mc; for (i = 1; i <= m; i++) v[i] = c[i] }
      else { m = ma; for (i = 1; i <= m; i++) v[i] = a[i] }
      if (m == 0) { print "-"; exit }
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
      if (m == 1) printf fmt "\n", med
      else printf fmt " (" fmt "-" fmt ")\n", med, v[1], v[m]
    }' "$OUT_DIR/runs.tsv"
}
# Sum of key $2 over all runs of scenario $1.
sum_of() {
  awk -F'\t' -v pay="$1" -v key="$2" '
    $1 == pay { n = split($9, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); if (p[1] == key) s += p[2] } }
    END { print s + 0 }' "$OUT_DIR/runs.tsv"
}
# "clean/all" run counts of scenario $1.
runs_of() {
  awk -F'\t' -v pay="$1" '$1 == pay { a++; c += $4 } END { printf "%d/%d", c, a }' "$OUT_DIR/runs.tsv"
}

: >"$OUT_DIR/runs.tsv"
: >"$OUT_DIR/failures.txt"
log "flash sale: $CLIENTS clients, ${WARMUP} s warm-up + ${DURATION} s measured, payments: $PAYMENTS ms, $REPS runs each; output in $OUT_DIR"
for rep in $(seq 1 "$REPS"); do
  for pay in $PAYMENTS; do
    attempt=1
    while :; do
      if ! run_one "$pay" "$rep" "$attempt"; then
        log "run failed (payment $pay ms, run $rep.$attempt)"
        break
      fi
      [ "$LAST_CLEAN" = 1 ] && break
      [ "$attempt" -gt "$RETRIES" ] && break
      [ $(($(date +%s) - START)) -ge "$TIME_BUDGET" ] && break
      attempt=$((attempt + 1))
    done
  done
done

echo
echo "## HTTP flash sale: $CLIENTS clients, one hot book, medians of $REPS runs per scenario (min-max)"
echo
echo "- $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
echo "- The load generator (http_flash, one epoll thread) shares the $(nproc) cores with the server."
echo "- Each client: POST /cart/items {book_id, quantity 1} then POST /orders/checkout {}, in a closed loop; ${WARMUP} s warm-up, ${DURATION} s measured; fresh server and DB per run."
echo "- Latency: request sent -> full response read, per request. CPU in cores during the window, from /proc."
echo "- Medians over clean runs (other processes used <= $MAX_OTHER_CORES cores during the window); all runs if a scenario has none."
echo
echo "| payment | clean/all runs | checkouts/s | checkout p50 ms | checkout p99 ms | checkout max ms | add p50 ms | add p99 ms | fewest checkouts by one client | non-2xx (all runs) | transport errors (all runs) | orders/commit (window) | server CPU | generator CPU | other CPU |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for pay in $PAYMENTS; do
  echo "| ${pay} ms | $(runs_of "$pay") | $(stat_of "$pay" checkouts_per_s %.0f) | $(stat_of "$pay" co_p50_ms %.2f) | $(stat_of "$pay" co_p99_ms %.2f) | $(stat_of "$pay" co_max_ms %.1f) | $(stat_of "$pay" add_p50_ms %.2f) | $(stat_of "$pay" add_p99_ms %.2f) | $(stat_of "$pay" fewest_per_client %.0f) | $(sum_of "$pay" non2xx) | $(sum_of "$pay" transport_errors) | $(stat_of "$pay" orders_per_commit %.2f) | $(stat_of "$pay" server_cores %.2f) | $(stat_of "$pay" gen_cpu_pct %.0f)% | $(stat_of "$pay" other_cores %.2f) |"
done
echo
echo "Per run: store counters from /metrics at the end of the run (whole run: setup and warm-up included), server exit status after SIGTERM."
echo
echo "| payment | run | clean | checkouts/s | checkout p99 ms | other CPU | bookstore_store_orders_total | bookstore_store_commits_total | orders per commit | server exit |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk -F'\t' '{
  n = split($9, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); r[p[1]] = p[2] }
  printf "| %s ms | %s.%s | %s | %.0f | %.2f | %.2f | %s | %s | %s | %s |\n", $1, $2, $3, ($4 == 1 ? "yes" : "no"), r["checkouts_per_s"], r["co_p99_ms"], r["other_cores"], $6, $7, $8, $5
}' "$OUT_DIR/runs.tsv"
echo
non2xx_lines=$(grep -h -E '^  (add-to-cart|checkout) [0-9]{3} ' "$OUT_DIR"/*/http_flash.out 2>/dev/null | sort | uniq -c)
if [ -n "$non2xx_lines" ]; then
  echo "Non-2xx answers seen (runs in which the line appears, status, code; counts per run in $OUT_DIR/*/http_flash.out):"
  while IFS= read -r l; do echo "    $l"; done <<<"$non2xx_lines"
fi
status=0
if [ ! -s "$OUT_DIR/runs.tsv" ]; then
  echo "FAILURE: no run completed"
  status=1
elif [ -s "$OUT_DIR/failures.txt" ]; then
  echo "FAILURES:"
  sed 's/^/- /' "$OUT_DIR/failures.txt"
  status=1
else
  echo "Every server exited 0 after SIGTERM."
fi
echo "Total time $(($(date +%s) - START)) s; raw output in $OUT_DIR"
exit $status
