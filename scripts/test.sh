#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, then runs
#   1. every CTest test in the optimized build (build/);
#   2. every test again in an ASan+UBSan build, and the actor and HTTP
#      concurrency tests in a TSan build (scripts/sanitizers.sh);
#   3. every libFuzzer target for FUZZ_SECONDS each (scripts/fuzz.sh).
# Arguments go to the first ctest run (e.g. -L gateway). BOOKSTORE_TEST_QUICK=1
# stops after step 1. Longer runs: BOOKSTORE_CRASH_ROUNDS, BOOKSTORE_SOAK_SECONDS,
# FUZZ_SECONDS (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --preset release "$@"
[ "${BOOKSTORE_TEST_QUICK:-0}" != 1 ] || exit 0
scripts/sanitizers.sh
FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh
