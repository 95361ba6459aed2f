"""Benchmark of `cacheops reap` against django-cacheops' `reapconjs`, in one run.

  target/compat-venv/bin/python benches/reap.py [--sets 20] [--members 50000] [--rounds 3]

20 conj sets of 50,000 members each, 90% of them dead (their cache keys gone), rebuilt
before every run. Contenders: `python -m django reapconjs` (what `manage.py reapconjs` runs,
Django's boot included), cacheops' `reap_conjs()` timed inside an already booted Django
process, and the `cacheops reap` binary. A concurrent PING loop and Redis' SLOWLOG give the
longest stall; all must leave the same sets.

Needs: redis-server, the compat venv (scripts/test.sh makes it), target/release/cacheops.
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, COMPAT, PY, Redis, timed, with_pings  # noqa: E402

FILL = """
-- ARGV: set number, members, one alive in every N
local s, n, every = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local conj = 'conj:articles_article:category_id=' .. s
for i = 1, n do
  local key = string.format('q:%08d%024d', s, i)
  redis.call('sadd', conj, key)
  if i % every == 0 then redis.call('setex', key, 3600, 'x') end
end
redis.call('expire', conj, 7210)
redis.call('sadd', 'schemes:articles_article', 'category_id')
return 1
"""

FUNCTION = """
import os, sys, time
sys.path.insert(0, os.path.join(%r, 'project'))
os.environ['DJANGO_SETTINGS_MODULE'] = 'settings'
import django; django.setup()
from cacheops.reaper import reap_conjs
sys.stdout.write('ready\\n'); sys.stdout.flush()
sys.stdin.readline()
t = time.perf_counter(); reap_conjs(); print(time.perf_counter() - t)
""" % COMPAT


def fill(r, sets, members):
    script = r.register_script(FILL)
    for s in range(sets):
        script(args=[s, members, 10])


def state(r):
    return sorted((k, r.scard(k)) for k in r.scan_iter('conj:*', count=1000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sets', type=int, default=20)
    ap.add_argument('--members', type=int, default=50000)
    ap.add_argument('--rounds', type=int, default=3)
    a = ap.parse_args()
    server = Redis()
    try:
        r = server.client()
        env = dict(os.environ, COMPAT_REDIS_URL=server.url(), COMPAT_LAYOUT='classic',
                   PYTHONPATH=os.path.join(COMPAT, 'project'), DJANGO_SETTINGS_MODULE='settings')

        def manage_py():
            return timed([PY, '-m', 'django', 'reapconjs'], env)[0]

        def function():
            p = subprocess.Popen([PY, '-c', FUNCTION], env=env, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
            p.stdout.readline()
            return p, lambda: (p.stdin.write('go\n'), p.stdin.flush(), float(p.stdout.readline()))[-1]

        def binary():
            return timed([BIN, '--redis', server.url(), '-q', 'reap'])[0]

        rows, states = [], set()
        for _ in range(a.rounds):
            for name in ('manage.py reapconjs', 'reap_conjs() in a booted process', 'cacheops reap'):
                r.flushdb()
                fill(r, a.sets, a.members)
                if name.startswith('reap_conjs'):
                    proc, go = function()
                    elapsed, pings = with_pings(server, go)
                    proc.wait()
                else:
                    elapsed, pings = with_pings(server, manage_py if name.startswith('manage') else binary)
                states.add(tuple(state(r)))
                rows.append((name, elapsed, pings))
        if len(states) != 1:
            raise SystemExit('the contenders left different conj sets')
        print('%d conj sets x %d members, 90%% dead\n' % (a.sets, a.members))
        print('| contender | time | longest Redis command (SLOWLOG) | longest PING | PING p99.9 '
              '| Redis time in SSCAN / existence checks / SREM |')
        print('|---|---|---|---|---|---|')
        for name, el, p in rows:
            c = p['commands']
            probe = c.get('mget', 0) + c.get('object|encoding', 0)
            print('| %s | %.2f s | %.2f ms (%s) | %.1f ms | %s ms | %.2f s / %.2f s / %.2f s |'
                  % (name, el, p['server_max_ms'], p['server_max_cmd'], p['max_ms'], p['p999_ms'],
                     c.get('sscan', 0), probe, c.get('srem', 0)))
        med = {n: statistics.median(el for m, el, _ in rows if m == n) for n, _, _ in rows}
        ours = med['cacheops reap']
        for n, t in med.items():
            if n != 'cacheops reap':
                print('\ncacheops reap vs %s: %.1fx faster (median %.2f s vs %.2f s)' % (n, t / ours, ours, t))
        # Any reaper must read every member (SSCAN: SMEMBERS would block on a
        # large set) and remove the dead ones (SREM): Redis' time for just those
        # two, in reapconjs' own runs, bounds the speed-up any tool can reach,
        # even one whose existence checks cost nothing.
        ref = 'manage.py reapconjs'
        floor = statistics.median(p['commands'].get('sscan', 0) + p['commands'].get('srem', 0)
                                  for m, _, p in rows if m == ref)
        print('\nfloor: SSCAN + SREM cost Redis %.2f s in reapconjs\' runs; %s takes %.2f s: '
              'no reaper can be more than %.1fx faster' % (floor, ref, med[ref], med[ref] / floor))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
