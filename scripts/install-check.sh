#!/usr/bin/env bash
# The library as an outside project sees it: builds the libraries of the
# optimized tree (build/; only what is installed, not the tests), installs
# them with `cmake --install` into a scratch prefix, then configures
# examples/ as a project of its own against that prefix
# (find_package(bookstore CONFIG REQUIRED)), builds it and runs both
# examples. Each checks its own outcome and exits non-zero if it is wrong.
# The scratch tree is build/install-check/ (prefix/ and examples/), emptied
# first: a fixed path lets ccache reuse the examples' objects.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$PWD/build/install-check
# bookstore_gateway and every library below it: all that is installed.
scripts/build.sh --target bookstore_gateway
rm -rf "$scratch"
cmake --install build --prefix "$scratch/prefix" >/dev/null

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S examples -B "$scratch/examples" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  "${launcher[@]}" >/dev/null
cmake --build "$scratch/examples"
"$scratch/examples/embed"
"$scratch/examples/serve_http"
echo "install-check: examples/ built against the installed package and passed"
