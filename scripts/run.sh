#!/usr/bin/env bash
# Runs cacheops' main job.
#   scripts/run.sh redis://host:6379/1 [LABEL...]   a dry-run invalidation against your Redis (changes nothing)
#   scripts/run.sh [demo options]                   `cacheops demo`: a throwaway Redis with real
#                                                   cacheops data, browsed in the TUI on a terminal
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/cacheops

if [ $# -gt 0 ] && [[ $1 == *://* ]]; then
  url=$1; shift
  # A dry run: shows what `invalidate` would delete, deletes nothing.
  exec "$bin" --redis "$url" invalidate "${@:-all}" --dry-run -v
fi
# No terminal (CI, a pipe): the demo prints what it holds and how to try it, for 10 seconds.
if [ ! -t 0 ] || [ ! -t 1 ]; then
  exec "$bin" demo --no-tui --for "${DEMO_SECONDS:-10}" "$@"
fi
exec "$bin" demo "$@"
