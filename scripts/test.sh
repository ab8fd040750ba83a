#!/usr/bin/env bash
# The whole test suite: installs what is missing, checks the formatting of
# every source file (scripts/format.sh), builds, then runs
#   1. every CTest test in the ASan+UBSan build, and the actor and HTTP
#      concurrency tests in a TSan build (scripts/sanitizers.sh);
#   2. the installed library: `cmake --install` of the ASan+UBSan build's
#      libraries, examples/ built and run against it (scripts/install-check.sh);
#   3. every libFuzzer target for FUZZ_SECONDS each (scripts/fuzz.sh).
# The sanitized run is the suite's run: it checks all the optimized build
# would, and more, and one build of the suite fits CI's time where two did
# not. BOOKSTORE_TEST_QUICK=1 runs the suite once in the optimized build
# (build/) instead, with the arguments given to its ctest (e.g. -L actor),
# then scripts/install-check.sh.
# Longer runs: BOOKSTORE_CRASH_ROUNDS, BOOKSTORE_SOAK_SECONDS, FUZZ_SECONDS
# (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/format.sh
if [ "${BOOKSTORE_TEST_QUICK:-0}" = 1 ]; then
  scripts/build.sh
  ctest --preset release "$@"
  exec scripts/install-check.sh
fi
scripts/sanitizers.sh
scripts/install-check.sh asan-ubsan
FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh
