"""`cacheops reap` leaves Redis exactly as django-cacheops' `manage.py reapconjs`.

Data written by real cacheops (the golden dbs of conftest.py); some cache keys are
deleted, identically in both copies, to play expired entries; then reapconjs runs on
db 1 and the binary on db 2, and the two states must be identical.
"""
import subprocess

import pytest

from conftest import BIN_DB, PREFIX, REF_DB, redis_url
from redis_state import copy_db, diff, snapshot


def kill_some_entries(r, prefix):
    """Deletes every other cache key (sorted, so both copies lose the same ones)."""
    keys = sorted(k for k in r.scan_iter(count=1000)
                  if k.startswith(prefix.encode()) and k[len(prefix):].split(b':')[0] in (b'q', b'as', b'c'))
    dead = keys[::2]
    if dead:
        r.delete(*dead)
    return len(dead)


@pytest.mark.parametrize('min_size', [1, 3])
@pytest.mark.parametrize('layout', ['classic', 'prefix'])
def test_reap_matches_reapconjs(layout, min_size, driver, rclient, golden, cacheops_bin, redis_port):
    prefix = PREFIX[layout]
    src = golden(layout)
    copy_db(rclient, src, REF_DB)
    copy_db(rclient, src, BIN_DB)
    assert kill_some_entries(rclient(REF_DB), prefix) == kill_some_entries(rclient(BIN_DB), prefix) > 0
    before = snapshot(rclient(REF_DB))
    assert before == snapshot(rclient(BIN_DB))

    driver.run(layout, REF_DB, 'reference', 'reapconjs:%d' % min_size)
    ref = snapshot(rclient(REF_DB))
    assert ref != before, 'sanity: reapconjs removed nothing'

    argv = [cacheops_bin, '--redis', redis_url(redis_port, BIN_DB), '--prefix', prefix,
            'reap', '--min-conj-set-size', str(min_size)]
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    got = snapshot(rclient(BIN_DB))
    lines = diff(ref, got, 'reapconjs (db 1)', 'cacheops reap (db 2)')
    if lines:
        pytest.fail('Redis after `cacheops reap` differs from after reapconjs:\n' + '\n'.join(lines),
                    pytrace=False)


def test_reap_leaves_insideout_alone(rclient, golden, cacheops_bin, redis_port):
    copy_db(rclient, golden('insideout'), BIN_DB)
    kill_some_entries(rclient(BIN_DB), '')
    before = snapshot(rclient(BIN_DB))
    argv = [cacheops_bin, '--redis', redis_url(redis_port, BIN_DB), 'reap', '--min-conj-set-size', '1']
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    assert 'classic layout only' in res.stderr
    assert snapshot(rclient(BIN_DB)) == before
