"""Inspection commands on data written by real django-cacheops: `keys`, `inspect`
and `show` agree with what Redis holds, counted independently here, and `show`
decodes every cache entry cacheops wrote."""
import json
import subprocess

import pytest

from conftest import BIN_DB, PREFIX, redis_url
from redis_state import copy_db


def run(cacheops_bin, port, prefix, *args):
    argv = [cacheops_bin, '--redis', redis_url(port, BIN_DB), '--prefix', prefix, '--json'] + list(args)
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.mark.parametrize('layout', ['classic', 'prefix', 'insideout'])
def test_keys_inspect_and_show_agree_with_redis(layout, rclient, golden, cacheops_bin, redis_port):
    prefix = PREFIX[layout]
    copy_db(rclient, golden(layout), BIN_DB)
    r = rclient(BIN_DB)
    p = prefix.encode()
    conj = sorted(k.decode() for k in r.scan_iter(match=p + b'conj:*', count=1000))
    assert conj, 'sanity: cacheops wrote conj keys'

    listed = sorted(json.loads(l)['key'] for l in run(cacheops_bin, redis_port, prefix, 'keys', '--family', 'conj').splitlines())
    assert listed == conj

    inv = json.loads(run(cacheops_bin, redis_port, prefix, 'inspect'))
    assert inv['layout'] == ('insideout' if layout == 'insideout' else 'classic')
    per_table = {}
    for k in conj:
        table = k[len(prefix) + len('conj:'):].split(':', 1)[0]
        t = per_table.setdefault(table, {'conj_keys': 0, 'references': 0})
        t['conj_keys'] += 1
        if layout != 'insideout':
            t['references'] += r.scard(k)
    for table, want in per_table.items():
        got = inv['tables'][table]
        assert (got['conj_keys'], got['references']) == (want['conj_keys'], want['references']), table
        schemes = sorted(m.decode() for m in r.smembers(p + b'schemes:' + table.encode()))
        assert got['schemes'] == schemes, table

    entries = sorted(k.decode() for k in r.scan_iter(match=p + b'q:*', count=1000))[:15]
    assert entries
    holders = {}
    if layout != 'insideout':
        for c in conj:
            for m in r.smembers(c):
                holders.setdefault(m.decode(), set()).add(c)
    for key in entries:
        v = json.loads(run(cacheops_bin, redis_port, prefix, 'show', key[len(prefix):]))
        assert v['redis_type'] == 'string'
        assert not v['value'].startswith('<not a pickle'), (key, v['value'])
        if layout == 'insideout':
            assert len(v['checksum']) == 40
        else:
            assert set(v['referenced_by']['conj_keys']) == holders.get(key, set()), key
            assert v['referenced_by']['complete']
    # Model instances are shown as such somewhere among the entries.
    shown = [json.loads(run(cacheops_bin, redis_port, prefix, 'show', k[len(prefix):]))['value'] for k in entries]
    assert any('articles.' in s and 'pk=' in s for s in shown), shown[:3]
