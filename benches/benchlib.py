"""Shared pieces of the benchmark scripts: a throwaway redis-server, timing,
and a PING loop that measures how long Redis stalls."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPAT = os.path.join(ROOT, 'tests', 'compat')
BIN = os.environ.get('CACHEOPS_BIN', os.path.join(ROOT, 'target', 'release', 'cacheops'))
PY = sys.executable


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Redis:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix='cacheops-bench-')
        self.proc = subprocess.Popen(
            ['redis-server', '--port', str(self.port), '--bind', '127.0.0.1', '--save', '',
             '--appendonly', 'no', '--dir', self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis
        self.client = lambda db=1: redis.Redis(port=self.port, db=db)
        for _ in range(100):
            try:
                self.client().ping()
                break
            except Exception:
                time.sleep(0.05)

    def url(self, db=1):
        return 'redis://127.0.0.1:%d/%d' % (self.port, db)

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def timed(cmd, env=None):
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit('failed: %s\n%s%s' % (' '.join(cmd), r.stdout, r.stderr))
    return elapsed, r.stdout


def with_pings(server, fn):
    """Runs fn while PINGing; returns its time, the PING stats and the longest
    command Redis itself logged (SLOWLOG, commands over 0.5 ms)."""
    r = server.client()
    r.config_set('slowlog-log-slower-than', 500)
    r.config_set('slowlog-max-len', 100000)
    r.slowlog_reset()
    r.config_resetstat()
    ping = subprocess.Popen([PY, os.path.join(ROOT, 'benches', 'pingloop.py'), str(server.port)],
                            stdout=subprocess.PIPE, text=True)
    ping.stdout.readline()  # ready
    time.sleep(0.2)
    try:
        elapsed = fn()
    finally:
        time.sleep(0.2)
        ping.terminate()
        stats = json.loads(ping.stdout.readline())
        ping.wait()
    slow = [e for e in r.slowlog_get(100000) if e['command'].split()[0].upper() != b'SLOWLOG']
    stats['server_max_ms'] = max((e['duration'] for e in slow), default=0) / 1000
    stats['server_max_cmd'] = max(slow, key=lambda e: e['duration'])['command'].split()[0].decode() if slow else '-'
    stats['commands'] = command_seconds(r)
    return elapsed, stats


def command_seconds(r):
    """Redis' own time per command since the last CONFIG RESETSTAT (INFO
    commandstats), in seconds: {'scan': 0.88, ...}. A script's time includes
    the commands it called, which are counted under their own names too."""
    return {name[len('cmdstat_'):]: v['usec'] / 1e6
            for name, v in r.info('commandstats').items()}


