"""`cacheops doctor --slowlog` recognises real cacheops' scripts and commands in
SLOWLOG (by SHA1, for the Redis version at hand) and names their tables."""
import json
import subprocess

import pytest

from conftest import BIN_DB, redis_url


@pytest.mark.parametrize('layout', ['classic', 'insideout'])
def test_slowlog_names_cacheops_scripts_and_tables(layout, driver, rclient, cacheops_bin, redis_port):
    r = rclient(BIN_DB)
    r.flushdb()
    r.config_set('slowlog-log-slower-than', 0)
    r.config_set('slowlog-max-len', 20000)
    r.slowlog_reset()
    try:
        driver.run(layout, BIN_DB, 'populate')
        driver.run(layout, BIN_DB, 'reference', 'obj:articles.Article:1', 'model:articles.Tag')
        argv = [cacheops_bin, '--redis', redis_url(redis_port, BIN_DB), '--json', 'doctor', '--slowlog']
        res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    finally:
        r.config_set('slowlog-log-slower-than', 10000)
        r.config_set('slowlog-max-len', 128)
    assert res.returncode in (0, 8), res.stderr
    entries = json.loads(res.stdout)['slowlog']
    seen = {}
    for e in entries:
        if e['cacheops']:
            seen.setdefault(e['cacheops'], set()).update(e['tables'])
    suffix = '_insideout' if layout == 'insideout' else ''
    assert 'articles_article' in seen.get('cacheops cache_thing' + suffix, set()), seen
    assert seen.get('cacheops invalidate' + suffix) == {'articles_article'}, seen
    if layout == 'classic':
        assert 'articles_tag' in seen.get('cacheops invalidate_model (KEYS)', set()), seen


def _doctor(cacheops_bin, port, *extra):
    argv = [cacheops_bin, '--redis', redis_url(port, BIN_DB), '--json'] + list(extra) + ['doctor']
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    return res.returncode, {f['check']: f['severity'] for f in json.loads(res.stdout)['findings']}


def test_doctor_flags_states_made_from_real_data(rclient, golden, cacheops_bin, redis_port):
    from redis_state import copy_db
    r = rclient(BIN_DB)
    # Real classic data, healthy: nothing critical, every sampled entry referenced.
    copy_db(rclient, golden('classic'), BIN_DB)
    for k in r.scan_iter(match=b'site1:*', count=1000):  # one deployment only
        r.delete(k)
    code, found = _doctor(cacheops_bin, redis_port)
    assert code == 0 and found['unreferenced-entries'] == 'ok', found
    # A table's conj keys lost (as an allkeys-* eviction would): its entries become unreachable.
    for k in list(r.scan_iter(match=b'conj:articles_article:*', count=1000)):
        r.delete(k)
    code, found = _doctor(cacheops_bin, redis_port)
    assert found['unreferenced-entries'] == 'warning', found

    # Real insideout data plus one classic set left from before the switch: critical.
    copy_db(rclient, golden('insideout'), BIN_DB)
    r.sadd('conj:articles_article:id=999', 'q:00000000000000000000000000000000')
    code, found = _doctor(cacheops_bin, redis_port)
    assert code == 8 and found['layout'] == 'critical', found
    # And the wrong prefix: critical, naming the one the data has.
    code, found = _doctor(cacheops_bin, redis_port, '--prefix', 'nope:')
    assert code == 8 and found['prefix'] == 'critical', found
