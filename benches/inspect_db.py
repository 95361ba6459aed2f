"""`cacheops inspect` on a large db: wall time, peak memory, and the longest
Redis stall, at two sizes (memory must not grow with the db).

  target/compat-venv/bin/python benches/inspect_db.py

Data: the same shape as benches/invalidate.py part 2 (conj sets of 4 members each plus
their cache keys, two tables), at ~250k and ~1.25M keys.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, Redis, with_pings  # noqa: E402
from invalidate import fill_large  # noqa: E402


def run_inspect(url):
    out = tempfile.NamedTemporaryFile(mode='r')
    cmd = [BIN, '--redis', url, '--json', 'inspect']
    if os.path.exists('/usr/bin/time'):
        cmd = ['/usr/bin/time', '-f', '%M', '-o', out.name] + cmd
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(r.stderr.decode())
    rss = out.read().strip().splitlines()
    return elapsed, int(rss[-1]) if rss else 0


def main():
    server = Redis()
    try:
        r = server.client()
        print('| keys | time | peak RSS | longest Redis command (SLOWLOG) | longest PING |')
        print('|---|---|---|---|---|')
        for model_sets, other_sets in ((10000, 40000), (50000, 200000)):
            r.flushdb()
            fill_large(r, model_sets, other_sets)
            n = r.dbsize()
            res = {}
            elapsed, pings = with_pings(server, lambda: res.setdefault('run', run_inspect(server.url())))[0:2]
            el, rss = res['run']
            print('| %d | %.2f s | %.1f MiB | %.2f ms (%s) | %.1f ms |'
                  % (n, el, rss / 1024, pings['server_max_ms'], pings['server_max_cmd'], pings['max_ms']))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
