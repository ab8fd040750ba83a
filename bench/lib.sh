#!/usr/bin/env bash
# bench/lib.sh: helpers shared by bench/run.sh and bench/reads_compare.sh.
# Sourced, not executed. Sourcing it installs the cleanup traps (EXIT, INT,
# TERM) that stop every process these helpers started.
#
# The functions read these globals when they are called (the caller sets
# them; only the ones a function uses are needed):
#   ROOT OUT_DIR STOP_WAIT ANCHOR_DIR   always
#   BOOKSTORE SERVER_ARGS                     start_server (and catalog)
#   CATALOG_TAG [""]                          catalog: one catalog per tag
#   OURS                                      record
#   HTTP_CONNS READ_DURATION                  wrk_run
#   HTTP_MIX MIX_CLIENTS DURATION WARMUP SPREAD_BOOKS   mix_run
# shellcheck disable=SC2153 # those globals are the caller's

# Words of the seeded titles and authors; GET /books?q= searches for them.
WORDS=amber,birch,cedar,dune,ember,fjord,grove,harbor,island,jasper,kestrel,lagoon,meadow,nebula,orchid,prairie,quartz,raven,sierra,tundra,umber,valley,willow,xenon,yarrow,zephyr,atlas,beacon,canyon,delta,echo,falcon

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; echo "$*" >>"$OUT_DIR/failures.txt"; }
has_step() { case " $STEPS " in *" $1 "*) return 0 ;; esac; return 1; }

# --- cleanup: stop exactly what this script started --------------------------
SERVER_PID="" SAMPLER_PID="" ANCHOR_PID="" FG_PID="" BG_PID=""
# Long commands run in the background and are waited for: bash runs a trap
# only once the foreground command returns, and ignores a SIGINT sent to the
# script alone if the foreground child survives it.
fg() { "$@" & FG_PID=$!; wait "$FG_PID"; local rc=$?; FG_PID=""; return $rc; }
stop_pid() { # pid [seconds]: TERM, then KILL
  local pid=$1 _
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 $((${2:-10} * 10))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
}
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$FG_PID" 5
  stop_pid "$BG_PID" 5
  stop_pid "$SAMPLER_PID" 2
  stop_pid "$SERVER_PID" 5
  # The anchors stop their own PostgreSQL / nginx in their EXIT trap.
  stop_pid "$ANCHOR_PID" 60
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# --- packages ------------------------------------------------------------------
ensure_pkgs() { # installs the Debian packages that are missing
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

# --- our server ------------------------------------------------------------------
PORT=""
start_server() { # dir db payment_ms [extra args...]: sets SERVER_PID, PORT
  local dir=$1 db=$2 pay=$3 _
  shift 3
  # A stale listening line would name an earlier server's port: the child
  # truncates its output only once it runs.
  rm -f "$dir/server.out"
  # shellcheck disable=SC2086 # SERVER_ARGS is a list of options
  "$BOOKSTORE" serve --host 127.0.0.1 --port 0 --db "$db" --payment-failure-rate 0 \
    --payment-latency-ms "$pay" ${SERVER_ARGS:-} "$@" >"$dir/server.out" 2>"$dir/server.log" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9][0-9]*\).*#\1#p' "$dir/server.out")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -5 "$dir/server.log" >&2
  fail "server did not start ($dir)"
  stop_pid "$SERVER_PID" 5
  SERVER_PID=""
  return 1
}
stop_server() { # dir [seconds]: SIGTERM, expects exit 0 within STOP_WAIT s
  local dir=$1 wait_s=${2:-$STOP_WAIT} _ rc=""
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  for _ in $(seq 1 $((wait_s * 10))); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then wait "$SERVER_PID"; rc=$?; break; fi
    sleep 0.1
  done
  if [ -z "$rc" ]; then
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    rc=hung
  fi
  SERVER_PID=""
  if [ "$rc" != 0 ]; then fail "server exit $rc after SIGTERM ($dir)"; else rm -f "$dir/server.log"; fi
}

# A SQLite file with our schema and N books (ids 1..N, stock 1,000,000,
# titles "The <word> <word> <i>", authors "<word> Author <k>"), made once per
# size (and CATALOG_TAG, when set: a catalog per server build): the server
# creates the schema, then one sqlite3 transaction inserts the rows (the FTS5
# trigger indexes them as the server would).
CATALOG_DB=""
catalog() { # n: sets CATALOG_DB (not a subshell, so cleanup knows the server)
  local n=$1 dir=$OUT_DIR/catalog-$1${CATALOG_TAG:+-$CATALOG_TAG}
  CATALOG_DB=""
  if [ ! -f "$dir/ready" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    start_server "$dir" "$dir/catalog.db" 0 || return 1
    stop_server "$dir"
    local t0
    t0=$(date +%s)
    "$ROOT/bench/seed_books.sh" "$dir/catalog.db" "$n" "$WORDS" >"$dir/seed.log" 2>&1 \
      || { fail "seeding $n books"; return 1; }
    log "seeded $n books in $(( $(date +%s) - t0 )) s"
    touch "$dir/ready"
  fi
  CATALOG_DB=$dir/catalog.db
}
fresh_copy() { # catalog_db run_dir -> prints the copy's path
  cp "$1" "$2/db.sqlite" && echo "$2/db.sqlite"
}

record() { # scenario clients rep "key=value ..."
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$OURS"
}

# --- reads with wrk (the method the nginx ceiling uses) -----------------------------
wrk_run() { # scenario rep lua url: records rps and latency from report.lua
  local sc=$1 rep=$2 lua=$3 url=$4 raw
  raw=$OUT_DIR/$sc-r$rep.wrk.txt
  fg timeout -k 5 $((READ_DURATION + 30)) wrk -t1 -c"$HTTP_CONNS" -d"${READ_DURATION}s" --latency \
    -s "$ROOT/bench/wrk/$lua" "$url" >"$raw" 2>&1 || fail "wrk $sc r$rep"
  local rps p50 p90 p99 mx n err non2xx
  read -r rps p50 p90 p99 mx n err non2xx < <(python3 "$ANCHOR_DIR/stats.py" wrkout "$raw")
  record "$sc" "$HTTP_CONNS" "$rep" "rps=$rps p50_ms=$p50 p90_ms=$p90 p99_ms=$p99 max_ms=$mx requests=$n errors=$err non2xx=$non2xx"
  [ "${non2xx:-0}" = 0 ] && [ "${err:-0}" = 0 ] || echo "$sc r$rep: wrk errors=$err non2xx=$non2xx" >>"$OUT_DIR/unexpected.txt"
  log "  $sc: rps=$rps p50=${p50}ms p99=${p99}ms errors=$err non2xx=$non2xx"
}

# --- the TPC-W-like mix ---------------------------------------------------------------
# One http_mix run on a fresh server with a copy of the SPREAD_BOOKS catalog;
# records scenario LABEL in OURS and its OP lines in mix_ops.tsv.
# http_mix and http_flash register all their users at once; a server with
# --hash-queue (default 32) answers 503 AUTH_BUSY beyond it, so the servers
# they load get a queue as long as their client count (setup only; unless
# the build's extra options set it).
auth_args() { # clients
  case " ${SERVER_ARGS:-} " in *" --hash-queue"*) return 0 ;; esac
  "$BOOKSTORE" --help 2>&1 | grep -q -- '--hash-queue' && echo "--hash-queue $(( $1 > 32 ? $1 : 32 ))"
  return 0
}
# MIX_SERVER_ARGS [""]: extra `bookstore serve` options for this server only.
mix_run() { # label rep
  local label=$1 rep=$2 dir db line
  dir=$OUT_DIR/$label-r$rep; rm -rf "$dir"; mkdir -p "$dir"
  catalog "$SPREAD_BOOKS" && db=$(fresh_copy "$CATALOG_DB" "$dir") || return 1
  # shellcheck disable=SC2086 # MIX_SERVER_ARGS is a list of options
  start_server "$dir" "$db" 0 ${MIX_SERVER_ARGS:-} || return 1
  log "$label: $MIX_CLIENTS clients, rep $rep"
  fg timeout $((DURATION + WARMUP + 300)) "$HTTP_MIX" --host 127.0.0.1 --port "$PORT" \
    --clients "$MIX_CLIENTS" --seconds "$DURATION" --warmup "$WARMUP" --books "$SPREAD_BOOKS" \
    --first-book 1 --words "$WORDS" --seed "$rep" --server-pid "$SERVER_PID" >"$dir/http_mix.out" 2>&1
  stop_server "$dir"
  line=$(grep '^RESULT ' "$dir/http_mix.out")
  if [ -n "$line" ]; then
    record "$label" "$MIX_CLIENTS" "$rep" "${line#RESULT }"
    grep '^OP ' "$dir/http_mix.out" | sed "s/^OP /$label\t$MIX_CLIENTS\t$rep\t/" >>"$OUT_DIR/mix_ops.tsv"
    sed -n '/^UNEXPECTED/,$p' "$dir/http_mix.out" | sed "s/^/$label r$rep: /" >>"$OUT_DIR/unexpected.txt"
    log "  $(echo "$line" | tr ' ' '\n' | grep -E '^(ops_per_s|p99_ms|unexpected)=' | tr '\n' ' ')"
  else
    tail -5 "$dir/http_mix.out" >&2; fail "http_mix${label#mix} r$rep"
  fi
  rm -f "$dir"/db.sqlite*
}
