#!/usr/bin/env bash
# bench/reads_compare.sh: read paths of two server builds side by side (issue
# "reads off the write path"). Same 10,000-book catalog, same load generators,
# interleaved per repetition and scenario (before, after, before, after...);
# every scenario runs on a fresh server with a fresh copy of the catalog.
#
#   BEFORE=/path/to/build AFTER=/path/to/build bench/reads_compare.sh
#   QUICK=1 BEFORE=... AFTER=... bench/reads_compare.sh   # 1 rep, 3 s runs
#
# Each build dir holds bookstore, bench/http_flash and bench/http_mix.
# Scenarios (STEPS, default "search browse get_book mix isolation"):
#   search    GET /books?q=WORD, CONNS connections (wrk, wrk/book_search.lua)
#   browse    GET /books?page=P, P = 1..WRK_PAGES, CONNS connections (wrk/book_browse.lua)
#   get_book  GET /books/{id}, id in 1..BOOKS, CONNS connections (wrk/book_get.lua)
#             (each wrk scenario first runs its script WARMUP s, not measured)
#   mix       the TPC-W-like mix: http_mix, MIX_CLIENTS clients, as run.sh's step mix
#             (mix and isolation servers get --hash-queue >= their client count
#             when the build has that option: the generators register at once)
#   isolation hot-book checkouts (http_flash, ISO_CLIENTS clients, one book,
#             payment 0 ms) alone, then on another fresh server while
#             ISO_SEARCH_CONNS wrk connections run book_search.lua throughout.
#             The hot book is seeded book ISO_BOOK (default 1, "The birch amber
#             1", found by the searches for birch and amber), passed to
#             http_flash as --books 1 --first-book ISO_BOOK; its stock is set
#             to 2,000,000,000 in the copy, like the book http_flash creates.
# Knobs (environment; QUICK=1 changes the defaults in brackets):
#   REPS [3 | 1]  DURATION [10 | 3]  WARMUP [2 | 1]  CONNS [64]  MIX_CLIENTS [CONNS]
#   BOOKS [10000]  WRK_PAGES [50]  ISO_CLIENTS [32]  ISO_SEARCH_CONNS [32]  ISO_BOOK [1]
#   STEPS  OUT_DIR [mktemp]  ANCHOR_DIR [../shared/bench] (for stats.py)
#   SERVER_ARGS_BEFORE / SERVER_ARGS_AFTER [""]: extra `bookstore serve` options
#   COMMIT_BEFORE / COMMIT_AFTER: shown in the report; by default the HEAD of
#   the build's source tree (CMakeCache's CMAKE_HOME_DIRECTORY, else BUILD/..)
# Output: $OUT_DIR/compare.md (also printed): medians over the reps and
# after/before ratios; raw outputs in $OUT_DIR. Exit 1 if anything failed.
# Every process it starts is stopped on exit, also on failure or Ctrl-C.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
QUICK=${QUICK:-0}
q() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }

BEFORE=${BEFORE:-}
AFTER=${AFTER:-}
if [ -z "$BEFORE" ] || [ -z "$AFTER" ]; then
  sed -n 2,35p "$0" >&2
  exit 2
fi
ANCHOR_DIR=${ANCHOR_DIR:-$ROOT/../shared/bench}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bookstore-reads.XXXXXX")}
REPS=${REPS:-$(q 3 1)}
DURATION=${DURATION:-$(q 10 3)}
WARMUP=${WARMUP:-$(q 2 1)}
CONNS=${CONNS:-64}
MIX_CLIENTS=${MIX_CLIENTS:-$CONNS}
BOOKS=${BOOKS:-10000}
WRK_PAGES=${WRK_PAGES:-50}
ISO_CLIENTS=${ISO_CLIENTS:-32}
ISO_SEARCH_CONNS=${ISO_SEARCH_CONNS:-32}
ISO_BOOK=${ISO_BOOK:-1}
STEPS=${STEPS:-"search browse get_book mix isolation"}
SERVER_ARGS_BEFORE=${SERVER_ARGS_BEFORE:-}
SERVER_ARGS_AFTER=${SERVER_ARGS_AFTER:-}
STOP_WAIT=${STOP_WAIT:-20}
BUILDS="before after"
# lib.sh's names for the knobs its helpers read
HTTP_CONNS=$CONNS READ_DURATION=$DURATION SPREAD_BOOKS=$BOOKS
START=$(date +%s)
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)
: >"$OUT_DIR/failures.txt"
cut -d' ' -f1-3 /proc/loadavg >"$OUT_DIR/load_start.txt"

# log, fail, fg, stop_pid, the cleanup traps, ensure_pkgs, start_server,
# stop_server, catalog, fresh_copy, record, wrk_run, mix_run; WORDS
. "$ROOT/bench/lib.sh"

for s in $STEPS; do
  case $s in search | browse | get_book | mix | isolation) ;;
    *) log "unknown step '$s' (search browse get_book mix isolation)"; exit 2 ;;
  esac
done
ensure_pkgs wrk sqlite3 python3 procps || { fail "apt-get install"; exit 1; }
[ -f "$ANCHOR_DIR/stats.py" ] || { log "no stats.py in $ANCHOR_DIR (set ANCHOR_DIR)"; exit 2; }
ANCHOR_DIR=$(cd "$ANCHOR_DIR" && pwd)
BEFORE=$(cd "$BEFORE" 2>/dev/null && pwd) || { log "no build dir BEFORE"; exit 2; }
AFTER=$(cd "$AFTER" 2>/dev/null && pwd) || { log "no build dir AFTER"; exit 2; }
for d in "$BEFORE" "$AFTER"; do
  for b in bookstore bench/http_flash bench/http_mix; do
    [ -x "$d/$b" ] || { log "$d/$b is missing"; exit 2; }
  done
done

# The commit a build came from: its source tree's HEAD (read-only git calls;
# "-dirty" when tracked files differ from it, which says nothing about when
# the build was made).
source_commit() { # build_dir
  local src c
  src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$1/CMakeCache.txt" 2>/dev/null)
  [ -d "$src" ] || src=$1/..
  c=$(git -C "$src" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
  [ -z "$(git -C "$src" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ] || c+=-dirty
  echo "$c"
}
COMMIT_BEFORE=${COMMIT_BEFORE:-$(source_commit "$BEFORE")}
COMMIT_AFTER=${COMMIT_AFTER:-$(source_commit "$AFTER")}

export BOOKSTORE_ADMIN_EMAIL=admin@example.com BOOKSTORE_ADMIN_PASSWORD=adminpass123
export BOOKSTORE_SECRET_KEY=bench-secret-key-for-run-sh
export WRK_FIRST_BOOK=1 WRK_BOOKS=$BOOKS WRK_WORDS=$WORDS WRK_PAGES

OURS=$OUT_DIR/ours.tsv
: >"$OURS"
: >"$OUT_DIR/mix_ops.tsv"
: >"$OUT_DIR/unexpected.txt"

use_build() { # before|after: the binaries, server options and catalog of that build
  local d args
  if [ "$1" = before ]; then d=$BEFORE args=$SERVER_ARGS_BEFORE; else d=$AFTER args=$SERVER_ARGS_AFTER; fi
  BOOKSTORE=$d/bookstore HTTP_FLASH=$d/bench/http_flash HTTP_MIX=$d/bench/http_mix
  SERVER_ARGS=$args
  CATALOG_TAG=$1 # each build makes its own schema; the rows are the same
  MIX_SERVER_ARGS=$(auth_args "$MIX_CLIENTS")
}

# One wrk read scenario on a fresh server: scenario build rep lua
read_run() {
  local sc=$1 b=$2 rep=$3 lua=$4 dir db
  dir=$OUT_DIR/$sc.$b-r$rep; rm -rf "$dir"; mkdir -p "$dir"
  catalog "$BOOKS" && db=$(fresh_copy "$CATALOG_DB" "$dir") || return 1
  start_server "$dir" "$db" 0 || return 1
  log "$sc.$b: $lua, $CONNS connections, rep $rep"
  # Warm-up (as run.sh's read step): book actors, caches, SQLite pages.
  fg timeout -k 5 $((WARMUP + 30)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" -s "$ROOT/bench/wrk/$lua" \
    "http://127.0.0.1:$PORT" >/dev/null 2>&1
  wrk_run "$sc.$b" "$rep" "$lua" "http://127.0.0.1:$PORT"
  stop_server "$dir"
  rm -f "$dir"/db.sqlite*
}

# SIGINT makes wrk stop and print its summary (report.lua's lines too).
stop_bg_wrk() {
  local _
  [ -n "$BG_PID" ] || return 0
  kill -INT "$BG_PID" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$BG_PID" 2>/dev/null || break
    sleep 0.1
  done
  stop_pid "$BG_PID" 2
  wait "$BG_PID" 2>/dev/null
  BG_PID=""
}

# Hot-book checkouts on a fresh server, alone or under searches: mode build rep
iso_run() {
  local mode=$1 b=$2 rep=$3 sc dir db line extra=""
  sc=iso_$mode.$b
  dir=$OUT_DIR/$sc-r$rep; rm -rf "$dir"; mkdir -p "$dir"
  catalog "$BOOKS" && db=$(fresh_copy "$CATALOG_DB" "$dir") || return 1
  if [ "$(sqlite3 "$db" "UPDATE books SET stock_quantity = 2000000000 WHERE id = $ISO_BOOK;
                        SELECT changes();")" != 1 ]; then
    fail "$sc r$rep: no book $ISO_BOOK in the catalog"; return 1
  fi
  # shellcheck disable=SC2046 # auth_args prints a list of options
  start_server "$dir" "$db" 0 $(auth_args "$ISO_CLIENTS") || return 1
  if [ "$mode" = search ]; then
    # Bounded like http_flash below; stopped as soon as http_flash is done.
    wrk -t1 -c"$ISO_SEARCH_CONNS" -d"$((DURATION + WARMUP + 330))s" --latency \
      -s "$ROOT/bench/wrk/book_search.lua" "http://127.0.0.1:$PORT" >"$dir/search.wrk.txt" 2>&1 &
    BG_PID=$!
    log "$sc: $ISO_CLIENTS clients on book $ISO_BOOK, payment 0 ms, $ISO_SEARCH_CONNS search connections, rep $rep"
  else
    log "$sc: $ISO_CLIENTS clients on book $ISO_BOOK, payment 0 ms, rep $rep"
  fi
  fg timeout $((DURATION + WARMUP + 300)) "$HTTP_FLASH" --host 127.0.0.1 --port "$PORT" \
    --clients "$ISO_CLIENTS" --seconds "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER_PID" \
    --books 1 --first-book "$ISO_BOOK" --label "$sc r$rep" >"$dir/http_flash.out" 2>&1
  if [ "$mode" = search ]; then
    if [ -n "$BG_PID" ] && ! kill -0 "$BG_PID" 2>/dev/null; then
      fail "$sc r$rep: the search load ended before http_flash"
    fi
    stop_bg_wrk
    local rps p50 p90 p99 mx n err non2xx
    read -r rps p50 p90 p99 mx n err non2xx < <(python3 "$ANCHOR_DIR/stats.py" wrkout "$dir/search.wrk.txt")
    extra=" search_rps=$rps search_p50_ms=$p50 search_p99_ms=$p99 search_requests=$n search_errors=$err search_non2xx=$non2xx"
    [ "${non2xx:-0}" = 0 ] && [ "${err:-0}" = 0 ] \
      || echo "$sc r$rep: search wrk errors=$err non2xx=$non2xx" >>"$OUT_DIR/unexpected.txt"
  fi
  stop_server "$dir"
  line=$(grep '^RESULT ' "$dir/http_flash.out")
  [ -n "$line" ] || { tail -5 "$dir/http_flash.out" >&2; fail "http_flash $sc r$rep"; return 1; }
  record "$sc" "$ISO_CLIENTS" "$rep" "${line#RESULT }$extra"
  grep -E '^  (add-to-cart|checkout) [0-9]{3} ' "$dir/http_flash.out" | sed "s/^/$sc r$rep: /" >>"$OUT_DIR/unexpected.txt"
  grep -q ' non2xx=0 transport_errors=0 ' <<<"$line" \
    || echo "$sc r$rep: $(echo "$line" | grep -oE '(non2xx|transport_errors)=[0-9]+' | tr '\n' ' ')" >>"$OUT_DIR/unexpected.txt"
  log "  $(echo "$line$extra" | tr ' ' '\n' | grep -E '^(checkouts_per_s|co_p99_ms|non2xx|search_rps|search_non2xx)=' | tr '\n' ' ')"
  rm -f "$dir"/db.sqlite*
}

log "before: $BEFORE ($COMMIT_BEFORE) ${SERVER_ARGS_BEFORE:+options $SERVER_ARGS_BEFORE}"
log "after:  $AFTER ($COMMIT_AFTER) ${SERVER_ARGS_AFTER:+options $SERVER_ARGS_AFTER}"
log "steps: $STEPS; $REPS rep(s) of $DURATION s (+$WARMUP s warm-up); raw outputs in $OUT_DIR"
for rep in $(seq 1 "$REPS"); do
  for step in $STEPS; do
    for b in $BUILDS; do
      use_build "$b"
      case $step in
        search) read_run search "$b" "$rep" book_search.lua ;;
        browse) read_run browse "$b" "$rep" book_browse.lua ;;
        get_book) read_run get_book "$b" "$rep" book_get.lua ;;
        mix) mix_run "mix.$b" "$rep" ;;
        isolation) iso_run alone "$b" "$rep"; iso_run search "$b" "$rep" ;;
      esac
    done
  done
done

cut -d' ' -f1-3 /proc/loadavg >"$OUT_DIR/load_end.txt"
python3 "$ROOT/bench/compare_report.py" --out-dir "$OUT_DIR" --steps "$STEPS" \
  --before "$BEFORE" --after "$AFTER" --commit-before="$COMMIT_BEFORE" --commit-after="$COMMIT_AFTER" \
  --server-args-before="$SERVER_ARGS_BEFORE" --server-args-after="$SERVER_ARGS_AFTER" \
  --reps "$REPS" --duration "$DURATION" --warmup "$WARMUP" --conns "$CONNS" --mix-clients "$MIX_CLIENTS" \
  --books "$BOOKS" --pages "$WRK_PAGES" --iso-clients "$ISO_CLIENTS" --iso-search-conns "$ISO_SEARCH_CONNS" \
  --iso-book "$ISO_BOOK" --elapsed $(( $(date +%s) - START )) >"$OUT_DIR/compare.md" \
  || fail "compare_report.py"
cat "$OUT_DIR/compare.md"
log "raw outputs in $OUT_DIR; total $(( $(date +%s) - START )) s"
[ -s "$OUT_DIR/failures.txt" ] && { log "failures:"; cat "$OUT_DIR/failures.txt" >&2; exit 1; }
exit 0
