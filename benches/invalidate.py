"""Benchmarks of `cacheops invalidate` against django-cacheops itself, in one run.

  target/compat-venv/bin/python benches/invalidate.py [--rounds N] [--skip-large]

Part 1, one command from a shell: `cacheops invalidate articles.Article.1 --fields ...` and
`cacheops invalidate articles.Article` vs `python -m django invalidate` (what `manage.py
invalidate` runs) on the compat project (tests/compat/project), same data restored before
every run. Wall time of the whole command, median of N rounds.

Part 2, one large model: ~200k cache keys in ~50k conj keys of articles_article among ~1M keys
of another table. cacheops' `invalidate_model(Article)` (timed inside an already booted Django
process) vs the `cacheops` binary (timed as a whole process), with a concurrent PING loop
(benches/pingloop.py) reporting the longest stall any other client saw. The data is rebuilt
before every run; both must leave the same number of keys.

Needs: redis-server, the compat venv (scripts/test.sh makes it), target/release/cacheops.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, COMPAT, PY, Redis, timed, with_pings  # noqa: E402


def snapshot(r):
    out = []
    for k in r.scan_iter(count=1000):
        out.append((k, r.pttl(k), r.dump(k)))
    return out


def restore(r, snap):
    r.flushdb()
    p = r.pipeline(transaction=False)
    for k, pttl, blob in snap:
        p.restore(k, max(pttl, 0), blob)
    p.execute()


def part1(rounds):
    server = Redis()
    try:
        db = os.path.join(tempfile.mkdtemp(prefix='cacheops-bench-db-'), 'compat.sqlite3')
        env = dict(os.environ, COMPAT_REDIS_URL=server.url(), COMPAT_LAYOUT='classic', COMPAT_DB=db,
                   PYTHONPATH=os.path.join(COMPAT, 'project'), DJANGO_SETTINGS_MODULE='settings')
        driver = [PY, os.path.join(COMPAT, 'driver.py')]
        timed(driver + ['setup'], env)
        timed(driver + ['populate'], env)
        fields = timed(driver + ['fields', 'articles.Article', '1'], env)[1].strip()
        r = server.client()
        snap = snapshot(r)
        cases = [
            ('articles.Article.1',
             [PY, '-m', 'django', 'invalidate', 'articles.Article.1'],
             [BIN, '--redis', server.url(), '-q', 'invalidate', 'articles.Article.1', '--fields', fields]),
            ('articles.Article',
             [PY, '-m', 'django', 'invalidate', 'articles.Article'],
             [BIN, '--redis', server.url(), '-q', 'invalidate', 'articles.Article']),
        ]
        rows = []
        for label, ref, ours in cases:
            t_ref, t_ours = [], []
            for _ in range(rounds):
                restore(r, snap)
                t_ref.append(timed(ref, env)[0])
                left_ref = r.dbsize()
                restore(r, snap)
                t_ours.append(timed(ours, env)[0])
                if r.dbsize() != left_ref:
                    raise SystemExit('%s: cacheops left %d keys, manage.py %d' % (label, r.dbsize(), left_ref))
            a, b = statistics.median(t_ref), statistics.median(t_ours)
            rows.append((label, a, b, a / b))
        return rows
    finally:
        server.stop()


FILL = """
-- ARGV: first id, count, table, members per set, ttl
local first, count, tbl, per, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
for i = first, first + count - 1 do
  local conj = 'conj:' .. tbl .. ':id=' .. i
  for j = 1, per do
    local key = 'q:' .. string.format('%s%012d%04d', string.sub(tbl, 1, 8), i, j)
    redis.call('setex', key, ttl, 'x')
    redis.call('sadd', conj, key)
  end
  redis.call('expire', conj, ttl * 2 + 10)
end
redis.call('sadd', 'schemes:' .. tbl, 'id', '')
return 1
"""


def fill_large(r, model_sets, other_sets, per=4):
    script = r.register_script(FILL)
    step = 10000
    for first in range(1, model_sets + 1, step):
        script(args=[first, min(step, model_sets - first + 1), 'articles_article', per, 3600])
    for first in range(1, other_sets + 1, step):
        script(args=[first, min(step, other_sets - first + 1), 'shop_product', per, 3600])
    # The empty conjunction: every unfiltered query of the table, one large set.
    members = ['q:articles%012d%04d' % (i, 1) for i in range(1, 20001)]
    for k in range(0, len(members), 1000):
        r.sadd('conj:articles_article:', *members[k:k + 1000])
    r.expire('conj:articles_article:', 7210)


REFERENCE = """
import os, sys, time
sys.path.insert(0, os.path.join(%r, 'project'))
os.environ['DJANGO_SETTINGS_MODULE'] = 'settings'
import django; django.setup()
from cacheops import invalidate_model
from articles.models import Article
import sys
sys.stdout.write('ready\\n'); sys.stdout.flush()
sys.stdin.readline()
t = time.perf_counter(); invalidate_model(Article); print(time.perf_counter() - t)
""" % COMPAT


def part2(rounds, model_sets, other_sets):
    server = Redis()
    try:
        r = server.client()
        env = dict(os.environ, COMPAT_REDIS_URL=server.url(), COMPAT_LAYOUT='classic')
        results = {'cacheops (python) invalidate_model': [], 'cacheops invalidate (this tool)': []}
        for _ in range(rounds):
            for name in results:
                r.flushdb()
                fill_large(r, model_sets, other_sets)
                total = r.dbsize()
                if name.startswith('cacheops (python)'):
                    ref = subprocess.Popen([PY, '-c', REFERENCE], env=env, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True)
                    ref.stdout.readline()  # Django booted

                    def run_ref():
                        ref.stdin.write('go\n')
                        ref.stdin.flush()
                        out = float(ref.stdout.readline())
                        ref.wait()
                        return out
                    elapsed, pings = with_pings(server, run_ref)
                else:
                    elapsed, pings = with_pings(server, lambda: timed(
                        [BIN, '--redis', server.url(), '-q', 'invalidate', 'articles.Article'])[0])
                left = r.dbsize()
                results[name].append((elapsed, pings['max_ms'], pings['p999_ms'], total, left,
                                      pings['server_max_ms'], pings['server_max_cmd'], pings['commands']))
        lefts = {v[4] for runs in results.values() for v in runs}
        if len(lefts) != 1:
            raise SystemExit('the two left different key counts: %s' % results)
        return results
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--large-rounds', type=int, default=3)
    ap.add_argument('--model-sets', type=int, default=50000)
    ap.add_argument('--other-sets', type=int, default=200000)
    ap.add_argument('--skip-large', action='store_true')
    a = ap.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit('build it first: cargo build --release (%s missing)' % BIN)

    print('## Part 1: one command, wall time (median of %d)\n' % a.rounds)
    print('| label | manage.py invalidate | cacheops invalidate | speed-up |')
    print('|---|---|---|---|')
    for label, ref, ours, ratio in part1(a.rounds):
        print('| `%s` | %.3f s | %.4f s | %.0fx |' % (label, ref, ours, ratio))
    if a.skip_large:
        return
    print('\n## Part 2: one large model (%d conj keys x 4 + a 20k-member set, among %d conj keys x 4 of another table)\n'
          % (a.model_sets, a.other_sets))
    print('| run | keys before | keys after | time | longest command in Redis (SLOWLOG) | longest PING seen by another client | PING p99.9 '
          '| Redis time in KEYS / SCAN / SUNION / UNLINK |')
    print('|---|---|---|---|---|---|---|---|')
    res = part2(a.large_rounds, a.model_sets, a.other_sets)
    for name, runs in res.items():
        for el, mx, p999, total, left, smax, scmd, c in runs:
            print('| %s | %d | %d | %.2f s | %.2f ms (%s) | %.1f ms | %s ms | %.2f s / %.2f s / %.2f s / %.2f s |'
                  % (name, total, left, el, smax, scmd, mx, p999,
                     c.get('keys', 0), c.get('scan', 0), c.get('sunion', 0), c.get('unlink', 0)))
    ref_runs = res['cacheops (python) invalidate_model']
    ref = statistics.median(v[0] for v in ref_runs)
    ours = statistics.median(v[0] for v in res['cacheops invalidate (this tool)'])
    print('\nmedian time: invalidate_model %.2f s, cacheops invalidate %.2f s (ratio %.2f)' % (ref, ours, ours / ref))
    # Without KEYS the keyspace is walked by SCAN, and every tool still has to
    # read the sets' members and delete the keys: Redis' time for SCAN (in this
    # tool's runs) plus SUNION and UNLINK (in cacheops' own runs) is a floor
    # for any invalidation that never blocks, however few round trips it makes.
    scan = statistics.median(v[7].get('scan', 0) for v in res['cacheops invalidate (this tool)'])
    read_delete = statistics.median(v[7].get('sunion', 0) + v[7].get('unlink', 0) for v in ref_runs)
    print('floor without KEYS: SCAN %.2f s + reading and deleting %.2f s = %.2f s of Redis time, '
          '%.2fx invalidate_model\'s %.2f s' % (scan, read_delete, scan + read_delete, (scan + read_delete) / ref, ref))
    for name, runs in res.items():
        print('%s: longest Redis command %.2f ms, longest PING %.1f ms'
              % (name, max(v[5] for v in runs), max(v[1] for v in runs)))


if __name__ == '__main__':
    main()
