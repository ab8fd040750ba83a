#!/usr/bin/env bash
# Installs what is missing and builds the optimized tree in build/; extra
# arguments go to `cmake --build`, e.g. --target bookstore.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# ccache may reuse precompiled CAF headers only with these.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
cmake --preset release >/dev/null
cmake --build --preset release "$@"
