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
