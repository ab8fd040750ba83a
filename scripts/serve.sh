#!/usr/bin/env bash
# Installs what is missing, builds, and serves the API on the embedded
# default (bookstore.db in the current folder). Extra arguments go to
# `bookstore serve`, e.g. --port 9000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh --target bookstore
exec build/bookstore serve "$@"
