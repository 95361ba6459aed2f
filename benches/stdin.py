"""`cacheops invalidate --stdin` vs a Python loop over cacheops' own
`invalidate_dict`, on the same JSON lines and the same data.

  cargo build --release
  target/compat-venv/bin/python benches/stdin.py [--rows 50000] [--rounds 3]

Data: for each row id i of articles_article, a conj set `id=i` with 2 cache
keys (benches/invalidate.py's FILL), among nothing else. Each line names one
row: {"table": "articles_article", "obj": {"id": i, "title": ..., "category_id": ...}}.
The Python loop is timed inside its process (Django's boot left out); ours is
the whole process, reading the lines from a file on stdin. Both must leave the
same number of keys (every row's conj set and cache keys gone).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, COMPAT, PY, Redis  # noqa: E402
from invalidate import FILL  # noqa: E402

REFERENCE = """
import json, os, sys, time
sys.path.insert(0, os.path.join(%r, 'project'))
os.environ['DJANGO_SETTINGS_MODULE'] = 'settings'
import django; django.setup()
from cacheops.invalidation import invalidate_dict
from articles.models import Article
lines = open(sys.argv[1]).read().splitlines()
t = time.perf_counter()
for line in lines:
    invalidate_dict(Article, json.loads(line)['obj'])
print(time.perf_counter() - t)
""" % COMPAT


def fill(r, rows):
    script = r.register_script(FILL)
    for first in range(1, rows + 1, 10000):
        script(args=[first, min(10000, rows - first + 1), 'articles_article', 2, 3600])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rows', type=int, default=50000)
    ap.add_argument('--rounds', type=int, default=3)
    args = ap.parse_args()
    server = Redis()
    lines = tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False)
    for i in range(1, args.rows + 1):
        lines.write(json.dumps({'table': 'articles_article',
                                'obj': {'id': i, 'title': 'row %d' % i, 'category_id': i % 50}}) + '\n')
    lines.close()
    env = dict(os.environ, COMPAT_REDIS_URL=server.url(), COMPAT_LAYOUT='classic',
               COMPAT_DB=os.path.join(tempfile.gettempdir(), 'cacheops-bench-stdin.sqlite3'))
    try:
        r = server.client()
        py_s, ours_s = [], []
        for _ in range(args.rounds):
            r.flushdb()
            fill(r, args.rows)
            out = subprocess.run([PY, '-c', REFERENCE, lines.name], env=env, check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
            py_s.append(float(out.strip().splitlines()[-1]))
            left_py = r.dbsize()
            r.flushdb()
            fill(r, args.rows)
            t = time.perf_counter()
            with open(lines.name) as f:
                subprocess.run([BIN, '--redis', server.url(), '-q', 'invalidate', '--stdin'],
                               stdin=f, check=True)
            ours_s.append(time.perf_counter() - t)
            if r.dbsize() != left_py:
                raise SystemExit('cacheops --stdin left %d keys, the Python loop %d' % (r.dbsize(), left_py))
        a, b = statistics.median(py_s), statistics.median(ours_s)
        print('| lines | Python loop over invalidate_dict (in-process) | cacheops invalidate --stdin (whole process) | speed-up |')
        print('|---|---|---|---|')
        print('| %d | %.2f s (%.0f lines/s) | %.2f s (%.0f lines/s) | %.1fx |'
              % (args.rows, a, args.rows / a, b, args.rows / b, a / b))
    finally:
        server.stop()
        os.unlink(lines.name)


if __name__ == '__main__':
    main()
