"""Fixtures of the cacheops compatibility suite.

A real redis-server (Debian's /usr/bin/redis-server) on a free loopback port,
a sqlite database with the rows of the Django project under project/, and
"golden" Redis dbs filled once per layout through real django-cacheops 7.2.
Each test copies a golden db into db 1 (reference) and db 2 (binary).
"""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import redis

from redis_state import freeze

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DRIVER = os.path.join(HERE, 'driver.py')
REDIS_SERVER = os.environ.get('COMPAT_REDIS_SERVER', '/usr/bin/redis-server')

LAYOUTS = ('classic', 'prefix', 'insideout')
PREFIX = {'classic': '', 'prefix': 'site1:', 'insideout': ''}

# Redis dbs used by the suite. db 0 stays empty: a binary that ignored the db
# number in --redis would show up there.
REF_DB = 1
BIN_DB = 2
# classic and prefix share one golden db holding both the unprefixed and the
# "site1:" data, so each operation also has another tenant's keys to leave alone.
GOLDEN_DB = {'classic': 10, 'prefix': 10, 'insideout': 11}
# With this seed the classic golden holds one field set under two orders
# (category_id,is_published and is_published,category_id; article_id,tag_id and
# tag_id,article_id), as production data accumulated over many processes does.
DEFAULT_HASHSEED = '2'

# The config of the CLI contract: only models whose table is not Django's
# default ("minimal"; shop_extra.Widget is listed so that the registry knows the
# app shop_extra exists next to shop). The "full" config lists every model of
# the project (generated from Django by driver.py registry).
MINIMAL_CONFIG_YAML = """\
models:
  articles.LegacyThing: {db_table: legacy_things, pk: id}
  shop_extra.Widget: {db_table: shop_extra_widget, pk: id}
"""


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='session')
def workdir():
    d = tempfile.mkdtemp(prefix='cacheops-compat-')
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope='session')
def redis_port(workdir):
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.fail('redis-server not found at %s (install the Debian package redis-server '
                    'or set COMPAT_REDIS_SERVER)' % REDIS_SERVER)
    rdir = os.path.join(workdir, 'redis')
    os.mkdir(rdir)
    port = _free_port()
    log = open(os.path.join(rdir, 'redis.log'), 'w')
    proc = subprocess.Popen(
        [REDIS_SERVER, '--save', '', '--appendonly', 'no', '--port', str(port),
         '--bind', '127.0.0.1', '--dir', rdir, '--databases', '16'],
        stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis(host='127.0.0.1', port=port)
    deadline = time.time() + 15
    while True:
        try:
            if client.ping():
                break
        except redis.ConnectionError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            log.close()
            with open(os.path.join(rdir, 'redis.log')) as f:
                pytest.fail('redis-server did not answer PING on port %d:\n%s' % (port, f.read()))
        time.sleep(0.05)
    client.close()
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def redis_url(port, db):
    return 'redis://127.0.0.1:%d/%d' % (port, db)


@pytest.fixture(scope='session')
def rclient(redis_port):
    """Return a function db -> redis.Redis client (cached)."""
    clients = {}

    def get(db):
        if db not in clients:
            clients[db] = redis.Redis(host='127.0.0.1', port=redis_port, db=db)
        return clients[db]
    yield get
    for c in clients.values():
        c.close()


@pytest.fixture(scope='session')
def sqlite_db(workdir):
    path = os.path.join(workdir, 'compat.sqlite3')
    res = subprocess.run([sys.executable, DRIVER, 'setup'], env=driver_env(path, None, 'classic'),
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.fail('driver.py setup failed:\n%s\n%s' % (res.stdout, res.stderr))
    return path


def driver_env(sqlite_path, url, layout, database_url=None):
    env = dict(os.environ)
    env.pop('DJANGO_SETTINGS_MODULE', None)
    env['COMPAT_DB'] = sqlite_path
    if database_url:
        env['COMPAT_DATABASE_URL'] = database_url
    env['COMPAT_LAYOUT'] = layout
    # cacheops builds a query's DNF from sets, so the order of its conjunctions
    # (and, in the classic layout, of the fields inside one conj key) follows
    # Python's string hashing. In the insideout layout a cache entry's checksum
    # covers the conj stamps in that order: a process with another hash seed
    # misses entries of multi-conjunction queries (`__in`, OR). One fixed seed
    # for every driver process keeps populate and probe consistent.
    env['PYTHONHASHSEED'] = os.environ.get('COMPAT_PYTHONHASHSEED', DEFAULT_HASHSEED)
    if url:
        env['COMPAT_REDIS_URL'] = url
    return env


class Driver:
    """Runs driver.py subcommands against given Redis dbs."""

    def __init__(self, sqlite_path, port, database_url=None):
        self.sqlite_path = sqlite_path
        self.port = port
        # Another database than the sqlite file (PostgreSQL), when given.
        self.database_url = database_url
        self._fields = {}

    def run(self, layout, db, *args):
        res = subprocess.run([sys.executable, DRIVER] + list(args),
                             env=driver_env(self.sqlite_path, redis_url(self.port, db), layout,
                                            self.database_url),
                             capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise AssertionError('driver.py %s failed (layout %s, db %d):\n%s\n%s'
                                 % (' '.join(args), layout, db, res.stdout, res.stderr))
        return res.stdout

    def fields(self, label, pk):
        """The --fields JSON for one row: json.dumps(get_obj_dict(...), default=str)."""
        key = (label, str(pk))
        if key not in self._fields:
            # get_obj_dict does not depend on the layout nor on Redis.
            self._fields[key] = self.run('classic', 15, 'fields', label, str(pk)).strip()
        return self._fields[key]


@pytest.fixture(scope='session')
def driver(sqlite_db, redis_port):
    return Driver(sqlite_db, redis_port)


# ------------------------------------------------------------------ PostgreSQL

def _pg_bin():
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/initdb'))
    if not found:
        pytest.fail('PostgreSQL is not installed (scripts/test.sh installs the Debian package postgresql)')
    return os.path.dirname(found[-1])


@pytest.fixture(scope='session')
def postgres_url():
    """A throwaway PostgreSQL server on a free loopback port: its URL."""
    bindir = _pg_bin()
    data = tempfile.mkdtemp(prefix='cacheops-pg-')
    as_pg = []
    if os.geteuid() == 0:
        # initdb and postgres refuse to run as root.
        shutil.chown(data, 'postgres')
        as_pg = ['runuser', '-u', 'postgres', '--']
    port = _free_port()
    subprocess.run(as_pg + [os.path.join(bindir, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres',
                            '--no-sync', '-E', 'UTF8'], check=True, capture_output=True)
    subprocess.run(as_pg + [os.path.join(bindir, 'pg_ctl'), '-D', data, '-w', '-l', os.path.join(data, 'log'),
                            '-o', '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off' % (port, data),
                            'start'], check=True, capture_output=True)
    subprocess.run(as_pg + [os.path.join(bindir, 'createdb'), '-h', '127.0.0.1', '-p', str(port), '-U',
                            'postgres', 'compat'], check=True, capture_output=True)
    yield 'postgres://postgres@127.0.0.1:%d/compat' % port
    subprocess.run(as_pg + [os.path.join(bindir, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'],
                   capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope='session')
def pg_driver(sqlite_db, redis_port, postgres_url):
    """The compat project on PostgreSQL: same rows, set up through Django."""
    d = Driver(sqlite_db, redis_port, postgres_url)
    d.run('classic', 15, 'setup')
    return d


@pytest.fixture(scope='session')
def mariadb_url():
    """A throwaway MariaDB server on a free loopback port: its URL."""
    if not shutil.which('mariadbd') and not os.path.exists('/usr/sbin/mariadbd'):
        pytest.fail('MariaDB is not installed (scripts/test.sh installs the Debian package mariadb-server)')
    data = tempfile.mkdtemp(prefix='cacheops-mariadb-')
    port = _free_port()
    subprocess.run(['mariadb-install-db', '--no-defaults', '--datadir=' + data, '--user=root',
                    '--auth-root-authentication-method=normal', '--skip-test-db'],
                   check=True, capture_output=True)
    log = open(os.path.join(data, 'server.log'), 'w')
    proc = subprocess.Popen(['/usr/sbin/mariadbd', '--no-defaults', '--datadir=' + data,
                             '--socket=' + os.path.join(data, 'sock'), '--port=%d' % port,
                             '--bind-address=127.0.0.1', '--user=root', '--skip-log-bin',
                             '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=0'],
                            stdout=log, stderr=log)
    for _ in range(150):
        if subprocess.run(['mariadb', '-h127.0.0.1', '-P%d' % port, '-uroot', '-e',
                           'CREATE DATABASE IF NOT EXISTS compat CHARACTER SET utf8mb4'],
                          capture_output=True).returncode == 0:
            break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail('mariadbd did not start: see %s' % log.name)
    yield 'mysql://root@127.0.0.1:%d/compat' % port
    proc.kill()
    proc.wait()
    log.close()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope='session')
def my_driver(sqlite_db, redis_port, mariadb_url):
    """The compat project on MariaDB."""
    d = Driver(sqlite_db, redis_port, mariadb_url)
    d.run('classic', 15, 'setup')
    return d


# Golden dbs of the compat project on the database servers: (classic+prefix, insideout).
MY_GOLDEN_DB = {'classic': 8, 'prefix': 8, 'insideout': 9}
PG_GOLDEN_DB = {'classic': 12, 'prefix': 12, 'insideout': 13}


def _golden(driver, rclient, dbs):
    """A function layout -> golden db number, populated by `driver` on first
    use: one db holds both the unprefixed and the prefixed data (see GOLDEN_DB)."""
    done = set()

    def get(layout):
        db = dbs[layout]
        if db not in done:
            rclient(db).flushdb()
            for populate_layout in [lay for lay, d in sorted(dbs.items()) if d == db]:
                driver.run(populate_layout, db, 'populate')
            assert rclient(db).dbsize() > 100, 'populate wrote almost nothing'
            freeze(rclient, db)
            done.add(db)
        return db
    return get


@pytest.fixture(scope='session')
def my_golden(my_driver, rclient):
    """As golden, for Redis filled by cacheops over the MariaDB project."""
    return _golden(my_driver, rclient, MY_GOLDEN_DB)


@pytest.fixture(scope='session')
def pg_golden(pg_driver, rclient):
    """As golden, for Redis filled by cacheops over the PostgreSQL project."""
    return _golden(pg_driver, rclient, PG_GOLDEN_DB)


@pytest.fixture(scope='session')
def golden(driver, rclient):
    """Return a function layout -> golden db number, populating it on first use."""
    return _golden(driver, rclient, GOLDEN_DB)


@pytest.fixture(scope='session')
def config_paths(workdir, driver):
    """{'minimal': path, 'full': path} of the binary's YAML configs."""
    paths = {'minimal': os.path.join(workdir, 'cacheops-minimal.yaml'),
             'full': os.path.join(workdir, 'cacheops-full.yaml')}
    with open(paths['minimal'], 'w') as f:
        f.write(MINIMAL_CONFIG_YAML)
    with open(paths['full'], 'w') as f:
        f.write(driver.run('classic', 15, 'registry'))
    return paths


@pytest.fixture(scope='session')
def cacheops_bin():
    path = os.environ.get('CACHEOPS_BIN', os.path.join(REPO, 'target', 'debug', 'cacheops'))
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail('binary under test not found or not executable: %s\n'
                    'build it with `cargo build` or point CACHEOPS_BIN at it' % path)
    return path
