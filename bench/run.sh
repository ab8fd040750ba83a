#!/usr/bin/env bash
# bench/run.sh: the whole benchmark suite in one command. It runs, back to
# back on this machine, the anchors (PostgreSQL's row-locking checkout under
# pgbench, nginx under wrk, from the shared anchor folder) and our server on
# the same scenarios, then writes bench/RESULTS.md (one table with ratios,
# the commands, machine info) and bench/scaling.png + bench/scaling.dat.
# See bench/README.md ("run.sh") for what every scenario does exactly.
#
#   bench/run.sh               # full run (about 20-25 min on 2 quiet cores, plus the build)
#   QUICK=1 bench/run.sh       # pipeline check: short runs, 1 rep, ~4 min
#
# Knobs (environment; QUICK=1 changes the defaults in brackets):
#   BUILD_DIR [build]            where bookstore, http_flash, http_mix live;
#                                configured (RelWithDebInfo, Ninja) and built
#                                unless SKIP_BUILD=1
#   ANCHOR_DIR [../shared/bench] the shared anchor scripts (read-only)
#   OUT_DIR [mktemp]             raw outputs of every run
#   RESULTS_MD [bench/RESULTS.md] PLOT_PREFIX [bench/scaling]
#   REPS [3 | 1]                 repetitions; tables show medians
#   DURATION [10 | 3]  WARMUP [2 | 1]   measured / warm-up seconds (ours)
#   PG_DURATION [10 | 3]  READ_DURATION [10 | 3]  (pgbench -T, wrk -d)
#   CLIENTS [64]  SCALE_CLIENTS ["1 8 64 256" | "1 8 64"]
#   SPREAD_BOOKS [10000]  HTTP_CONNS [64]  MIX_CLIENTS [64]
#   MEM_BOOKS [1000000 | 50000]  IDLE_TIMEOUT_MS [5000] (used only if the
#   server has --idle-timeout-ms)  PASSIVATION_WAIT [idle timeout + 10 s | 5]
#   SERVER_ARGS [""]: extra options for every `bookstore serve` (for example
#   "--commit-window-us 2000" where the server has it)
#   STEPS ["anchors flash spread scaling read mix memory"]: a subset reruns
#   only those (RESULTS.md then shows n/a for the others)
#   ANCHOR_QUIET_MAX_WAIT [30 | 3]  ANCHOR_RETRIES [1 | 0]: passed to the
#   anchors as QUIET_MAX_WAIT / RETRIES (their foreign-CPU guard)
# Every process it starts is stopped on exit, also on failure or Ctrl-C.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
QUICK=${QUICK:-0}
q() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }

BUILD_DIR=${BUILD_DIR:-build}
ANCHOR_DIR=${ANCHOR_DIR:-$ROOT/../shared/bench}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bookstore-bench.XXXXXX")}
RESULTS_MD=${RESULTS_MD:-bench/RESULTS.md}
PLOT_PREFIX=${PLOT_PREFIX:-bench/scaling}
REPS=${REPS:-$(q 3 1)}
DURATION=${DURATION:-$(q 10 3)}
WARMUP=${WARMUP:-$(q 2 1)}
PG_DURATION=${PG_DURATION:-$(q 10 3)}
READ_DURATION=${READ_DURATION:-$(q 10 3)}
CLIENTS=${CLIENTS:-64}
SCALE_CLIENTS=${SCALE_CLIENTS:-$(q "1 8 64 256" "1 8 64")}
SPREAD_BOOKS=${SPREAD_BOOKS:-10000}
HTTP_CONNS=${HTTP_CONNS:-64}
MIX_CLIENTS=${MIX_CLIENTS:-64}
MEM_BOOKS=${MEM_BOOKS:-$(q 1000000 50000)}
IDLE_TIMEOUT_MS=${IDLE_TIMEOUT_MS:-5000}
STEPS=${STEPS:-"anchors flash spread scaling read mix memory"}
ANCHOR_QUIET_MAX_WAIT=${ANCHOR_QUIET_MAX_WAIT:-$(q 30 3)}
ANCHOR_RETRIES=${ANCHOR_RETRIES:-$(q 1 0)}
STOP_WAIT=${STOP_WAIT:-20}
# WORDS (the words of the seeded titles and authors) is set in bench/lib.sh.

BOOKSTORE=$BUILD_DIR/bookstore
HTTP_FLASH=$BUILD_DIR/bench/http_flash
HTTP_MIX=$BUILD_DIR/bench/http_mix
START=$(date +%s)
mkdir -p "$OUT_DIR"
: >"$OUT_DIR/failures.txt"
cut -d' ' -f1-3 /proc/loadavg >"$OUT_DIR/load_start.txt"

# log, fail, has_step, fg, stop_pid, the cleanup traps, ensure_pkgs,
# start_server, stop_server, catalog, fresh_copy, record, wrk_run, mix_run
. "$ROOT/bench/lib.sh"

# --- packages and build --------------------------------------------------------
ensure_pkgs wrk gnuplot-nox sqlite3 curl python3 procps || { fail "apt-get install"; exit 1; }
[ -f "$ANCHOR_DIR/pg_baseline.sh" ] || { log "no anchors in $ANCHOR_DIR (set ANCHOR_DIR)"; exit 2; }
ANCHOR_DIR=$(cd "$ANCHOR_DIR" && pwd)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    log "configuring $BUILD_DIR (RelWithDebInfo)"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$OUT_DIR/cmake.log" 2>&1 \
      || { tail -20 "$OUT_DIR/cmake.log" >&2; fail "cmake configure"; exit 1; }
  fi
  log "building bookstore http_flash http_mix in $BUILD_DIR"
  nice -n 5 cmake --build "$BUILD_DIR" --target bookstore http_flash http_mix >"$OUT_DIR/build.log" 2>&1 \
    || { tail -30 "$OUT_DIR/build.log" >&2; fail "build"; exit 1; }
fi
for b in "$BOOKSTORE" "$HTTP_FLASH" "$HTTP_MIX"; do
  [ -x "$b" ] || { log "$b is missing"; exit 2; }
done

export BOOKSTORE_ADMIN_EMAIL=admin@example.com BOOKSTORE_ADMIN_PASSWORD=adminpass123
export BOOKSTORE_SECRET_KEY=bench-secret-key-for-run-sh
IDLE_ARGS=()
if "$BOOKSTORE" --help 2>&1 | grep -q -- '--idle-timeout-ms'; then
  IDLE_ARGS=(--idle-timeout-ms "$IDLE_TIMEOUT_MS")
  IDLE_S=$(( (IDLE_TIMEOUT_MS + 999) / 1000 ))
else
  IDLE_S=60 # the server's built-in default (actors/config.hpp)
fi
PASSIVATION_WAIT=${PASSIVATION_WAIT:-$(q $((IDLE_S + 10)) 5)}

OURS=$OUT_DIR/ours.tsv
: >"$OURS"
: >"$OUT_DIR/mix_ops.tsv"
: >"$OUT_DIR/unexpected.txt"

# One http_flash run on a fresh server: scenario clients rep payment [flash args]
flash_run() {
  local sc=$1 c=$2 rep=$3 pay=$4 dir db line
  shift 4
  dir=$OUT_DIR/$sc-c$c-r$rep
  rm -rf "$dir"; mkdir -p "$dir"
  if [ "$sc" = spread ]; then
    catalog "$SPREAD_BOOKS" && db=$(fresh_copy "$CATALOG_DB" "$dir") || return 1
  else
    db=$dir/db.sqlite
  fi
  start_server "$dir" "$db" "$pay" || return 1
  log "$sc: $c clients, payment $pay ms, rep $rep"
  fg timeout $((DURATION + WARMUP + 300)) "$HTTP_FLASH" --host 127.0.0.1 --port "$PORT" \
    --clients "$c" --seconds "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER_PID" \
    --label "$sc c$c r$rep" "$@" >"$dir/http_flash.out" 2>&1
  stop_server "$dir"
  line=$(grep '^RESULT ' "$dir/http_flash.out")
  [ -n "$line" ] || { tail -5 "$dir/http_flash.out" >&2; fail "http_flash $sc c$c r$rep"; return 1; }
  record "$sc" "$c" "$rep" "${line#RESULT }"
  grep -E '^  (add-to-cart|checkout) [0-9]{3} ' "$dir/http_flash.out" | sed "s/^/$sc c$c r$rep: /" >>"$OUT_DIR/unexpected.txt"
  log "  $(echo "$line" | tr ' ' '\n' | grep -E '^(checkouts_per_s|co_p99_ms|orders_per_commit|non2xx|other_cores)=' | tr '\n' ' ')"
  rm -f "$dir"/db.sqlite*
}

# --- anchors ---------------------------------------------------------------------
run_anchor() { # name script env...: runs in the background so cleanup can stop it
  local name=$1 script=$2
  shift 2
  log "anchor $name: $* $script"
  env "$@" QUIET_MAX_WAIT="$ANCHOR_QUIET_MAX_WAIT" RETRIES="$ANCHOR_RETRIES" \
    bash "$ANCHOR_DIR/$script" >"$OUT_DIR/anchor-$name.log" 2>&1 &
  ANCHOR_PID=$!
  wait "$ANCHOR_PID" || { tail -20 "$OUT_DIR/anchor-$name.log" >&2; fail "anchor $name ($script)"; }
  ANCHOR_PID=""
}
if has_step anchors; then
  # pgbench cannot open more than the anchor's max_connections (100).
  PG_SCALE=$(for c in $SCALE_CLIENTS; do [ "$c" -lt 100 ] && echo -n "$c "; done)
  run_anchor pg-hot pg_baseline.sh RESULTS_DIR="$OUT_DIR/anchor-pg-hot" SCRIPTS=hot_checkout \
    CLIENTS="$PG_SCALE" DURATION="$PG_DURATION" REPS="$REPS" FSYNC_TEST=0
  run_anchor pg-more pg_baseline.sh RESULTS_DIR="$OUT_DIR/anchor-pg-more" \
    SCRIPTS="hot_checkout_payment spread_checkout" CLIENTS="$CLIENTS" DURATION="$PG_DURATION" \
    REPS="$REPS" FSYNC_TEST=0
  run_anchor nginx http_ceiling.sh RESULTS_DIR="$OUT_DIR/anchor-http" WORKERS=1 METHODS=get \
    CONNS="$HTTP_CONNS" DURATION="$READ_DURATION" REPS="$REPS"
fi

# --- ours: checkouts ----------------------------------------------------------------
for rep in $(seq 1 "$REPS"); do
  if has_step flash; then
    flash_run flash0 "$CLIENTS" "$rep" 0
    flash_run flash20 "$CLIENTS" "$rep" 20
  fi
  has_step spread && flash_run spread "$CLIENTS" "$rep" 0 --books "$SPREAD_BOOKS" --first-book 1
  if has_step scaling; then
    for c in $SCALE_CLIENTS; do
      # The flash sale at $CLIENTS is the same scenario: reuse it.
      { [ "$c" = "$CLIENTS" ] && has_step flash; } || flash_run flash0 "$c" "$rep" 0
    done
  fi
done

# --- ours: reads with wrk (the method the nginx ceiling uses; wrk_run is in lib.sh) --
if has_step read; then
  export WRK_FIRST_BOOK=1 WRK_BOOKS=$SPREAD_BOOKS WRK_WORDS=$WORDS
  for rep in $(seq 1 "$REPS"); do
    dir=$OUT_DIR/read-r$rep; rm -rf "$dir"; mkdir -p "$dir"
    catalog "$SPREAD_BOOKS" && db=$(fresh_copy "$CATALOG_DB" "$dir") || continue
    start_server "$dir" "$db" 0 || continue
    log "read: GET /books/{id} and GET /books?q=, $HTTP_CONNS connections, rep $rep"
    # Warm-up: loads the book actors, as a long-running server has them.
    fg wrk -t1 -c"$HTTP_CONNS" -d"${WARMUP}s" -s "$ROOT/bench/wrk/book_get.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
    wrk_run get_book "$rep" book_get.lua "http://127.0.0.1:$PORT"
    wrk_run search "$rep" book_search.lua "http://127.0.0.1:$PORT"
    stop_server "$dir"
    rm -f "$dir"/db.sqlite*
  done
fi

# --- ours: the TPC-W-like mix ---------------------------------------------------------
if has_step mix; then
  MIX_SERVER_ARGS=${MIX_SERVER_ARGS:-$(auth_args "$MIX_CLIENTS")}
  for rep in $(seq 1 "$REPS"); do
    mix_run mix "$rep"
  done
fi

# --- ours: memory with a large catalog --------------------------------------------------
# Every book is fetched once (GET /books/{id} spawns its book actor); VmHWM
# is the kernel's exact peak of the resident set, VmRSS is sampled every 0.5 s.
if has_step memory; then
  dir=$OUT_DIR/memory; rm -rf "$dir"; mkdir -p "$dir"
  if catalog "$MEM_BOOKS" && db=$(fresh_copy "$CATALOG_DB" "$dir") && start_server "$dir" "$db" 0 "${IDLE_ARGS[@]}"; then
    metric() { curl -s --max-time 10 "http://127.0.0.1:$PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'; }
    status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SERVER_PID/status"; }
    rss_start=$(status VmRSS)
    ( while kill -0 "$SERVER_PID" 2>/dev/null; do
        echo "$(date +%s.%N) $(awk '$1 == "VmRSS:" {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null)"
        sleep 0.5
      done ) >"$dir/rss.txt" &
    SAMPLER_PID=$!
    log "memory: GET each of $MEM_BOOKS books once, 64 connections (idle timeout ${IDLE_S} s)"
    t0=$(date +%s.%N)
    fg timeout 3600 "$HTTP_MIX" --host 127.0.0.1 --port "$PORT" --mode sweep --clients 64 \
      --books "$MEM_BOOKS" --first-book 1 --seconds 3000 --server-pid "$SERVER_PID" >"$dir/sweep.out" 2>"$dir/sweep.err"
    t1=$(date +%s.%N)
    rss_end=$(status VmRSS); live_end=$(metric bookstore_live_book_actors)
    log "  sweep done; waiting ${PASSIVATION_WAIT} s for passivation"
    fg sleep "$PASSIVATION_WAIT"
    rss_after=$(status VmRSS); hwm=$(status VmHWM); live_after=$(metric bookstore_live_book_actors)
    stop_pid "$SAMPLER_PID" 2; SAMPLER_PID=""
    # Stopping many live actors takes a while (each cancels its idle timer).
    stop_server "$dir" 120
    line=$(grep '^RESULT ' "$dir/sweep.out")
    peak_sampled=$(awk '$2 > m {m = $2} END {print m + 0}' "$dir/rss.txt")
    record memory 64 1 "books=$MEM_BOOKS idle_s=$IDLE_S hwm_kb=$hwm peak_sampled_kb=$peak_sampled rss_start_kb=$rss_start rss_end_kb=$rss_end rss_after_kb=$rss_after live_end=$live_end live_after=$live_after sweep_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') ${line#RESULT }"
    log "  peak RSS $((hwm / 1024)) MiB, after passivation $((rss_after / 1024)) MiB, live book actors $live_end -> $live_after"
    grep -q ' unexpected=0 transport_errors=0 ' <<<"$line" || echo "memory sweep: $line" >>"$OUT_DIR/unexpected.txt"
    rm -f "$dir"/db.sqlite*
  else
    fail "memory scenario setup"
  fi
fi

# --- report ---------------------------------------------------------------------------
ELAPSED=$(( $(date +%s) - START ))
log "writing $RESULTS_MD ($ELAPSED s so far)"
python3 "$ROOT/bench/report.py" --out-dir "$OUT_DIR" --results "$RESULTS_MD" --plot-prefix "$PLOT_PREFIX" \
  --elapsed "$ELAPSED" --quick "$QUICK" --reps "$REPS" --duration "$DURATION" --warmup "$WARMUP" \
  --pg-duration "$PG_DURATION" --read-duration "$READ_DURATION" --clients "$CLIENTS" \
  --scale-clients "$SCALE_CLIENTS" --spread-books "$SPREAD_BOOKS" --http-conns "$HTTP_CONNS" \
  --mix-clients "$MIX_CLIENTS" --mem-books "$MEM_BOOKS" --idle-s "$IDLE_S" \
  --idle-option "${IDLE_ARGS[*]:-none}" --server-args "${SERVER_ARGS:-}" --build-dir "$BUILD_DIR" --anchor-dir "$ANCHOR_DIR" \
  || fail "report.py"
if command -v gnuplot >/dev/null && [ -s "$PLOT_PREFIX.dat" ]; then
  gnuplot -e "datafile='$PLOT_PREFIX.dat'; outfile='$PLOT_PREFIX.png'" "$ROOT/bench/scaling.gp" \
    || fail "gnuplot"
fi
cat "$RESULTS_MD"
log "raw outputs in $OUT_DIR; total $(( $(date +%s) - START )) s"
[ -s "$OUT_DIR/failures.txt" ] && { log "failures:"; cat "$OUT_DIR/failures.txt" >&2; exit 1; }
exit 0
