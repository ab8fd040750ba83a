#!/usr/bin/env bash
# The library as an outside project sees it: installs the libraries of a
# build tree with `cmake --install` into a scratch prefix, then configures
# examples/ as a project of its own against that prefix
# (find_package(bookstore CONFIG REQUIRED)), builds it and runs both
# examples. Each checks its own outcome and exits non-zero if it is wrong.
#
#   scripts/install-check.sh             the optimized build (build/)
#   scripts/install-check.sh asan-ubsan  the ASan+UBSan build (build-asan/),
#                                        examples compiled with the same flags
#
# The full test command uses asan-ubsan: that tree is already built, where
# the optimized one would be one more build of every library only for this.
# Only what is installed is built (bookstore_gateway and the libraries below
# it), not the tests. The scratch tree is <build>/install-check/ (prefix/ and
# examples/), emptied first: a fixed path lets ccache reuse the examples'
# objects.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

preset=${1:-release}
flags=()
case $preset in
  release)
    tree=build
    scripts/build.sh --target bookstore_gateway
    ;;
  asan-ubsan)
    tree=build-asan
    cmake --preset asan-ubsan >/dev/null
    cmake --build --preset asan-ubsan --target bookstore_gateway
    # The flags CMakeLists.txt adds for BOOKSTORE_SANITIZE=address-undefined,
    # and the asan-ubsan test preset's options (CMakePresets.json).
    flags=(-DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer"
           -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined")
    export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions=$root/tools/sanitizers/lsan.supp:print_suppressions=0
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$root/tools/sanitizers/ubsan.supp
    ;;
  *) echo "usage: $0 [release|asan-ubsan]" >&2; exit 2 ;;
esac

scratch=$root/$tree/install-check
rm -rf "$scratch"
cmake --install "$tree" --prefix "$scratch/prefix" >/dev/null

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S examples -B "$scratch/examples" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  "${launcher[@]}" "${flags[@]}" >/dev/null
cmake --build "$scratch/examples"
"$scratch/examples/embed"
"$scratch/examples/serve_http"
echo "install-check: examples/ built against the package installed from" \
  "$tree/ and passed"
