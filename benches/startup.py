"""Release binary size and start-up time, next to what the Django way costs
before it does anything: booting the app (`django.setup()` of the compat
project, as `manage.py invalidate` must).

  cargo build --release
  target/compat-venv/bin/python benches/startup.py [--runs 30]

Times are whole processes, median of --runs: `cacheops --version`; `cacheops
invalidate articles.Article --dry-run -q` against a throwaway redis-server
(settings, connection, one SCAN walk of an empty db); Python importing Django
and calling django.setup() with the compat project's settings.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, COMPAT, PY, Redis  # noqa: E402


def median_time(cmd, runs, env=None):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=30)
    args = ap.parse_args()
    server = Redis()
    try:
        env = dict(os.environ, COMPAT_REDIS_URL=server.url(), COMPAT_LAYOUT='classic',
                   PYTHONPATH=os.path.join(COMPAT, 'project'), DJANGO_SETTINGS_MODULE='settings')
        version = median_time([BIN, '--version'], args.runs)
        inval = median_time([BIN, '--redis', server.url(), 'invalidate', 'articles.Article', '--dry-run', '-q',
                             '--missing-ok'], args.runs)
        django = median_time([PY, '-c', 'import django; django.setup()'], args.runs, env)
        size = os.path.getsize(BIN)
        print('| release binary | `cacheops --version` | `cacheops invalidate articles.Article --dry-run` | '
              'Python: `import django; django.setup()` |')
        print('|---|---|---|---|')
        print('| %.1f MiB | %.1f ms | %.1f ms | %.0f ms |'
              % (size / 2**20, version * 1000, inval * 1000, django * 1000))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
