#!/usr/bin/env bash
# Regenerates completions/ and docs/man/ from the CLI definitions
# (tests/generated.rs fails when the committed copies are stale).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/cacheops
"$bin" completions bash > completions/cacheops.bash
"$bin" completions zsh > completions/_cacheops
"$bin" completions fish > completions/cacheops.fish
"$bin" completions elvish > completions/cacheops.elvish
"$bin" completions powershell > completions/cacheops.ps1
rm -rf docs/man
"$bin" man docs/man
