"""`cacheops demo` loads src/demo/blog.jsonl: it must be what real
django-cacheops writes. Regenerate it with real cacheops (driver.py populate,
then demo-data) and compare: the same keys for the same queries, with the same
types, values and members. `asp:` keys (cached_as precall keys) are named by
cacheops from more than the query and differ from one process to the next:
they are compared by count and content only. The order of the fields inside
a conj key or a scheme follows Python's set iteration in the writing process
(see conftest.py: it varies between processes, as in production): conj keys and
schemes are compared with their parts sorted.
"""
import json
import os
import re
import subprocess
import sys

from conftest import DRIVER, REPO, driver_env, redis_url

FIXTURE = os.path.join(REPO, 'src', 'demo', 'blog.jsonl')
DEMO_DB = 7
ASP = re.compile(r'asp:[0-9a-f]{32}')


def _conj(key):
    head, _, rest = key.partition(':')[2].partition(':')
    return 'conj:%s:%s' % (head, '&'.join(sorted(rest.split('&')))) if rest else key


def normalized(lines):
    out = []
    for line in lines:
        rec = json.loads(line)
        rec.pop('ttl', None)
        rec.pop('expires_in', None)
        key = rec.get('key', '')
        if key.startswith('conj:'):
            rec['key'] = _conj(key)
        if key.startswith('schemes:'):
            rec['members'] = sorted({','.join(sorted(m.split(','))) for m in rec['members']})
        out.append(ASP.sub('asp:*', json.dumps(rec, sort_keys=True)))
    return sorted(out)


def test_demo_data_is_what_real_cacheops_writes(driver, rclient, redis_port, workdir):
    rclient(DEMO_DB).flushdb()
    env = driver_env(driver.sqlite_path, redis_url(redis_port, DEMO_DB), 'classic')
    env['COMPAT_FILE_CACHE_DIR'] = os.path.join(workdir, 'demo-filecache')
    for cmd in ('populate', 'demo-data'):
        res = subprocess.run([sys.executable, DRIVER, cmd], env=env, capture_output=True, text=True,
                             timeout=120)
        assert res.returncode == 0, res.stderr
    fresh = normalized(res.stdout.splitlines())
    with open(FIXTURE) as f:
        committed = normalized(f.read().splitlines())
    assert len(fresh) == len(committed)
    missing = [r for r in committed if r not in fresh]
    extra = [r for r in fresh if r not in committed]
    assert not missing and not extra, (
        'src/demo/blog.jsonl differs from what cacheops writes now; regenerate it with driver.py '
        'populate + demo-data.\nonly in the fixture: %s\nonly from cacheops: %s'
        % ([m[:200] for m in missing[:5]], [e[:200] for e in extra[:5]]))
    rclient(DEMO_DB).flushdb()
