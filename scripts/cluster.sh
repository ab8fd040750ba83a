#!/usr/bin/env bash
# Starts a cluster of bookstore nodes on this machine's loopback (API.md,
# "Cluster"): writes DIR/cluster.json for N nodes named a, b, c... (HTTP on
# 8081, 8082..., peers on 9081, 9082...; each node's SQLite file in DIR),
# and runs them until Ctrl-C, which stops them all. Each node's log goes to
# DIR/<name>.log.
#
#   scripts/cluster.sh [N=3] [DIR=cluster-run]
#
# All nodes share BOOKSTORE_SECRET_KEY: the one in the environment, else
# the one kept in DIR/secret (made on first use, mode 0600), so that a
# restart keeps every token valid. BOOKSTORE_ADMIN_EMAIL and
# BOOKSTORE_ADMIN_PASSWORD, if set, make that admin (on its owner node).
# Other `bookstore serve` options go in BOOKSTORE_* variables as usual.
# Each node runs its actors on its share of the cores, the server's default
# for nodes that share a machine (bench/CLUSTER.md), unless
# BOOKSTORE_THREADS says otherwise.
# With TLS=1 the peers link over mutual TLS, with certificates made in
# DIR/tls by scripts/cluster-certs.sh (once).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
nodes=${1:-3}
dir=${2:-cluster-run}
bin=$root/build/bookstore
if ! [[ $nodes =~ ^[0-9]+$ ]] || [ "$nodes" -lt 1 ] || [ "$nodes" -gt 26 ]; then
  echo "usage: $0 [N (1 to 26)] [DIR]" >&2
  exit 2
fi
[ -x "$bin" ] || scripts/build.sh
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

if [ -z "${BOOKSTORE_SECRET_KEY:-}" ]; then
  if [ ! -s "$dir/secret" ]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' \
      >"$dir/secret")
  fi
  BOOKSTORE_SECRET_KEY=$(cat "$dir/secret")
fi
export BOOKSTORE_SECRET_KEY

tls=
if [ "${TLS:-0}" = 1 ]; then
  [ -s "$dir/tls/node.pem" ] || scripts/cluster-certs.sh "$dir/tls" >/dev/null
  tls=', "tls": {"cert": "tls/node.pem", "key": "tls/node.key", "ca": "tls/ca.pem"}'
fi

names=()
{
  echo '{"nodes": ['
  for ((i = 0; i < nodes; i++)); do
    name=$(printf "\\x$(printf %x $((97 + i)))")
    names+=("$name")
    sep=$([ $i -lt $((nodes - 1)) ] && echo , || true)
    printf '  {"name": "%s", "http": "127.0.0.1:%d", "peer": "127.0.0.1:%d", "db": "%s.db"}%s\n' \
      "$name" $((8081 + i)) $((9081 + i)) "$name" "$sep"
  done
  echo "]$tls}"
} >"$dir/cluster.json"

pids=()
stop_all() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop_all INT TERM EXIT
for name in "${names[@]}"; do
  # Not the last run's log: the child truncates it only once it runs, and
  # the check below would read that run's listening line.
  rm -f "$dir/$name.log"
  "$bin" serve --cluster "$dir/cluster.json" --node "$name" \
    >"$dir/$name.log" 2>&1 &
  pids+=($!)
done
for ((i = 0; i < nodes; i++)); do
  for _ in $(seq 1 150); do
    grep -qs "listening on" "$dir/${names[$i]}.log" && break
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "node ${names[$i]} did not start:" >&2
      tail -5 "$dir/${names[$i]}.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -m1 "listening on" "$dir/${names[$i]}.log" | sed "s/^/node ${names[$i]}: /"
done
echo "cluster file: $dir/cluster.json; Ctrl-C stops every node"
wait -n "${pids[@]}" || true
echo "a node ended; stopping the others" >&2
