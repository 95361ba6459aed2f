#!/usr/bin/env bash
# Runs cacheops' main job, `invalidate`, safely.
#   scripts/run.sh redis://host:6379/1 [LABEL...]   dry run against your Redis
#   scripts/run.sh                                  a throwaway demo Redis
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/cacheops

if [ $# -gt 0 ]; then
  url=$1; shift
  # A dry run: shows what `invalidate` would delete, deletes nothing.
  exec "$bin" --redis "$url" invalidate "${@:-all}" --dry-run -v
fi

command -v redis-server >/dev/null || { echo "run.sh: redis-server is missing: apt-get install redis-server" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
url="redis://127.0.0.1:$port/0"
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# A few entries shaped as django-cacheops' classic layout writes them.
redis-cli -p "$port" >/dev/null <<'REDIS'
SETEX q:0d1b08c34858921bc7c662b228acb7ba 900 pickle-article-34
SETEX q:5f2b51f8b0e4b5a3c9d1e2f3a4b5c6d7 900 pickle-published-in-3
SETEX as:9a0364b9e99bb480dd25e1f0284c8555 900 pickle-count
SETEX q:77aa0f5c3d2e1b0a99887766554433ff 900 pickle-tag-5
SADD schemes:articles_article id category_id,is_published ""
SADD schemes:articles_tag id
SADD conj:articles_article:id=34 q:0d1b08c34858921bc7c662b228acb7ba
SADD conj:articles_article:category_id=3&is_published=true q:5f2b51f8b0e4b5a3c9d1e2f3a4b5c6d7
SADD conj:articles_article: as:9a0364b9e99bb480dd25e1f0284c8555
SADD conj:articles_tag:id=5 q:77aa0f5c3d2e1b0a99887766554433ff
REDIS

echo "demo Redis at $url"
echo "\$ cacheops invalidate articles.Article.34 --dry-run -v"
"$bin" --redis "$url" invalidate articles.Article.34 --dry-run -v
echo "\$ cacheops invalidate articles.Article.34 --fields '{\"id\": 34, \"category_id\": 3, \"is_published\": true}'"
"$bin" --redis "$url" invalidate articles.Article.34 --fields '{"id": 34, "category_id": 3, "is_published": true}'
echo "\$ redis-cli --scan   # what is left"
redis-cli -p "$port" --scan | sort
