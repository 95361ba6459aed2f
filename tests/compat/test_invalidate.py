"""`cacheops invalidate` must leave Redis exactly as django-cacheops 7.2 does.

For every case: a golden db filled through real cacheops is copied into db 1
and db 2; cacheops' own operation runs on db 1 (driver.py reference ...), the
binary under test on db 2, and the two full states must be identical: keys,
TYPE, values (strings, set members, list items, hash fields, zset members) and
TTL presence. The reference is the truth.
"""
import json
import os
import sqlite3
import subprocess

import pytest

from conftest import (BIN_DB, LAYOUTS, PREFIX, REF_DB, redis_url)
from driver import BIG1, BIG2, BIG_14, BIG_E14, UUID1, UUID2
from redis_state import copy_db, diff, snapshot


# ------------------------------------------------------------------ harness

class Harness:
    def __init__(self, layout, driver, rclient, golden, cacheops_bin, config_paths, port, workdir):
        self.layout = layout
        self.driver = driver
        self.rclient = rclient
        self.golden_db = golden(layout)
        self.bin = cacheops_bin
        self.config_paths = config_paths
        # The binary runs in an empty directory with no CACHEOPS_* variables, so
        # that no ./cacheops.yaml, user config or environment setting leaks in.
        self.bin_cwd = os.path.join(workdir, 'bin-cwd')
        os.makedirs(os.path.join(self.bin_cwd, 'xdg'), exist_ok=True)
        self.bin_env = {k: v for k, v in os.environ.items() if not k.startswith('CACHEOPS_')}
        self.bin_env['XDG_CONFIG_HOME'] = os.path.join(self.bin_cwd, 'xdg')
        self.port = port
        self.prefix = PREFIX[layout]

    # -- steps
    def prepare(self):
        copy_db(self.rclient, self.golden_db, REF_DB)
        copy_db(self.rclient, self.golden_db, BIN_DB)
        return snapshot(self.rclient(REF_DB))

    def reference(self, *ops):
        self.driver.run(self.layout, REF_DB, 'reference', *ops)
        return snapshot(self.rclient(REF_DB))

    def binary_argv(self, labels, fields=None, config=None, layout_flag=False,
                    globals_after=False, extra=()):
        glob = ['--redis', redis_url(self.port, BIN_DB)]
        if self.prefix:
            glob += ['--prefix', self.prefix]
        if layout_flag:
            glob += ['--layout', 'insideout' if self.layout == 'insideout' else 'classic']
        if config:
            glob += ['--config', self.config_paths[config]]
        sub = ['invalidate'] + list(labels)
        if fields is not None:
            sub += ['--fields', fields]
        sub += list(extra)
        return [self.bin] + (sub + glob if globals_after else glob + sub)

    def binary(self, labels, **opts):
        argv = self.binary_argv(labels, **opts)
        res = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                             stdin=subprocess.DEVNULL, cwd=self.bin_cwd, env=self.bin_env)
        self.last_run = (argv, res)
        if res.returncode != 0:
            pytest.fail('binary exited %d\n  argv: %s\n  stdout: %s\n  stderr: %s'
                        % (res.returncode, _argv(argv), res.stdout.strip(), res.stderr.strip()),
                        pytrace=False)
        if self.rclient(0).dbsize() != 0:
            pytest.fail('the binary wrote into db 0 (ignored the db in --redis?)', pytrace=False)
        return snapshot(self.rclient(BIN_DB))

    def context(self, ref_ops, before, ref):
        argv, res = self.last_run
        removed = sorted(set(before) - set(ref))
        return ('layout: %s\nreference ops: %s\nbinary argv: %s\nbinary stdout: %s\n'
                'binary stderr: %s\nreference removed %d of %d keys, changed %d'
                % (self.layout, ' '.join(ref_ops), _argv(argv), res.stdout.strip()[:2000],
                   res.stderr.strip()[:2000], len(removed), len(before),
                   sum(1 for k in set(before) & set(ref) if before[k] != ref[k])))

    # -- whole cases
    def check_same(self, ref_ops, labels, **opts):
        before = self.prepare()
        ref = self.reference(*ref_ops)
        assert ref != before, ('sanity: reference %s changed nothing in db 1 (layout %s)'
                               % (ref_ops, self.layout))
        got = self.binary(labels, **opts)
        lines = diff(ref, got)
        if lines:
            pytest.fail('Redis after the binary differs from Redis after cacheops:\n'
                        + '\n'.join(lines) + '\n' + self.context(ref_ops, before, ref),
                        pytrace=False)
        return before, ref, got


def _argv(argv):
    return ' '.join("'%s'" % a if (' ' in a or '{' in a or '&' in a) else a for a in argv)


@pytest.fixture(params=LAYOUTS)
def h(request, driver, rclient, golden, cacheops_bin, config_paths, redis_port, workdir):
    return Harness(request.param, driver, rclient, golden, cacheops_bin, config_paths, redis_port,
                   workdir)


def resolve_pk(sqlite_path, pk):
    """Rows whose pk is only known once the database exists."""
    if isinstance(pk, tuple) and pk[0] == 'through':
        with sqlite3.connect(sqlite_path) as con:
            (found,), = con.execute(
                'SELECT id FROM articles_article_tags WHERE article_id=? AND tag_id=?', pk[1:])
        return found
    return pk


# ------------------------------------------------------------------ 1. --fields

# (label, pk, what the row exercises)
FIELD_ROWS = [
    ('articles.Article', 1, 'bool true, date, Decimal 27.00, float 0.1, tz datetime'),
    ('articles.Article', 2, "NULL date, title 'a&b=c', bool false, 1/3, datetime with micros"),
    ('articles.Article', 3, 'float 1e20, Decimal 0.00'),
    ('articles.Article', 4, "title 'x=1&y=2', float 2.0, NULL date"),
    ('articles.Article', 6, 'negative float and Decimal'),
    ('articles.Category', 1, 'joined table'),
    ('articles.Category', 3, "title 'a&b=c'"),
    ('articles.Tag', 2, 'm2m target'),
    ('articles.Article_tags', ('through', 4, 3), 'auto-created m2m through table'),
    ('articles.UuidItem', str(UUID1), 'UUID pk'),
    ('articles.UuidItem', str(UUID2), 'UUID pk'),
    ('articles.BigThing', BIG1, 'pk > 1e14 (Lua %.14g), renders like BIG2'),
    ('articles.BigThing', BIG2, 'pk > 1e14'),
    ('articles.BigThing', BIG_14, '14-digit pk, 1e14 weight'),
    ('articles.BigThing', BIG_E14, 'pk 1e14'),
    ('articles.BigThing', 7, 'small pk, 14-digit weight'),
    ('articles.LegacyThing', 1, 'custom db_table (minimal config), bool true'),
    ('articles.LegacyThing', 2, "custom db_table (minimal config), code 'k=v&z', bool false"),
    ('shop.Product', 2, 'NULL FK, Decimal 12.00'),
    ('shop.Product', 3, 'bool false, Decimal 3.50'),
    ('shop.Order', 2, 'two-field conj'),
    ('shop_extra.Widget', 1, 'app label with underscore'),
]


def _row_id(row):
    label, pk, _ = row
    if isinstance(pk, tuple):
        pk = '-'.join(map(str, pk))
    return '%s.%s' % (label, pk)


@pytest.mark.parametrize('row', FIELD_ROWS, ids=[_row_id(r) for r in FIELD_ROWS])
def test_fields_invalidation(h, row):
    """reference invalidate_obj(row) == binary `invalidate app.Model.PK --fields JSON`.

    No config unless the model's table is not Django's default."""
    label, pk, _ = row
    i = FIELD_ROWS.index(row)
    pk = resolve_pk(h.driver.sqlite_path, pk)
    fields = h.driver.fields(label, pk)
    config = 'minimal' if label == 'articles.LegacyThing' else None
    h.check_same(['obj:%s:%s' % (label, pk)], ['%s.%s' % (label, pk)], fields=fields,
                 config=config, layout_flag=(i % 2 == 1), globals_after=(i % 3 == 2))


# ------------------------------------------------------------------ 2. model

# (reference model label, label given to the binary, config: None | minimal | full)
MODEL_CASES = [
    ('articles.Article', 'articles.Article', None),
    ('articles.Article', 'articles.article', None),
    ('articles.Article', 'articles.ARTICLE', 'full'),
    ('articles.Category', 'articles.Category', None),
    ('articles.Tag', 'articles.tag', None),
    ('articles.Article_tags', 'articles.Article_tags', None),
    ('articles.Article_tags', 'articles.article_tags', 'full'),
    ('articles.UuidItem', 'articles.uuiditem', None),
    ('articles.BigThing', 'articles.BigThing', None),
    ('articles.LegacyThing', 'articles.LegacyThing', 'minimal'),
    ('articles.LegacyThing', 'articles.legacything', 'full'),
    ('shop.Product', 'shop.Product', None),
    ('shop_extra.Widget', 'shop_extra.Widget', None),
]


@pytest.mark.parametrize('ref_label,label,config', MODEL_CASES,
                         ids=['%s-%s' % (c[1], c[2] or 'noconfig') for c in MODEL_CASES])
def test_model_invalidation(h, ref_label, label, config):
    """reference invalidate_model(Model) == binary `invalidate app.Model`."""
    h.check_same(['model:%s' % ref_label], [label], config=config,
                 layout_flag=(label == 'articles.article'))


# ------------------------------------------------------------------ 3. app

@pytest.mark.parametrize('config', ['minimal', 'full'])
@pytest.mark.parametrize('app', ['articles', 'shop', 'shop_extra'])
def test_app_invalidation(h, app, config):
    """reference `manage.py invalidate APP` == binary `invalidate APP`.

    articles covers the auto-created through table articles_article_tags and
    the custom table legacy_things (known from the config); shop must leave
    shop_extra_widget alone although that table name starts with "shop_".
    """
    h.check_same(['cmd:%s' % app], [app], config=config, layout_flag=(app == 'shop'))


# ------------------------------------------------------------------ 4. all

@pytest.mark.parametrize('extra', [('--yes',), ('--yes', '--flushdb')],
                         ids=['yes', 'yes-flushdb'])
def test_all(h, extra):
    """reference `manage.py invalidate all` (FLUSHDB) == binary `invalidate all --yes`.

    Under a prefix, the binary deletes only that prefix's keys unless --flushdb
    is given (a prefix means a Redis shared between sites; issue #2): the
    reference there is "every key under the prefix gone, every other key as it was".
    """
    if h.prefix and '--flushdb' not in extra:
        before = h.prepare()
        got = h.binary(['all'], extra=extra)
        want = {k: v for k, v in before.items() if not k.startswith(h.prefix.encode())}
        assert len(want) < len(before), 'sanity: the golden db holds prefixed keys'
        assert any(k for k in want), 'sanity: the golden db holds keys of another site'
        lines = diff(want, got, 'golden minus the prefix', 'binary (db 2)')
        if lines:
            pytest.fail('`invalidate all` under a prefix:\n' + '\n'.join(lines), pytrace=False)
        return
    before, ref, got = h.check_same(['cmd:all'], ['all'], extra=extra)
    assert ref == {}


def test_all_without_yes_is_refused(h):
    """`invalidate all` with no TTY and no --yes must not touch Redis."""
    before = h.prepare()
    argv = h.binary_argv(['all'])
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL, cwd=h.bin_cwd, env=h.bin_env)
    got = snapshot(h.rclient(BIN_DB))
    lines = diff(before, got, 'golden copy', 'binary (db 2)')
    if res.returncode == 0 or lines:
        pytest.fail('`%s` without --yes: exit %d (want non-zero), Redis changes:\n%s\n%s'
                    % (_argv(argv), res.returncode, '\n'.join(lines) or '    none',
                       res.stderr.strip()), pytrace=False)


# ------------------------------------------------------------------ 5. several labels

SEVERAL = [
    (['model:articles.Tag', 'cmd:shop'], ['articles.Tag', 'shop'], 'full'),
    (['model:articles.Category', 'model:articles.LegacyThing', 'model:articles.BigThing'],
     ['articles.category', 'articles.LegacyThing', 'articles.BigThing'], 'full'),
    (['cmd:shop_extra', 'model:articles.Article_tags'], ['shop_extra', 'articles.Article_tags'],
     'full'),
    (['model:articles.BigThing', 'model:shop.Order'], ['articles.BigThing', 'shop.Order'], None),
]


@pytest.mark.parametrize('ref_ops,labels,config', SEVERAL,
                         ids=['+'.join(c[1]) + '-' + (c[2] or 'noconfig') for c in SEVERAL])
def test_several_labels(h, ref_ops, labels, config):
    """one binary call with several labels == cacheops doing each in turn."""
    h.check_same(ref_ops, labels, config=config)


# ------------------------------------------------------------------ config contract

# The CLI contract: the config lists only models whose table is not Django's
# default; every other model keeps working with the default table.
MINIMAL_CONFIG_CASES = [
    ('fields', ['obj:articles.Article:1'], ['articles.Article.1'], ('articles.Article', 1)),
    ('model', ['model:articles.Article'], ['articles.ARTICLE'], None),
    ('several', ['model:articles.Tag', 'cmd:shop'], ['articles.Tag', 'shop'], None),
]


@pytest.mark.parametrize('kind,ref_ops,labels,row', MINIMAL_CONFIG_CASES,
                         ids=[c[0] for c in MINIMAL_CONFIG_CASES])
def test_minimal_config_default_models(h, kind, ref_ops, labels, row):
    """With a config that lists only articles.LegacyThing (custom db_table),
    articles.Article / articles.Tag still resolve to their default tables."""
    fields = h.driver.fields(*row) if row else None
    h.check_same(ref_ops, labels, fields=fields, config='minimal')


# ------------------------------------------------------------------ 6. pk-only fallback

# (label, pk, a conj key (unprefixed) of the same table that must survive, per layout)
PK_ONLY = [
    ('articles.Article', 1, {'classic': 'conj:articles_article:id=2',
                             'insideout': 'conj:articles_article:id=2'}),
    ('articles.Article', 2, {'classic': 'conj:articles_article:id=3',
                             'insideout': 'conj:articles_article:id=3'}),
    ('articles.UuidItem', str(UUID1), {'classic': 'conj:articles_uuiditem:id=%s' % UUID2,
                                       'insideout': 'conj:articles_uuiditem:id=%s' % UUID2}),
    ('articles.BigThing', 7, {'classic': 'conj:articles_bigthing:id=1.2345678901235e+17',
                              'insideout': 'conj:articles_bigthing:id=%d' % BIG1}),
    ('articles.LegacyThing', 2, {'classic': 'conj:legacy_things:id=1',
                                 'insideout': 'conj:legacy_things:id=1'}),
]


def _tenant_key(prefix, key):
    """True if key belongs to the tenant the operation runs for."""
    if prefix:
        return key.startswith(prefix.encode())
    return not key.startswith(b'site1:')


@pytest.mark.parametrize('label,pk,keep', PK_ONLY, ids=['%s.%s' % c[:2] for c in PK_ONLY])
def test_pk_only_fallback(h, label, pk, keep):
    """`invalidate app.Model.PK` without --fields removes a superset of what
    `manage.py invalidate app.Model.PK` removes, and nothing it shouldn't."""
    ref_ops = ['cmd:%s.%s' % (label, pk)]
    before = h.prepare()
    ref = h.reference(*ref_ops)
    assert ref != before, 'sanity: reference %s changed nothing' % ref_ops
    got = h.binary(['%s.%s' % (label, pk)],
                   config='minimal' if label == 'articles.LegacyThing' else None)
    ctx = h.context(ref_ops, before, ref)

    # Every key left in db 2 is left, identical, in db 1.
    extra = sorted(k for k in got if k not in ref)
    changed = sorted(k for k in got if k in ref and got[k] != ref[k])
    lines = diff({k: ref[k] for k in extra + changed if k in ref},
                 {k: got[k] for k in extra + changed})
    if lines:
        pytest.fail('pk-only invalidation kept keys that cacheops removed, or changed some:\n'
                    + '\n'.join(lines) + '\n' + ctx, pytrace=False)

    # It removed something ...
    if not len(got) < len(before):
        pytest.fail('pk-only invalidation removed nothing\n' + ctx, pytrace=False)

    # ... and kept what has no relation to the row.
    table = {'articles.Article': b'articles_article', 'articles.UuidItem': b'articles_uuiditem',
             'articles.BigThing': b'articles_bigthing',
             'articles.LegacyThing': b'legacy_things'}[label]
    keep_key = (h.prefix + keep['insideout' if h.layout == 'insideout' else 'classic']).encode()
    assert keep_key in before, 'suite bug: %r not in the golden db' % keep_key
    must_keep = {keep_key}
    for k in ref:
        other_tenant = not _tenant_key(h.prefix, k)
        own_conj = (b'conj:%s:' % table) in k
        cache_entry = any(m in k for m in (b'q:', b'as:', b'asp:'))
        if other_tenant or b'schemes:' in k or not (own_conj or cache_entry):
            must_keep.add(k)
    lost = sorted(k for k in must_keep if k not in got)
    if lost:
        pytest.fail('pk-only invalidation removed %d key(s) unrelated to %s %s:\n    %s\n%s'
                    % (len(lost), label, pk, '\n    '.join(k.decode() for k in lost[:40]), ctx),
                    pytrace=False)


# ------------------------------------------------------------------ dry run

@pytest.mark.parametrize('labels,extra', [
    (['articles.Article'], ()),
    (['articles'], ()),
    (['all'], ('--yes',)),
], ids=['model', 'app', 'all'])
def test_dry_run_changes_nothing(h, labels, extra):
    before = h.prepare()
    got = h.binary(labels, config='full', extra=('--dry-run',) + extra)
    lines = diff(before, got, 'golden copy', 'binary --dry-run (db 2)')
    if lines:
        pytest.fail('--dry-run changed Redis:\n' + '\n'.join(lines), pytrace=False)


# ------------------------------------------------------------------ 7. reads after invalidation

@pytest.mark.parametrize('ref_ops,labels,row', [
    (['obj:articles.Article:2'], ['articles.Article.2'], ('articles.Article', 2)),
    (['model:articles.Category'], ['articles.Category'], None),
    (['cmd:articles'], ['articles'], None),
], ids=['fields-article-2', 'model-category', 'app-articles'])
def test_reads_after_invalidation(h, ref_ops, labels, row):
    """Reading every populated query through cacheops hits and misses the same
    way after the reference and after the binary (insideout drops only conj
    stamps; cache entries must still miss)."""
    fields = h.driver.fields(*row) if row else None
    h.check_same(ref_ops, labels, fields=fields, config='full')
    ref_reads = json.loads(h.driver.run(h.layout, REF_DB, 'probe'))
    bin_reads = json.loads(h.driver.run(h.layout, BIN_DB, 'probe'))
    flat = [hit for _, hits in ref_reads for hit in hits]
    assert True in flat and False in flat, 'sanity: probe saw only hits or only misses'
    mism = ['%s: reference %s, binary %s' % (a[0], a[1], b[1])
            for a, b in zip(ref_reads, bin_reads) if a != b]
    if mism:
        pytest.fail('cacheops reads differ after invalidation:\n  ' + '\n  '.join(mism),
                    pytrace=False)


# ------------------------------------------------------------------ --stdin

# Tables that are not Django's default name for their model.
CUSTOM_TABLES = {'articles.LegacyThing': 'legacy_things'}


def db_table(label):
    app, model = label.split('.')
    return CUSTOM_TABLES.get(label, '%s_%s' % (app, model.lower()))


def stdin_run(h, text):
    argv = h.binary_argv([], extra=('--stdin', '--json'))
    res = subprocess.run(argv, input=text, capture_output=True, text=True, timeout=120,
                         cwd=h.bin_cwd, env=h.bin_env)
    h.last_run = (argv, res)
    return res


def test_stdin_rows_and_labels_equal_cacheops(h):
    """Every FIELD_ROWS row as a {"table", "obj"} line, then a label line, in one
    stream == invalidate_obj of each row, then invalidate_model, by cacheops."""
    before = h.prepare()
    ops, lines = [], []
    for label, pk, _ in FIELD_ROWS:
        pk = resolve_pk(h.driver.sqlite_path, pk)
        ops.append('obj:%s:%s' % (label, pk))
        # The dict exactly as cacheops serializes it (json.dumps(..., default=str)).
        lines.append('{"table": %s, "obj": %s}' % (json.dumps(db_table(label)), h.driver.fields(label, pk)))
    ops.append('model:shop.Order')
    lines.append(json.dumps({'label': 'shop.Order'}))
    ref = h.reference(*ops)
    assert ref != before
    res = stdin_run(h, '\n'.join(lines) + '\n')
    assert res.returncode == 0, h.context(ops, before, ref)
    summary = json.loads(res.stdout)
    assert (summary['rows'], summary['labels'], summary['bad_lines']) == (len(FIELD_ROWS), 1, [])
    lines = diff(ref, snapshot(h.rclient(BIN_DB)))
    if lines:
        pytest.fail('Redis after --stdin differs from Redis after cacheops:\n' + '\n'.join(lines)
                    + '\n' + h.context(ops, before, ref), pytrace=False)


def test_stdin_bad_lines_are_reported_and_skipped(h):
    before = h.prepare()
    ops = ['obj:articles.Article:1', 'model:articles.Tag']
    ref = h.reference(*ops)
    text = '\n'.join([
        'not json',
        '{"table": "articles_article", "obj": %s}' % h.driver.fields('articles.Article', 1),
        '{"label": "articles.NoSuchModel"}',
        '',
        '{"label": "articles.Tag"}',
        '{"table": "articles_article"}',
    ]) + '\n'
    res = stdin_run(h, text)
    assert res.returncode == 1, h.context(ops, before, ref)
    for n in (1, 3, 6):
        assert 'line %d:' % n in res.stderr, res.stderr
    summary = json.loads(res.stdout)
    assert [b['line'] for b in summary['bad_lines']] == [1, 3, 6]
    assert (summary['rows'], summary['labels']) == (1, 1)
    lines = diff(ref, snapshot(h.rclient(BIN_DB)))
    assert not lines, '\n'.join(lines) + '\n' + h.context(ops, before, ref)


def test_stdin_dry_run_changes_nothing(h):
    before = h.prepare()
    line = '{"table": "articles_article", "obj": %s}\n' % h.driver.fields('articles.Article', 1)
    argv = h.binary_argv([], extra=('--stdin', '--json', '--dry-run'))
    res = subprocess.run(argv, input=line, capture_output=True, text=True, timeout=60,
                         cwd=h.bin_cwd, env=h.bin_env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)['conj_keys'] > 0
    assert snapshot(h.rclient(BIN_DB)) == before
