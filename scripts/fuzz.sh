#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with Debian's clang-14 in build-fuzz/
# and runs each on a copy of its seed corpus (fuzz/corpus/<target>/, never
# written to) for a bounded time. Exits non-zero if any target crashes,
# leaks, times out or fails an invariant; the input is kept under
# build-fuzz/fuzz-run/<target>/ and its log is printed.
#
#   scripts/fuzz.sh                  every target, FUZZ_SECONDS each
#   scripts/fuzz.sh jwt money        only these targets
#
# Environment:
#   FUZZ_SECONDS  time per target (default 20; 0: no time limit)
#   FUZZ_RUNS     executions per target (default: unlimited, the time decides)
#   FUZZ_JOBS     targets run at once (default 2)
#   FUZZ_BUILD_JOBS  compile jobs (default 2)
#
# Reproduce a crash: build-fuzz/fuzz/fuzz_<target> <crash file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-}
jobs=${FUZZ_JOBS:-2}
build_jobs=${FUZZ_BUILD_JOBS:-2}
all_targets=(http_parser route decode_body decode_query money isbn text jwt multipart)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# -- packages: the project's, then clang-14 with libFuzzer and the sanitizer
# runtimes (libclang-rt-14-dev).
scripts/install-deps.sh clang-14 libclang-rt-14-dev

# -- build: a separate tree, only the fuzz targets and what they link.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBOOKSTORE_FUZZ=ON -DBUILD_TESTING=OFF \
  >/dev/null
cmake --build build-fuzz --target fuzz -j "$build_jobs"

# -- run
# malloc_context_size=0: recording a stack for every allocation was a fifth
# of the JSON targets' time; a saved input run again without it (see above)
# prints the full allocation stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run_root=build-fuzz/fuzz-run

run_target() {
  local t=$1
  local dir=$run_root/$t
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # The working corpus keeps what earlier runs found; the seeds are copied
  # in, never fuzzed in place.
  cp -n fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
              -max_len=4096 -print_final_stats=1
              -artifact_prefix="$dir/artifacts/")
  [ -z "$runs" ] || args+=(-runs="$runs")
  [ ! -f fuzz/dict/"$t".dict ] || args+=(-dict=fuzz/dict/"$t".dict)
  local start=$SECONDS rc=0
  build-fuzz/fuzz/fuzz_"$t" "${args[@]}" "$dir/corpus" \
    >"$dir/log" 2>&1 || rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
  if [ "$rc" -eq 0 ]; then
    printf '%-13s ok     %10s executions  %4ss\n' "$t" "${execs:-?}" \
      $((SECONDS - start))
  else
    printf '%-13s FAILED (exit %s) after %s executions, log %s\n' "$t" "$rc" \
      "${execs:-?}" "$dir/log"
    tail -n 40 "$dir/log" | sed "s/^/  $t| /"
    for f in "$dir"/artifacts/*; do
      [ ! -e "$f" ] || echo "  $t| input: $f"
    done
  fi
  return "$rc"
}

failed=0
running=0
for t in "${targets[@]}"; do
  if [ ! -x build-fuzz/fuzz/fuzz_"$t" ]; then
    echo "no fuzz target '$t' (have: ${all_targets[*]})" >&2
    exit 2
  fi
  rm -rf "$run_root/$t/artifacts" "$run_root/$t/log"
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done

if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target failed" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
