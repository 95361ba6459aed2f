"""Benchmark of `cacheops cleanfilecache` against the exact `find` command that
django-cacheops' `manage.py cleanfilecache` runs, in one run.

  python3 benches/cleanfilecache.py [--entries 200000] [--rounds 3]

A file cache in cacheops' layout (<dir>/<md5[-2:]>/<md5[:-2]>, mtime = expiry), half of it
expired, is rebuilt before every run of either contender; after the build the script waits
out the cleaner's grace period so both see the same expired files. Reported: wall time,
files looked at per second, peak memory (ru_maxrss of the process, from wait4), and the files
each left (they must agree). A second size shows whether memory grows with the file count.

Needs: target/release/cacheops (cargo build --release), GNU find.
"""
import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get('CACHEOPS_BIN', os.path.join(ROOT, 'target', 'release', 'cacheops'))
GRACE = 5


def build(root, n):
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    now = time.time()
    payload = b'\x80\x04\x95' + b'x' * 200  # a small pickle-sized body
    made = set()
    for i in range(n):
        d = hashlib.md5(b'cacheops-bench:%d' % i).hexdigest()
        shard = os.path.join(root, d[-2:])
        if shard not in made:
            os.makedirs(shard, exist_ok=True)
            made.add(shard)
        path = os.path.join(shard, d[:-2])
        fd = os.open(path, os.O_EXCL | os.O_WRONLY | os.O_CREAT)
        os.write(fd, payload)
        os.close(fd)
        os.utime(path, (0, now + (-3600 if i % 2 else 3600)))


def count(root):
    return sum(len(files) for _, _, files in os.walk(root))


def run(cmd):
    """Wall time, and peak RSS in KiB measured by GNU time (a fork of this
    Python process would count Python's own pages as the child's)."""
    out = tempfile.NamedTemporaryFile(mode='r')
    full = ['/usr/bin/time', '-f', '%M', '-o', out.name] + cmd if os.path.exists('/usr/bin/time') else cmd
    t = time.perf_counter()
    r = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit('failed (%d): %s\n%s' % (r.returncode, ' '.join(cmd), r.stderr.decode()))
    rss = out.read().strip().splitlines()
    return elapsed, int(rss[-1]) if rss else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--entries', type=int, default=200000)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--dir', default=None, help='where to build the caches (default: a temp dir)')
    a = ap.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit('build it first: cargo build --release (%s missing)' % BIN)
    base = a.dir or tempfile.mkdtemp(prefix='cacheops-bench-fc-')
    root = os.path.join(base, 'cache')
    contenders = [
        ('find (manage.py cleanfilecache)', lambda: ['find', root, '-type', 'f', '!', '-iname', '.', '-mmin', '+0', '-delete']),
        ('cacheops cleanfilecache', lambda: [BIN, 'cleanfilecache', root]),
    ]
    results = {}
    for n in (a.entries // 2, a.entries):
        for name, cmd in contenders:
            for _ in range(a.rounds if n == a.entries else 1):
                build(root, n)
                time.sleep(GRACE + 1)  # past the cleaner's grace: every expired file is fair game
                elapsed, rss = run(cmd())
                left = count(root)
                results.setdefault((n, name), []).append((elapsed, rss, left))
    shutil.rmtree(base, ignore_errors=True)

    print('| entries (half expired) | contender | time (median) | files/s | peak RSS | files left |')
    print('|---|---|---|---|---|---|')
    for (n, name), runs in sorted(results.items()):
        t = statistics.median(r[0] for r in runs)
        print('| %d | %s | %.3f s | %.0f | %.1f MiB | %d |'
              % (n, name, t, n / t, max(r[1] for r in runs) / 1024, runs[0][2]))
    lefts = {r[2] for (n, _), runs in results.items() if n == a.entries for r in runs}
    if len(lefts) != 1:
        raise SystemExit('the contenders left different file counts: %s' % lefts)
    f = statistics.median(r[0] for r in results[(a.entries, contenders[0][0])])
    c = statistics.median(r[0] for r in results[(a.entries, contenders[1][0])])
    print('\n%d entries: cacheops cleanfilecache %.2fx find\'s files per second' % (a.entries, f / c))


if __name__ == '__main__':
    main()
