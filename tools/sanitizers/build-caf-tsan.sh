#!/usr/bin/env bash
# Builds CAF 0.17.6 (libcaf_core, libcaf_io, libcaf_openssl) instrumented with ThreadSanitizer
# into build-caf-tsan/build/lib, for the TSan build (build-tsan/) of
# scripts/sanitizers.sh. Prints that directory on its last line.
#
# Why: Debian's libcaf is not instrumented, so TSan cannot see CAF's own
# synchronization (mailboxes, scheduler queues, reference counts) and reports
# thousands of races in our actor and broker code that are none. Suppressing
# CAF by library or by frame (race:libcaf_core.so) does not help: every one of
# those reports has CAF frames, so such a suppression would also hide real
# races in all code that runs in an actor. Linked against an instrumented CAF,
# TSan sees the synchronization, the false reports are gone, and a real race
# anywhere is still reported.
#
# The source is Debian's own copy of upstream 0.17.6
# (actor-framework_0.17.6.orig.tar.gz), downloaded with apt-get source
# through a private deb-src list (this machine's apt configuration is left
# alone) and checked against its SHA-256; or CAF_SOURCE_DIR, an unpacked CAF
# 0.17.6 tree. Debian's changes: caf-0.17.6-debian.patch and -std=c++14.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build-caf-tsan
src=$out/src
orig=actor-framework_0.17.6.orig.tar.gz
orig_sha256=e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c

fetch_orig() {
  local apt=$out/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" \
    "$apt/sources.list.d" "$apt/download"
  : >"$apt/sources.list"
  cat >"$apt/sources.list.d/debian-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local opts=(-o "Dir::Etc::SourceList=$apt/sources.list"
    -o "Dir::Etc::SourceParts=$apt/sources.list.d"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
    -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
  apt-get "${opts[@]}" -qq update
  # Only the upstream tarball is needed, and the checksum below proves it:
  # the mirror's 404 for the .debian.tar.xz is neither fatal nor printed.
  (cd "$apt/download" \
    && apt-get "${opts[@]}" -qq source --download-only \
      actor-framework=0.17.6-2.1 2>/dev/null || true)
  echo "$orig_sha256  $apt/download/$orig" | sha256sum -c --quiet
  tar -xzf "$apt/download/$orig" -C "$src" --strip-components=1
}

if [ ! -f "$src/.ready" ]; then
  rm -rf "$src"
  mkdir -p "$src"
  if [ -n "${CAF_SOURCE_DIR:-}" ]; then
    tar -C "$CAF_SOURCE_DIR" --exclude=.git -cf - . | tar -C "$src" -xf -
  else
    fetch_orig
  fi
  grep -q '^#define CAF_VERSION 1706$' "$src/libcaf_core/caf/config.hpp" \
    || { echo "build-caf-tsan: $src is not CAF 0.17.6" >&2; exit 1; }
  patch -p1 -s -d "$src" <"$root/tools/sanitizers/caf-0.17.6-debian.patch"
  touch "$src/.ready"
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# (Configured again if an earlier configuration left libcaf_openssl out.)
if ! grep -q libcaf_openssl_shared "$out/build/build.ninja" 2>/dev/null; then
  # The configuration of Debian's build (CAF_LOG_LEVEL QUIET gives the same
  # caf/detail/build_config.hpp as /usr/include/caf), plus TSan. A unity
  # build at -O1 with line tables only: CAF's headers dominate the compile
  # time, so 12 unity files take ~1.5 min where 183 files take ~20 min, and
  # TSan's reports still name CAF's files and lines.
  cmake -S "$src" -B "$out/build" -G Ninja "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" \
    -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=24 \
    -DCMAKE_CXX_FLAGS="-std=c++14 -fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread \
    -DCAF_LOG_LEVEL=QUIET -DCAF_NO_EXAMPLES=yes -DCAF_NO_UNIT_TESTS=yes \
    -DCAF_NO_OPENCL=yes -DCAF_NO_OPENSSL=no -DCAF_NO_PYTHON=yes \
    -DCAF_NO_TOOLS=yes -DCAF_NO_SUMMARY=yes >/dev/null
fi
cmake --build "$out/build" -j "${CAF_TSAN_JOBS:-2}" \
  --target libcaf_core_shared libcaf_io_shared libcaf_openssl_shared >&2
echo "$out/build/lib"
