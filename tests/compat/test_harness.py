"""Self-checks of the harness itself (no binary needed).

They show that the golden dbs hold what the suite relies on, that copies
compare equal, that the comparison sees a real cacheops operation, and that
cacheops' operations are deterministic, so an exact comparison is fair.
"""
import os
import time

import pytest

from conftest import BIN_DB, DEFAULT_HASHSEED, LAYOUTS, PREFIX, REF_DB
from redis_state import copy_db, diff, freeze, snapshot, thaw


@pytest.mark.parametrize('layout', LAYOUTS)
def test_golden_contents(layout, golden, rclient):
    state = snapshot(rclient(golden(layout)))
    p = PREFIX[layout].encode()
    types = {k: v[0] for k, v in state.items()}
    conj_type = 'string' if layout == 'insideout' else 'set'
    expected = [
        (b'conj:articles_article:', conj_type),          # empty conjunction
        (b'conj:articles_article_tags:tag_id=1', conj_type),
        (b'conj:legacy_things:code=k=v&z', conj_type),
        (b'schemes:articles_article', 'set'),
        (b'schemes:articles_article_tags', 'set'),
        (b'schemes:legacy_things', 'set'),
        (b'schemes:shop_extra_widget', 'set'),
    ]
    if layout == 'insideout':
        expected += [(b'conj:articles_article:published_on=None', 'string'),
                     (b'conj:articles_article:is_published=False', 'string'),
                     (b'conj:articles_bigthing:id=123456789012345678', 'string')]
    else:
        expected += [(b'conj:articles_article:published_on=userdata: (nil)', 'set'),
                     (b'conj:articles_article:is_published=false', 'set'),
                     (b'conj:articles_bigthing:id=1.2345678901235e+17', 'set'),
                     (b'conj:articles_bigthing:id=1e+14', 'set'),
                     (b'conj:articles_article:score=0.33333333333333', 'set')]
    for key, t in expected:
        assert types.get(p + key) == t, '%r: %r' % (p + key, types.get(p + key))
    assert any(k.startswith(p + b'q:') for k in state)
    assert any(k.startswith(p + b'as:') for k in state)
    if layout != 'insideout':
        assert any(k.startswith(p + b'asp:') for k in state), 'keep_fresh wrote no asp: key'
    if layout != 'insideout' and os.environ.get('COMPAT_PYTHONHASHSEED', DEFAULT_HASHSEED) == '2':
        # one field set stored under two orders (see DEFAULT_HASHSEED)
        for table, fields in ((b'articles_article', (b'category_id', b'is_published')),
                              (b'articles_article_tags', (b'article_id', b'tag_id'))):
            schemes = set(state[p + b'schemes:' + table][1])
            assert {b','.join(fields), b','.join(reversed(fields))} <= schemes, schemes
    # TTL presence varies: schemes and @cached without timeout have none
    assert state[p + b'schemes:articles_article'][2] is False
    assert state[p + b'conj:articles_article:'][2] is True
    ttl_less_c = [k for k in state if k.startswith(p + b'c:') and not state[k][2]]
    assert len(ttl_less_c) == 1
    # keys of every Redis type
    assert {'string', 'set', 'list', 'hash', 'zset'} <= set(types.values())


@pytest.mark.parametrize('layout', LAYOUTS)
def test_copy_compares_equal_and_reference_differs(layout, golden, rclient, driver):
    g = golden(layout)
    copy_db(rclient, g, REF_DB)
    copy_db(rclient, g, BIN_DB)
    golden_state = snapshot(rclient(g))
    copy_state = snapshot(rclient(REF_DB))
    # The live golden db loses entries as their TTLs run out; copies restore
    # it as it was populated (see redis_state.freeze), so only keys with a
    # TTL may be in a copy and no longer in the golden db.
    expired = [k for k in copy_state if k not in golden_state]
    assert all(copy_state[k][2] for k in expired), expired
    assert diff(golden_state, {k: v for k, v in copy_state.items() if k in golden_state}) == []
    assert diff(copy_state, snapshot(rclient(BIN_DB))) == []

    driver.run(layout, REF_DB, 'reference', 'obj:articles.Article:2')
    lines = diff(snapshot(rclient(REF_DB)), snapshot(rclient(BIN_DB)))
    assert lines, 'invalidate_obj changed nothing?'
    text = '\n'.join(lines)
    p = PREFIX[layout]
    # the conj key of the row's pk is gone from db 1 only
    assert ('keys only in binary (db 2)' in text and '%sconj:articles_article:id=2' % p in text)


@pytest.mark.parametrize('layout', LAYOUTS)
@pytest.mark.parametrize('ops', [
    ['obj:articles.BigThing:%d' % 123456789012345678, 'obj:articles.Article:4'],
    ['model:articles.Article', 'cmd:shop'],
], ids=['objs', 'model+app'])
def test_reference_is_deterministic(layout, ops, golden, rclient, driver):
    g = golden(layout)
    copy_db(rclient, g, REF_DB)
    copy_db(rclient, g, BIN_DB)
    before = snapshot(rclient(REF_DB))
    driver.run(layout, REF_DB, 'reference', *ops)
    driver.run(layout, BIN_DB, 'reference', *ops)
    a, b = snapshot(rclient(REF_DB)), snapshot(rclient(BIN_DB))
    assert a != before
    assert diff(a, b) == []


def test_copies_of_a_frozen_db_keep_entries_that_expired_since(rclient):
    """A golden db lives the whole session; an entry cached with a short
    timeout must not be in one copy and gone from the next (a comparison made
    across its expiry would fail for nothing)."""
    scratch = 14
    r = rclient(scratch)
    r.flushdb()
    r.set('short', 'v', px=300)
    r.set('forever', 'v')
    freeze(rclient, scratch)
    try:
        time.sleep(0.4)
        assert not r.exists('short')
        copy_db(rclient, scratch, BIN_DB)
        copied = rclient(BIN_DB)
        assert copied.get('short') == b'v' and 0 < copied.pttl('short') <= 300
        assert copied.get('forever') == b'v' and copied.pttl('forever') == -1
    finally:
        thaw(scratch)
        r.flushdb()
