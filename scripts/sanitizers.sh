#!/usr/bin/env bash
# Sanitizer runs: the whole test suite in the ASan+UBSan build (build-asan/),
# the actor and gateway concurrency tests in the TSan build (build-tsan/).
# Neither builds the benchmarks; the TSan build only what its tests need.
# Exits non-zero if a build or a test fails or if any process (test programs
# and the `bookstore` servers they start) wrote a sanitizer report; the
# reports are printed.
#
#   scripts/sanitizers.sh          both
#   scripts/sanitizers.sh asan     only ASan+UBSan
#   scripts/sanitizers.sh tsan     only TSan
#
# Both builds compile with -O1 -g1 (CMakePresets.json): quicker to compile
# than -O2 -g, quicker to run than -O0, and reports still name lines.
# The sanitizer options are the test presets' (CMakePresets.json), the
# suppressions (findings inside CAF only, each with its reason)
# tools/sanitizers/{ubsan,lsan,tsan}.supp. The TSan build links a CAF 0.17.6
# built with TSan (tools/sanitizers/build-caf-tsan.sh, into build-caf-tsan/):
# Debian's is not instrumented.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

want=${1:-all}
case $want in
  all | asan | tsan) ;;
  *) echo "usage: $0 [all|asan|tsan]" >&2; exit 2 ;;
esac

# patch: tools/sanitizers/build-caf-tsan.sh applies Debian's changes to CAF.
scripts/install-deps.sh patch || exit 1
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

# caf_is_instrumented PROGRAM...: each loads libcaf_* from build-caf-tsan/.
caf_is_instrumented() {
  local p bad=0
  for p in "$@"; do
    if ldd "$p" | grep 'libcaf_' | grep -qv "$root/build-caf-tsan/"; then
      echo "$p does not load the instrumented CAF:" >&2
      ldd "$p" | grep 'libcaf_' >&2
      bad=1
    fi
  done
  return $bad
}

run_asan() {
  local out=$root/build-asan/sanitizer-reports
  phase "asan configure" cmake --preset asan-ubsan >/dev/null || return
  # Everything the suite runs (the preset leaves the benchmarks out).
  phase "asan build" cmake --build --preset asan-ubsan || return
  fresh_dir "$out"
  # The options and suppression files are the test preset's (CMakePresets.json);
  # log_path adds that the reports of every process, also of the servers the
  # e2e and crash tests start (their stderr is a temporary file), land in
  # $out, printed below.
  phase "asan tests" env ASAN_OPTIONS="log_path=$out/asan" \
    UBSAN_OPTIONS="log_path=$out/ubsan" \
    ctest --preset asan-ubsan
  phase "asan reports" reports "$out"
}

run_tsan() {
  local out=$root/build-tsan/sanitizer-reports
  # The tsan preset links CAF built with TSan (see tools/sanitizers/tsan.supp
  # for why); ccache makes this cheap after the first time.
  phase "tsan caf build" tools/sanitizers/build-caf-tsan.sh >/dev/null || return
  phase "tsan configure" cmake --preset tsan >/dev/null || return
  # The actor tests, the HTTP server tests and the e2e tests (test_e2e
  # depends on the bookstore program it starts).
  phase "tsan build" cmake --build --preset tsan --target \
    test_actors test_http test_e2e || return
  # Against Debian's libcaf TSan would report races that are none.
  phase "tsan caf check" caf_is_instrumented build-tsan/tests/actors/test_actors \
    build-tsan/bookstore || return
  fresh_dir "$out"
  # Options and suppressions: the test preset's; see run_asan for log_path.
  # Label gateway-http: all of test_http (parser units and a real server on
  # threads).
  phase "tsan actor+http" env TSAN_OPTIONS="log_path=$out/tsan" \
    ctest --preset tsan -L '^(actor|gateway-http)$'
  phase "tsan e2e concurrency" env TSAN_OPTIONS="log_path=$out/tsan" \
    ctest --preset tsan -R '^e2e_concurrency$'
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
