#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests against a real
# redis-server, then the compatibility suite against real django-cacheops.
# Installs what is missing: redis-server, tmux (it drives the TUI end to end),
# postgresql and mariadb-server (throwaway servers for `invalidate --database`)
# with apt-get, and a Python venv with django-cacheops from PyPI
# (target/compat-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} (Debian packages)" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv=target/compat-venv
reqs=tests/compat/requirements.txt
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s "$reqs" "$venv/.requirements"; then
  echo "test.sh: creating $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"
  cp "$reqs" "$venv/.requirements"
fi

cargo build --locked
cargo test --locked
CACHEOPS_BIN="$PWD/target/debug/cacheops" "$venv/bin/python" -m pytest tests/compat -q "$@"
