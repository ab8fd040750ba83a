#!/usr/bin/env bash
# bench/cluster_compare.sh: checkouts on 1, 2 and 3 nodes of a cluster on
# this machine (API.md, "Cluster"), side by side in one run. Two scenarios:
#   spread  every add-to-cart picks one of SPREAD_BOOKS books at random (the
#           books spread evenly over the nodes, so with n nodes a line is
#           another node's with chance (n-1)/n and a checkout crosses nodes);
#   hot     one hot book (the flash sale), owned by one node.
# The buyers (bench/http_flash, CLIENTS in all) are split evenly over the
# nodes, each generator talking to its node only; every user lives on the
# node its email hashes to, so most carts are coordinated by another node
# than the one the generator talks to (ROUTE=any, the default). ROUTE=owner
# gives each generator only users its node owns, as a balancer that knows
# the rule (API.md, "Cluster") would send them: no request is passed on.
# Per run: checkouts/s (the sum of the generators), the worst checkout p99,
# the machine's busy share of its cores (/proc/stat: all but idle and
# iowait, generators included), and per checkout the CPU time of all
# nodes (utime + stime from /proc), the messages the nodes sent each other
# (their /metrics: bookstore_cluster_actor_messages_total and the links'
# bookstore_cluster_messages_total) and the bytes (ss, the peer ports'
# sockets).
#
# All nodes share this machine's cores: n nodes on 2 cores compete with
# each other and with the generators, so the figures say what n processes
# gain from n I/O threads and n writers, not what n machines would.
#
# Each node runs its actors on its share of the cores (`--threads`: the
# cores / n, at least 1, as the server itself takes for nodes that share a
# machine; set here for 1 node too). THREADS=N gives every node N threads
# instead: THREADS=4 is CAF's own default on 2 cores (the cores or 4,
# whichever is more), so n nodes run 4n threads that compete.
#
# Settings (environment): NODES ["1 2 3"], SCENARIOS ["spread hot"],
# CLIENTS [48], DURATION [10], WARMUP [3], REPS [1], SPREAD_BOOKS [10000],
# THREADS [share], ROUTE [any], BUILD_DIR [build], OUT_DIR [bench-cluster-out]. Prints a markdown table
# and writes it to $OUT_DIR/cluster.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
OUT_DIR=${OUT_DIR:-$ROOT/bench-cluster-out}
NODES=${NODES:-"1 2 3"}
SCENARIOS=${SCENARIOS:-"spread hot"}
CLIENTS=${CLIENTS:-48}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
REPS=${REPS:-1}
SPREAD_BOOKS=${SPREAD_BOOKS:-10000}
THREADS=${THREADS:-share}
ROUTE=${ROUTE:-any}
case $ROUTE in any | owner) ;; *) echo "ROUTE is any or owner" >&2; exit 2 ;; esac
BOOKSTORE=$BUILD_DIR/bookstore
HTTP_FLASH=$BUILD_DIR/bench/http_flash
source "$ROOT/bench/lib.sh"
ensure_pkgs sqlite3 iproute2 curl
[ -x "$BOOKSTORE" ] && [ -x "$HTTP_FLASH" ] || {
  log "building bookstore and http_flash in $BUILD_DIR"
  cmake --build "$BUILD_DIR" --target bookstore http_flash >/dev/null
}
mkdir -p "$OUT_DIR"
: >"$OUT_DIR/failures.txt"
export BOOKSTORE_SECRET_KEY=bench-cluster-secret-0123456789abcdef
export BOOKSTORE_ADMIN_EMAIL=admin@example.com
export BOOKSTORE_ADMIN_PASSWORD=adminpass123
HTTP_BASE=7081 PEER_BASE=7181
NODE_PIDS=()

stop_nodes() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" 10; done
  NODE_PIDS=()
}
trap 'stop_nodes; cleanup' EXIT

name_of() { printf "\\x$(printf %x $((97 + $1)))"; }

write_cluster() { # dir n
  local dir=$1 n=$2 i sep
  {
    echo '{"nodes": ['
    for ((i = 0; i < n; i++)); do
      sep=$([ $i -lt $((n - 1)) ] && echo , || true)
      printf '  {"name": "%s", "http": "127.0.0.1:%d", "peer": "127.0.0.1:%d", "db": "%s.db"}%s\n' \
        "$(name_of $i)" $((HTTP_BASE + i)) $((PEER_BASE + i)) "$(name_of $i)" "$sep"
    done
    echo ']}'
  } >"$dir/cluster.json"
}

threads_of() { # n: each node's --threads
  if [ "$THREADS" = share ]; then
    local t=$(($(nproc) / $1))
    echo $((t > 0 ? t : 1))
  else
    echo "$THREADS"
  fi
}

start_nodes() { # dir n
  local dir=$1 n=$2 i _
  for ((i = 0; i < n; i++)); do
    # Not the log of this folder's last start: the child truncates it only
    # once it runs, and a check before that read that start's listening
    # line ("node a did not start" with an empty log, one run in several).
    rm -f "$dir/$(name_of $i).log"
    "$BOOKSTORE" serve --cluster "$dir/cluster.json" --node "$(name_of $i)" \
      --payment-failure-rate 0 --threads "$(threads_of "$n")" \
      >"$dir/$(name_of $i).log" 2>&1 &
    NODE_PIDS+=($!)
  done
  for ((i = 0; i < n; i++)); do
    for _ in $(seq 1 300); do
      grep -qs "listening on" "$dir/$(name_of $i).log" && break
      sleep 0.1
    done
    grep -qs "listening on" "$dir/$(name_of $i).log" || {
      fail "node $(name_of $i) did not start"
      tail -5 "$dir/$(name_of $i).log" >&2
      kill -0 "${NODE_PIDS[$i]}" 2>/dev/null && log "(its process runs)" || log "(its process is gone)"
      return 1
    }
  done
  # Every node sees every other up.
  for _ in $(seq 1 100); do
    local all=1
    for ((i = 0; i < n; i++)); do
      curl -s "127.0.0.1:$((HTTP_BASE + i))/health" | grep -q '"down"' && all=0
    done
    [ $all = 1 ] && return 0
    sleep 0.1
  done
}

cpu_ticks() { # sum of utime + stime of the node processes
  local pid total=0
  for pid in "${NODE_PIDS[@]}"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo $total
}

machine_ticks() { # busy and total jiffies of all cores (busy: not idle or iowait)
  awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

peer_bytes() { # bytes sent on every socket from or to a peer port
  ss -tinH 2>/dev/null | awk -v lo=$PEER_BASE -v hi=$((PEER_BASE + 9)) '
    /^ESTAB/ { split($4, l, ":"); split($5, r, ":");
               lp = l[length(l)] + 0; rp = r[length(r)] + 0;
               peer = (lp >= lo && lp <= hi) || (rp >= lo && rp <= hi); next_line = 1; next }
    next_line && peer { if (match($0, /bytes_sent:[0-9]+/)) total += substr($0, RSTART + 11, RLENGTH - 11) }
    { next_line = 0 }
    END { print total + 0 }'
}

peer_messages() { # messages between the nodes, each counted once: the
  # actors' (counted by the side that sends a request, with its answer) and
  # the links' (requests passed on and answers, pings; counted "out" by
  # their senders)
  local n=$1 i
  for ((i = 0; i < n; i++)); do
    curl -s "127.0.0.1:$((HTTP_BASE + i))/metrics"
  done | awk '/^bookstore_cluster_actor_messages_total / { total += $2 }
    /^bookstore_cluster_messages_total\{.*direction="out"/ { total += $2 }
    END { printf "%.0f\n", total }'
}

run_one() { # n scenario rep
  local n=$1 sc=$2 rep=$3 dir i hot=0 per=$((CLIENTS / $1)) books first
  dir=$OUT_DIR/n$n-$sc-r$rep
  rm -rf "$dir"; mkdir -p "$dir"
  write_cluster "$dir" "$n"
  if [ "$sc" = spread ]; then
    # The schema first (a start and a stop), then each node's own books.
    start_nodes "$dir" "$n" || { stop_nodes; return 1; }
    stop_nodes
    for ((i = 0; i < n; i++)); do
      "$ROOT/bench/seed_books.sh" "$dir/$(name_of $i).db" "$SPREAD_BOOKS" "$WORDS" $i "$n"
    done
  fi
  # A node that did not start leaves the others running: stopped here, or
  # they would hold their ports in the runs that follow.
  start_nodes "$dir" "$n" || { stop_nodes; return 1; }
  if [ "$sc" = hot ]; then
    local token
    token=$(curl -s -XPOST 127.0.0.1:$HTTP_BASE/auth/login -H 'content-type: application/json' \
      -d "{\"email\":\"$BOOKSTORE_ADMIN_EMAIL\",\"password\":\"$BOOKSTORE_ADMIN_PASSWORD\"}" |
      sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    hot=$(curl -s -XPOST 127.0.0.1:$HTTP_BASE/books -H "authorization: Bearer $token" \
      -H 'content-type: application/json' -d '{"title":"Hot","author":"A","price":"9.99"}' |
      sed -n 's/.*"id":\([0-9]*\).*/\1/p')
    curl -s -o /dev/null -XPATCH "127.0.0.1:$HTTP_BASE/books/$hot/stock" -H "authorization: Bearer $token" \
      -H 'content-type: application/json' -d '{"quantity":2000000000}'
    books=1 first=$hot
  else
    books=$SPREAD_BOOKS first=1
  fi
  log "$n node(s), $sc, $CLIENTS clients, rep $rep"
  local gens=() owned=()
  for ((i = 0; i < n; i++)); do
    [ "$ROUTE" = owner ] && owned=(--owned-by "$i/$n")
    stdbuf -oL "$HTTP_FLASH" --host 127.0.0.1 --port $((HTTP_BASE + i)) --clients "$per" \
      --seconds "$DURATION" --warmup "$WARMUP" --books "$books" --first-book "$first" \
      --seed $((rep * 10 + i)) --label "n$n $sc g$i" "${owned[@]}" >"$dir/gen$i.out" 2>&1 &
    gens+=($!)
  done
  # The generators register their users first (seconds of Argon2id), then
  # warm up and measure: the window of the CPU and byte counts starts a
  # warm-up after the last one has reported its setup.
  for _ in $(seq 1 1200); do
    local ready=0
    for ((i = 0; i < n; i++)); do grep -q "^setup:" "$dir/gen$i.out" 2>/dev/null && ready=$((ready + 1)); done
    [ $ready = "$n" ] && break
    sleep 0.1
  done
  sleep "$WARMUP"
  local t0 b0 m0 t1 b1 m1 busy0 all0 busy1 all1
  t0=$(cpu_ticks) b0=$(peer_bytes) m0=$(peer_messages "$n")
  read -r busy0 all0 < <(machine_ticks)
  sleep "$DURATION"
  read -r busy1 all1 < <(machine_ticks)
  t1=$(cpu_ticks) b1=$(peer_bytes) m1=$(peer_messages "$n")
  for g in "${gens[@]}"; do wait "$g" || true; done
  stop_nodes
  local cps=0 p99=0 checkouts=0 line
  for ((i = 0; i < n; i++)); do
    line=$(grep '^RESULT ' "$dir/gen$i.out") || { fail "generator $i of n$n $sc"; tail -5 "$dir/gen$i.out" >&2; return 1; }
    cps=$(echo "$cps $(echo "$line" | sed -n 's/.*checkouts_per_s=\([0-9.]*\).*/\1/p')" | awk '{print $1 + $2}')
    checkouts=$((checkouts + $(echo "$line" | sed -n 's/.* checkouts=\([0-9]*\).*/\1/p')))
    p99=$(echo "$p99 $(echo "$line" | sed -n 's/.*co_p99_ms=\([0-9.]*\).*/\1/p')" | awk '{print ($2 > $1) ? $2 : $1}')
  done
  local hz cpu_us bytes messages busy
  hz=$(getconf CLK_TCK)
  busy=$(awk -v b=$((busy1 - busy0)) -v a=$((all1 - all0)) 'BEGIN { printf "%.0f", (a > 0) ? 100 * b / a : 0 }')
  cpu_us=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v c="$cps" -v d="$DURATION" 'BEGIN { printf "%.0f", (c > 0) ? t / hz * 1e6 / (c * d) : 0 }')
  bytes=$(awk -v b=$((b1 - b0)) -v c="$cps" -v d="$DURATION" 'BEGIN { printf "%.0f", (c > 0) ? b / (c * d) : 0 }')
  messages=$(awk -v m=$((m1 - m0)) -v c="$cps" -v d="$DURATION" 'BEGIN { printf "%.1f", (c > 0) ? m / (c * d) : 0 }')
  printf '%s\t%s\t%s\t%.0f\t%.1f\t%s\t%s\t%s\t%s\n' "$n" "$sc" "$rep" "$cps" "$p99" "$cpu_us" "$bytes" "$messages" "$busy" >>"$OUT_DIR/cluster.tsv"
  log "  $cps checkouts/s, p99 $p99 ms, machine $busy % busy, per checkout: $cpu_us µs CPU, $messages peer messages, $bytes peer bytes"
}

: >"$OUT_DIR/cluster.tsv"
for rep in $(seq 1 "$REPS"); do
  for sc in $SCENARIOS; do
    for n in $NODES; do
      run_one "$n" "$sc" "$rep" || true
    done
  done
done

{
  echo "| nodes | scenario | checkouts/s (median) | vs 1 node | worst p99 ms | machine busy | CPU µs / checkout | peer messages / checkout | peer bytes / checkout |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for sc in $SCENARIOS; do
    base=""
    for n in $NODES; do
      read -r cps p99 cpu bytes messages busy < <(awk -F'\t' -v n="$n" -v s="$sc" '$1 == n && $2 == s { print $4, $5, $6, $7, $8, $9 }' \
        "$OUT_DIR/cluster.tsv" | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')
      [ -n "${cps:-}" ] || continue
      [ -n "$base" ] || base=$cps
      printf '| %s | %s | %s | %.2fx | %s | %s %% | %s | %s | %s |\n' "$n" "$sc" "$cps" \
        "$(awk -v a="$cps" -v b="$base" 'BEGIN { print (b > 0) ? a / b : 0 }')" "$p99" "$busy" "$cpu" "$messages" "$bytes"
    done
  done
} | tee "$OUT_DIR/cluster.md"
[ ! -s "$OUT_DIR/failures.txt" ] || { log "failures:"; cat "$OUT_DIR/failures.txt" >&2; exit 1; }
