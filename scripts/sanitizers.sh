#!/usr/bin/env bash
# Sanitizer runs: the whole test suite in the ASan+UBSan build (build-asan/),
# the actor and gateway concurrency tests in the TSan build (build-tsan/).
# Builds only the targets those tests need. Exits non-zero if a build or a
# test fails or if any process (test programs and the `bookstore` servers
# they start) wrote a sanitizer report; the reports are printed.
#
#   scripts/sanitizers.sh          both
#   scripts/sanitizers.sh asan     only ASan+UBSan
#   scripts/sanitizers.sh tsan     only TSan
#
# The sanitizer options are the test presets' (CMakePresets.json); the
# suppressions (findings inside Debian's uninstrumented CAF only, each with
# its reason) are tools/sanitizers/{ubsan,lsan,tsan}.supp.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
supp=$root/tools/sanitizers

want=${1:-all}
case $want in
  all | asan | tsan) ;;
  *) echo "usage: $0 [all|asan|tsan]" >&2; exit 2 ;;
esac

scripts/install-deps.sh || exit 1
# ccache may reuse precompiled CAF headers only with these (as scripts/build.sh).
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime

failed=()
timings=()
start_all=$SECONDS

# phase NAME COMMAND...: runs and times one step; a failure is remembered.
phase() {
  local name=$1 t0=$SECONDS rc=0
  shift
  echo "==== $name"
  "$@" || rc=$?
  local took=$((SECONDS - t0))
  timings+=("$(printf '%-22s %4d s%s' "$name" "$took" \
    "$([ $rc -eq 0 ] || echo "  FAILED (exit $rc)")")")
  [ $rc -eq 0 ] || failed+=("$name")
  return $rc
}

# reports DIR: fails (and prints them) if the sanitizers wrote any report.
reports() {
  local dir=$1 found=0 f
  for f in "$dir"/*; do
    [ -e "$f" ] || continue
    found=1
    echo "---- sanitizer report $f"
    cat "$f"
  done
  [ $found -eq 0 ] || { echo "sanitizer reports in $dir" >&2; return 1; }
}

# fresh_dir DIR: an empty directory for the reports of one run.
fresh_dir() {
  rm -rf "$1" && mkdir -p "$1"
}

run_asan() {
  local out=$root/build-asan/sanitizer-reports
  phase "asan configure" nice -n 10 cmake --preset asan-ubsan >/dev/null \
    || return
  # Everything the suite runs; not the benchmarks.
  phase "asan build" nice -n 10 cmake --build --preset asan-ubsan --target \
    test_model test_storage test_actors test_auth test_http test_json \
    test_e2e test_crash bookstore embed || return
  fresh_dir "$out"
  # The options and suppression files are the test preset's (CMakePresets.json);
  # log_path adds that the reports of every process, also of the servers the
  # e2e and crash tests start (their stderr is a temporary file), land in
  # $out, printed below.
  phase "asan tests" env ASAN_OPTIONS="log_path=$out/asan" \
    UBSAN_OPTIONS="log_path=$out/ubsan" \
    nice -n 10 ctest --preset asan-ubsan
  phase "asan reports" reports "$out"
}

run_tsan() {
  local out=$root/build-tsan/sanitizer-reports
  phase "tsan configure" nice -n 10 cmake --preset tsan >/dev/null || return
  # The actor tests, the HTTP server tests and the e2e tests (test_e2e
  # depends on the bookstore program it starts).
  phase "tsan build" nice -n 10 cmake --build --preset tsan --target \
    test_actors test_http test_e2e || return
  fresh_dir "$out"
  # Options and suppressions: the test preset's; see run_asan for log_path.
  # Label http: all of test_http (parser units and a real server on threads).
  phase "tsan actor+http" env TSAN_OPTIONS="log_path=$out/tsan" \
    nice -n 10 ctest --preset tsan -L '^(actor|http)$'
  phase "tsan e2e concurrency" env TSAN_OPTIONS="log_path=$out/tsan" \
    nice -n 10 ctest --preset tsan -R '^e2e_concurrency$'
  phase "tsan reports" reports "$out"
}

[ "$want" = tsan ] || run_asan
[ "$want" = asan ] || run_tsan

echo
echo "==== sanitizer timings (wall clock)"
printf '%s\n' "${timings[@]}"
printf '%-22s %4d s\n' "total" $((SECONDS - start_all))
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "sanitizers: all clean"
