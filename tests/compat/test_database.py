"""`cacheops invalidate app.Model.pk --database URL` reads the row from the
application's database and must leave Redis exactly as cacheops'
invalidate_obj of that row (manage.py invalidate app.Model.pk) does.

The compat project runs on SQLite; its registry comes from the shipped
snippet scripts/django-registry.py, run as `manage.py shell < snippet` does
(`python -m django shell -v 0`).
"""
import os
import subprocess
import sys

import pytest
import yaml

from conftest import BIN_DB, REPO, driver_env, redis_url
from redis_state import diff, snapshot
from test_invalidate import FIELD_ROWS, Harness, _row_id, resolve_pk  # noqa: F401 (h fixture below)

SNIPPET = os.path.join(REPO, 'scripts', 'django-registry.py')
PROJECT = os.path.join(REPO, 'tests', 'compat', 'project')


@pytest.fixture(scope='session')
def registry_yaml(driver, workdir):
    env = driver_env(driver.sqlite_path, None, 'classic')
    env['DJANGO_SETTINGS_MODULE'] = 'settings'
    env['PYTHONPATH'] = PROJECT
    with open(SNIPPET) as f:
        res = subprocess.run([sys.executable, '-m', 'django', 'shell', '-v', '0'], stdin=f, capture_output=True,
                             text=True, cwd=PROJECT, env=env, timeout=60)
    assert res.returncode == 0, res.stderr
    path = os.path.join(workdir, 'cacheops-registry.yaml')
    with open(path, 'w') as f:
        f.write(res.stdout)
    return path


@pytest.fixture(params=['classic', 'prefix', 'insideout'])
def h(request, driver, rclient, golden, cacheops_bin, config_paths, redis_port, workdir, registry_yaml):
    paths = dict(config_paths, registry=registry_yaml)
    return Harness(request.param, driver, rclient, golden, cacheops_bin, paths, redis_port, workdir)


def db_url(driver):
    return 'sqlite:///' + driver.sqlite_path  # an absolute path: sqlite:////...


def test_the_snippet_prints_every_model_with_its_serialized_fields(registry_yaml):
    with open(registry_yaml) as f:
        doc = yaml.safe_load(f)
    assert doc['use_tz'] is True
    models = doc['models']
    for label in ('articles.Article', 'articles.Article_tags', 'articles.LegacyThing', 'shop.Product',
                  'shop_extra.Widget', 'articles.UuidItem'):
        assert label in models, sorted(models)
    article = {f['attname']: f for f in models['articles.Article']['fields']}
    assert 'body' not in article, 'TextField is one of CACHEOPS_SKIP_FIELDS'
    assert article['price'] == {'attname': 'price', 'column': 'price', 'type': 'DecimalField',
                                'decimal_places': 2}
    assert article['category_id']['type'] == 'AutoField', 'a relation is typed as its target'
    assert models['articles.LegacyThing']['db_table'] == 'legacy_things'
    assert models['articles.UuidItem']['pk'] == 'id'


@pytest.mark.parametrize('row', FIELD_ROWS, ids=[_row_id(r) for r in FIELD_ROWS])
def test_row_read_from_the_database_equals_invalidate_obj(h, row):
    label, pk, _ = row
    pk = resolve_pk(h.driver.sqlite_path, pk)
    h.check_same(['obj:%s:%s' % (label, pk)], ['%s.%s' % (label, pk)], config='registry',
                 extra=('--database', db_url(h.driver)))


# Rows whose every column Django's SQLite schema types unambiguously (no
# DecimalField, whose decimal_places only the registry knows).
SCHEMA_ROWS = [('articles.Category', 1), ('articles.Tag', 2), ('shop.Order', 2),
               ('shop_extra.Widget', 1), ('articles.BigThing', 7), ('articles.LegacyThing', 2)]


@pytest.mark.parametrize('label,pk', SCHEMA_ROWS, ids=['%s.%s' % r for r in SCHEMA_ROWS])
def test_without_registry_fields_the_schema_is_read(h, label, pk):
    config = 'minimal' if label == 'articles.LegacyThing' else None
    h.check_same(['obj:%s:%s' % (label, pk)], ['%s.%s' % (label, pk)], config=config,
                 extra=('--database', db_url(h.driver)))
    assert 'guessed' in h.last_run[1].stderr


def run_failing(h, labels, extra):
    h.prepare()
    before = snapshot(h.rclient(BIN_DB))
    argv = h.binary_argv(labels, config='registry', extra=extra)
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                         cwd=h.bin_cwd, env=h.bin_env)
    assert snapshot(h.rclient(BIN_DB)) == before, 'Redis changed: ' + res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    return res


def test_a_missing_row_is_an_error_and_changes_nothing(h):
    res = run_failing(h, ['articles.Article.999'], ('--database', db_url(h.driver)))
    assert res.returncode == 5, res.stderr
    assert 'no row with id=999' in res.stderr


def test_a_missing_row_can_fall_back_to_the_pk(h):
    h.prepare()
    argv = h.binary_argv(['articles.Article.999'], config='registry',
                         extra=('--database', db_url(h.driver), '--if-missing', 'conservative'))
    res = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                         cwd=h.bin_cwd, env=h.bin_env)
    assert res.returncode == 0, res.stderr
    assert 'invalidating by pk alone' in res.stderr


def test_a_bad_url_is_a_config_error(h):
    res = run_failing(h, ['articles.Article.1'], ('--database', 'oracle://scott:tiger@db/orcl'))
    assert res.returncode == 3, res.stderr
    assert 'tiger' not in res.stderr, 'the password is never printed'


def test_a_database_that_is_not_there_is_unreachable(h):
    res = run_failing(h, ['articles.Article.1'], ('--database', 'sqlite:////nonexistent/db.sqlite3'))
    assert res.returncode == 4, res.stderr


# ------------------------------------------------------------------ PostgreSQL, MariaDB

SERVERS = {'postgres': ('pg_driver', 'pg_golden', 'postgres_url'),
           'mariadb': ('my_driver', 'my_golden', 'mariadb_url')}


@pytest.fixture(params=[(db, layout) for db in SERVERS for layout in ('classic', 'prefix', 'insideout')],
                ids=lambda p: '%s-%s' % p)
def hdb(request, rclient, cacheops_bin, config_paths, redis_port, workdir, registry_yaml):
    """The harness over the compat project on a database server: its golden
    dbs were filled by cacheops reading that server, its reference runs there
    too. `hdb.url` is the server's URL."""
    db, layout = request.param
    drv, golden, url = (request.getfixturevalue(n) for n in SERVERS[db])
    paths = dict(config_paths, registry=registry_yaml)
    h = Harness(layout, drv, rclient, golden, cacheops_bin, paths, redis_port, workdir)
    h.url = url
    return h


@pytest.mark.parametrize('row', FIELD_ROWS, ids=[_row_id(r) for r in FIELD_ROWS])
def test_server_row_equals_invalidate_obj(hdb, row):
    label, pk, _ = row
    pk = resolve_pk(hdb.driver.sqlite_path, pk)
    hdb.check_same(['obj:%s:%s' % (label, pk)], ['%s.%s' % (label, pk)], config='registry',
                   extra=('--database', hdb.url))


@pytest.mark.parametrize('row', FIELD_ROWS, ids=[_row_id(r) for r in FIELD_ROWS])
def test_server_schema_alone(hdb, row):
    """information_schema says what SQLite's schema does not (numeric scale;
    PostgreSQL's booleans and uuids): without the registry's fields, rows are
    still exact (on MariaDB, tinyint(1) is read as a boolean, said as a guess)."""
    label, pk, _ = row
    pk = resolve_pk(hdb.driver.sqlite_path, pk)
    config = 'minimal' if label == 'articles.LegacyThing' else None
    hdb.check_same(['obj:%s:%s' % (label, pk)], ['%s.%s' % (label, pk)], config=config,
                   extra=('--database', hdb.url))


def test_server_missing_row_and_server_down(hdb):
    res = run_failing(hdb, ['articles.Article.999'], ('--database', hdb.url))
    assert res.returncode == 5, res.stderr
    scheme = hdb.url.split('://')[0]
    down = '%s://root:secret@127.0.0.1:1/compat' % scheme
    res = run_failing(hdb, ['articles.Article.1'], ('--database', down))
    assert res.returncode == 4, res.stderr
    assert 'secret' not in res.stderr


def test_stdin_row_labels_read_the_database(h):
    """`{"label": "app.Model.pk"}` lines on --stdin read the row too."""
    before = h.prepare()
    ops = ['obj:articles.Article:1', 'obj:shop.Product:2']
    ref = h.reference(*ops)
    argv = h.binary_argv([], config='registry', extra=('--stdin', '--json', '--database', db_url(h.driver)))
    res = subprocess.run(argv, input='{"label": "articles.Article.1"}\n{"label": "shop.Product.2"}\n',
                         capture_output=True, text=True, timeout=60, cwd=h.bin_cwd, env=h.bin_env)
    assert res.returncode == 0, res.stderr
    lines = diff(ref, snapshot(h.rclient(BIN_DB)))
    assert not lines, '\n'.join(lines) + '\n' + h.context(ops, before, ref)
