"""How fast an event stream `cacheops stats` keeps up with, in one run.

  target/compat-venv/bin/python benches/stats.py

redis-benchmark (Debian's redis-tools) GETs missing cache-shaped keys
(`q:<32 digits>`), so every request publishes one `keymiss` event on the db's
keyevent channel; `cacheops stats --json` counts them. Load rises step by step
(more clients, deeper pipelines); for each step: the event rate Redis produced
(requests/s), the share of events counted (100% = kept up; less = the
subscription fell behind and was dropped by Redis' pubsub output-buffer limit,
which the tool reports as events_lost), and the tool's CPU and peak memory
(GNU time).

Needs: redis-server, redis-benchmark, /usr/bin/time, target/release/cacheops.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, Redis  # noqa: E402

STEPS = [(1, 1), (2, 4), (4, 8), (8, 16), (16, 32), (32, 64)]  # (clients, pipeline)
REQUESTS = 1_000_000


def main():
    server = Redis()
    try:
        r = server.client(0)
        r.config_set('notify-keyspace-events', 'Eg$slxem')
        print('| clients x pipeline | events/s produced | events counted | events lost reported | tool CPU time | events per CPU-second | tool peak RSS |')
        print('|---|---|---|---|---|---|---|')
        for clients, pipeline in STEPS:
            timing = tempfile.NamedTemporaryFile(mode='r')
            out = tempfile.NamedTemporaryFile(mode='r')
            tool = subprocess.Popen(
                ['/usr/bin/time', '-f', '%e %U %S %M', '-o', timing.name, BIN, '--redis', server.url(0),
                 '--json', 'stats', '--interval', '0.5'],
                stdout=open(out.name, 'w'), stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(1.0)
            bench = subprocess.run(
                ['redis-benchmark', '-p', str(server.port), '-n', str(REQUESTS), '-c', str(clients),
                 '-P', str(pipeline), '-r', '1000000000', '-q', 'GET', 'q:00000000000000000000__rand_int__'],
                capture_output=True, text=True)
            rps = float(re.findall(r'([\d.]+) requests per second', bench.stdout)[-1])
            time.sleep(1.5)
            os.killpg(tool.pid, 2)  # SIGINT to time and the tool: final totals
            tool.wait()
            lines = out.read().strip().splitlines()
            counted = __import__('json').loads(lines[-1])['totals']['misses']
            lost = any('"events_lost":true' in l for l in lines)
            wall, user, sys_, rss = timing.read().split()[-4:]
            cpu = float(user) + float(sys_)
            print('| %d x %d | %.0f | %d (%.1f%%) | %s | %.2f s | %.0f | %.1f MiB |'
                  % (clients, pipeline, rps, counted, counted * 100.0 / REQUESTS,
                     'yes' if lost else 'no', cpu, counted / cpu if cpu else 0, int(rss) / 1024))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
