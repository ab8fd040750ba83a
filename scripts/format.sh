#!/usr/bin/env bash
# Checks that every C++ source file in the repository is formatted as
# .clang-format says (clang-format 14, Debian 12's). Exits non-zero and names
# the files if one is not. `scripts/format.sh --fix` rewrites them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang-format
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "clang-format: the files above are not formatted;" \
    "scripts/format.sh --fix rewrites them" >&2
  exit 1
fi
echo "clang-format: ${#files[@]} files formatted"
