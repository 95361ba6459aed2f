"""`cacheops cleanfilecache` and `cacheops filecache ...` against the real cacheops.file_cache.

Every cache here is written by real django-cacheops 7.2 (`driver.py fc-*`, a
subprocess per step, FILE_CACHE_DIR from COMPAT_FILE_CACHE_DIR) into a temp
dir, and read back through the real `file_cache.get`. No Redis is involved:
the driver gets a Redis URL on which nothing listens, so a file-cache path that
touched Redis would fail loudly.

The file layout (see docs: cacheops-layout.md, "File cache"): a key's file is
FILE_CACHE_DIR/<md5[-2:]>/<md5[:-2]> of md5(prefix + key), its mtime is the
expiry time. manage.py cleanfilecache runs `find DIR -type f -mmin +0 -delete`.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import DRIVER, HERE, PREFIX, driver_env

PROJECT = os.path.join(HERE, 'project')
# Nothing listens on port 1: the file cache must never need Redis.
NO_REDIS = 'redis://127.0.0.1:1/15'
OLD = time.time() - 3600   # an mtime well outside any grace period


def fc_value(key):
    """What driver.py fc-writer stores under a key (kept in step with driver.fc_value)."""
    return {'key': key, 'payload': 'v' * (len(key) % 97)}


def shard(key):
    """The shard directory name of an unprefixed key (classic layout)."""
    return hashlib.md5(key.encode('utf-8')).hexdigest()[-2:]


def tree(root):
    """{relative path: ('f', size, mtime_ns) | ('d',)} of everything under root (not root)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            out[os.path.relpath(os.path.join(dirpath, name), root)] = ('d',)
        for name in filenames:
            st = os.lstat(os.path.join(dirpath, name))
            out[os.path.relpath(os.path.join(dirpath, name), root)] = (
                'f', st.st_size, st.st_mtime_ns)
    return out


def files(root):
    return {p for p, v in tree(root).items() if v[0] == 'f'}


def dirs(root):
    return {p for p, v in tree(root).items() if v[0] == 'd'}


class FileCacheHarness:
    def __init__(self, tmp_path, cacheops_bin):
        self.tmp = tmp_path
        self.bin = cacheops_bin
        # As in test_invalidate.py: an empty cwd, no CACHEOPS_* variables, an
        # empty XDG_CONFIG_HOME, so no config or setting leaks into the binary.
        self.bin_cwd = tmp_path / 'bin-cwd'
        (self.bin_cwd / 'xdg').mkdir(parents=True)
        self.bin_env = {k: v for k, v in os.environ.items() if not k.startswith('CACHEOPS_')}
        self.bin_env['XDG_CONFIG_HOME'] = str(self.bin_cwd / 'xdg')

    def cache_dir(self, name):
        # cacheops' FileCache creates the shard dirs (makedirs) but the tests
        # want the root to exist even before the first write.
        path = self.tmp / name
        path.mkdir()
        return str(path)

    # -- real cacheops
    def env(self, cache_dir, layout):
        env = driver_env(str(self.tmp / 'unused.sqlite3'), NO_REDIS, layout)
        env['COMPAT_FILE_CACHE_DIR'] = cache_dir
        return env

    def driver_popen(self, cache_dir, out_path, *args, layout='classic'):
        """Start driver.py in the background; its stdout and stderr go to out_path(.err)
        (a pipe nobody reads while the test loops would block a chatty driver)."""
        with open(out_path, 'w') as out, open(out_path + '.err', 'w') as err:
            return subprocess.Popen([sys.executable, DRIVER] + list(args),
                                    env=self.env(cache_dir, layout), stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL)

    def driver(self, cache_dir, *args, layout='classic', stdin=None):
        res = subprocess.run([sys.executable, DRIVER] + list(args), input=stdin,
                             env=self.env(cache_dir, layout), capture_output=True, text=True,
                             timeout=120)
        if res.returncode != 0:
            raise AssertionError('driver.py %s failed (layout %s, dir %s):\n%s\n%s'
                                 % (' '.join(args[:4]), layout, cache_dir, res.stdout, res.stderr))
        return res.stdout

    def set(self, cache_dir, entries, layout='classic'):
        """entries: [(key, value str, timeout)] -> file_cache.set(key, value, timeout)."""
        argv = []
        for key, value, timeout in entries:
            argv += [key, value, str(timeout)]
        self.driver(cache_dir, 'fc-set', *argv, layout=layout)

    def get(self, cache_dir, keys, layout='classic'):
        """{key: (hit, value)} through file_cache.get. It deletes expired entries it meets."""
        out = json.loads(self.driver(cache_dir, 'fc-get', '-', layout=layout,
                                     stdin=json.dumps(list(keys))))
        return {k: tuple(v) for k, v in out.items()}

    def filenames(self, cache_dir, keys, layout='classic'):
        return json.loads(self.driver(cache_dir, 'fc-filename', *keys, layout=layout))

    def manage_cleanfilecache(self, *paths):
        """cacheops' own command: python -m django cleanfilecache PATH..."""
        env = self.env('/nonexistent-default-file-cache', 'classic')
        env['DJANGO_SETTINGS_MODULE'] = 'settings'
        env['PYTHONPATH'] = PROJECT
        res = subprocess.run([sys.executable, '-m', 'django', 'cleanfilecache'] + list(paths),
                             env=env, capture_output=True, text=True, timeout=60,
                             cwd=str(self.bin_cwd))
        assert res.returncode == 0, 'manage.py cleanfilecache: %s %s' % (res.stdout, res.stderr)
        return res

    # -- the binary
    def run_bin(self, *args, env=None, expect=0):
        argv = [self.bin] + [str(a) for a in args]
        res = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                             stdin=subprocess.DEVNULL, cwd=str(self.bin_cwd),
                             env=dict(self.bin_env, **(env or {})))
        if expect is not None and res.returncode != expect:
            pytest.fail('binary exited %d (want %d)\n  argv: %s\n  stdout: %s\n  stderr: %s'
                        % (res.returncode, expect, ' '.join(argv), res.stdout.strip(),
                           res.stderr.strip()), pytrace=False)
        return res

    def bin_json(self, *args, env=None, expect=0):
        res = self.run_bin('--json', *args, env=env, expect=expect)
        try:
            return json.loads(res.stdout)
        except ValueError:
            pytest.fail('binary --json printed no JSON: %r (stderr %r)' % (res.stdout, res.stderr),
                        pytrace=False)

    def clean(self, *args, env=None, expect=0):
        """cleanfilecache --json -> its results list."""
        out = self.bin_json('cleanfilecache', *args, env=env, expect=expect)
        return out['results']


@pytest.fixture
def fc(tmp_path, cacheops_bin):
    return FileCacheHarness(tmp_path, cacheops_bin)


def check_result(r, root, **want):
    assert os.path.realpath(r['path']) == os.path.realpath(root), r
    defaults = dict(skipped=0, errors=0, error_messages=[], stopped_at_max=False)
    for k, v in dict(defaults, **want).items():
        assert r[k] == v, '%s: got %r, want %r\n%s' % (k, r[k], v, json.dumps(r, indent=1))


# ------------------------------------------------------------------ 1. vs manage.py cleanfilecache

LIVE_TIMEOUTS = (30, 600, 3600, 86400 * 40)
EXPIRED_TIMEOUTS = (-1, -61, -3600, -86400 * 3)


def test_clean_matches_manage_py_cleanfilecache(fc):
    """Same entries written twice by cacheops; find -mmin +0 -delete on one copy,
    `cleanfilecache --grace 0` on the other: the same files remain, every live
    entry is intact, the expired ones are gone. The one difference: the binary
    removes the shard directories it emptied, find keeps them."""
    live = [('live-%d' % i, 'live value %d' % i, LIVE_TIMEOUTS[i % 4]) for i in range(60)]
    expired = [('expired-%d' % i, 'old value %d' % i, EXPIRED_TIMEOUTS[i % 4]) for i in range(60)]
    live += [('ünïcode ключ', 'u', 120), ('with space & "quotes"', 'q', 120)]
    expired += [('expired ünïcode', 'u', -5)]
    entries = live + expired
    live_shards = {shard(k) for k, _, _ in live}
    expired_only_shards = {shard(k) for k, _, _ in expired} - live_shards
    assert expired_only_shards, 'sanity: some shard holds only expired entries'

    ref, got = fc.cache_dir('ref'), fc.cache_dir('bin')
    fc.set(ref, entries)
    fc.set(got, entries)
    before = tree(got)
    assert files(ref) == files(got) and len(files(got)) == len(entries)
    names = fc.filenames(got, [k for k, _, _ in entries])
    expired_files = {os.path.relpath(names[k], got) for k, _, _ in expired}
    live_files = {os.path.relpath(names[k], got) for k, _, _ in live}
    expired_bytes = sum(before[p][1] for p in expired_files)

    # A dry run counts and changes nothing.
    [r] = fc.clean(got, '--grace', '0', '--dry-run')
    check_result(r, got, files_seen=len(entries), removed=len(expired), dry_run=True)
    assert tree(got) == before, 'a dry run changed the cache'

    fc.manage_cleanfilecache(ref)
    [r] = fc.clean(got, '--grace', '0')
    check_result(r, got, files_seen=len(entries), removed=len(expired), bytes_freed=expired_bytes,
                 in_grace=0, dirs_removed=len(expired_only_shards), dry_run=False)

    assert files(got) == files(ref), 'remaining files differ from manage.py cleanfilecache'
    assert files(got) == live_files
    # Every live entry still reads back through cacheops, value intact.
    want = {k: (True, v) for k, v, _ in live}
    assert fc.get(got, want) == want
    assert fc.get(ref, want) == want
    assert fc.get(got, [k for k, _, _ in expired]) == {k: (False, None) for k, _, _ in expired}

    # The deliberate difference: shard dirs left empty go (ours), stay (find).
    assert dirs(ref) == live_shards | {shard(k) for k, _, _ in expired}
    assert dirs(got) == live_shards
    assert os.path.isdir(got), 'the root itself must never be removed'


# ------------------------------------------------------------------ 2. grace

def test_default_grace_keeps_just_written_entries(fc):
    """A negative timeout written a moment ago has a past mtime but a fresh ctime
    (utime sets it): the default grace (5 s) keeps it, --grace 0 removes it."""
    live = [('g-live-%d' % i, 'v%d' % i, 600) for i in range(10)]
    expired = [('g-expired-%d' % i, 'x%d' % i, -600) for i in range(20)]
    d = fc.cache_dir('c')
    fc.set(d, live + expired)
    names = fc.filenames(d, [k for k, _, _ in live + expired])
    before = tree(d)

    [r] = fc.clean(d)
    check_result(r, d, files_seen=30, removed=0, in_grace=20, bytes_freed=0, dirs_removed=0)
    assert tree(d) == before, 'the default grace removed or touched something'

    [r] = fc.clean(d, '--grace', '0')
    check_result(r, d, files_seen=30, removed=20, in_grace=0)
    assert not any(os.path.exists(names[k]) for k, _, _ in expired)
    want = {k: (True, v) for k, v, _ in live}
    assert fc.get(d, want) == want


def test_empty_shard_dirs_need_an_old_mtime(fc):
    """cacheops creates a shard dir (makedirs) just before its O_EXCL open: a fresh
    empty shard dir may be about to receive a file and must stay; an old one goes.
    A shard dir holding a live entry stays whatever its age; the root never goes."""
    d = fc.cache_dir('c')
    fc.set(d, [('s-live', 'v', 600)])
    live_shard = shard('s-live')
    free = [s for s in ('%02x' % i for i in range(256)) if s != live_shard]
    fresh, old = os.path.join(d, free[0]), os.path.join(d, free[1])
    os.mkdir(fresh)
    os.mkdir(old)
    os.utime(old, (OLD, OLD))
    os.utime(os.path.join(d, live_shard), (OLD, OLD))
    os.utime(d, (OLD, OLD))

    [r] = fc.clean(d)
    check_result(r, d, files_seen=1, removed=0, dirs_removed=1)
    assert dirs(d) == {live_shard, free[0]}

    os.utime(fresh, (OLD, OLD))
    [r] = fc.clean(d)
    check_result(r, d, files_seen=1, removed=0, dirs_removed=1)
    assert dirs(d) == {live_shard}
    assert fc.get(d, ['s-live']) == {'s-live': (True, 'v')}

    # Everything expired and old: the root stays, empty.
    os.remove(os.path.join(d, live_shard, os.listdir(os.path.join(d, live_shard))[0]))
    os.utime(os.path.join(d, live_shard), (OLD, OLD))
    [r] = fc.clean(d)
    check_result(r, d, files_seen=0, removed=0, dirs_removed=1)
    assert os.path.isdir(d) and os.listdir(d) == []


def test_default_dir_from_settings(fc):
    """With no PATH: file_cache_dir from CACHEOPS_FILE_CACHE_DIR or the config."""
    d = fc.cache_dir('c')
    fc.set(d, [('d-live', 'v', 600), ('d-expired', 'x', -600)])
    [r] = fc.clean('--grace', '0', env={'CACHEOPS_FILE_CACHE_DIR': d})
    check_result(r, d, files_seen=2, removed=1)

    fc.set(d, [('d-expired', 'x', -600)])
    config = fc.tmp / 'cacheops.yaml'
    config.write_text('file_cache_dir: %s\n' % d)
    [r] = fc.clean('--config', config, '--grace', '0')
    check_result(r, d, files_seen=2, removed=1)
    assert fc.get(d, ['d-live', 'd-expired']) == {'d-live': (True, 'v'), 'd-expired': (False, None)}


def test_refuses_a_directory_that_is_not_a_cache(fc):
    d = fc.cache_dir('c')
    fc.set(d, [('r-expired', 'x', -600)])
    note = os.path.join(d, 'notes.txt')
    with open(note, 'w') as f:
        f.write('not a cache entry')
    os.utime(note, (OLD, OLD))
    before = tree(d)
    res = fc.run_bin('cleanfilecache', d, '--grace', '0', expect=6)
    assert tree(d) == before, 'a refused run changed the directory: %s' % res.stderr
    # manage.py's find would have deleted notes.txt; --force is the opt-in.
    fc.run_bin('cleanfilecache', d, '--grace', '0', '--force')
    assert files(d) == set()


# ------------------------------------------------------------------ 3. get / delete keys

@pytest.mark.parametrize('layout', ['classic', 'prefix'])
def test_get_and_delete_resolve_like_file_cache(fc, layout):
    """`filecache get/delete KEY` open file_cache._key_to_filename(prefix + KEY),
    for file_cache.set keys and for @file_cache.cached keys (c:<md5>)."""
    prefix = PREFIX[layout]
    pflag = ['--prefix', prefix] if prefix else []
    d = fc.cache_dir('c')
    set_keys = [('plain', 'p', 600), ('with space', 's', 600), ('ünïcode ключ', 'u', 600),
                ('colon:key:1', 'c', 600), ('gone-soon', 'e', -600)]
    fc.set(d, set_keys, layout=layout)
    names = fc.filenames(d, [k for k, _, _ in set_keys], layout=layout)
    cached = json.loads(fc.driver(d, 'fc-cached', '5', '6', layout=layout))
    for c in cached:
        # cacheops stores @cached entries under get_prefix(func) + 'c:' + md5.
        assert c['key'].startswith(prefix + 'c:'), c
        key = c['key'][len(prefix):]
        names[key] = c['filename']
        assert fc.get(d, [key], layout=layout) == {key: (True, c['value'])}
    assert set(files(d)) == {os.path.relpath(p, d) for p in names.values()}

    for key, path in names.items():
        st = os.stat(path)
        out = fc.bin_json(*pflag, 'filecache', 'get', key, '--dir', d)
        assert out['path'] == path, (key, out)
        assert out['key'] in (key, prefix + key), out
        assert out['size'] == st.st_size, out
        assert abs(out['expires_at'] - st.st_mtime) < 1, out
        assert out['expired'] == (key == 'gone-soon'), out
    if prefix:
        # The unprefixed key names another file: no entry.
        fc.run_bin('filecache', 'get', 'plain', '--dir', d, expect=5)
        fc.run_bin('--prefix', prefix, 'filecache', 'get', prefix + 'plain', '--dir', d, expect=5)

    before = tree(d)
    for key in names:
        fc.run_bin(*pflag, 'filecache', 'delete', key, '--dir', d, '--dry-run')
    assert tree(d) == before, 'delete --dry-run changed the cache'

    cached_key = cached[0]['key'][len(prefix):]
    for key in ('with space', 'ünïcode ключ', cached_key):
        fc.run_bin(*pflag, 'filecache', 'delete', key, '--dir', d)
        assert not os.path.exists(names[key]), key
        fc.run_bin(*pflag, 'filecache', 'get', key, '--dir', d, expect=5)
    got = fc.get(d, list(names), layout=layout)
    assert got == {
        'plain': (True, 'p'), 'with space': (False, None), 'ünïcode ключ': (False, None),
        'colon:key:1': (True, 'c'), 'gone-soon': (False, None),
        cached_key: (False, None), cached[1]['key'][len(prefix):]: (True, cached[1]['value'])}


# ------------------------------------------------------------------ 4. concurrent writer

WRITER_SECONDS = 6
# Every 20th value takes 20 ms to pickle: cacheops pickles after its O_EXCL
# create and sets the expiry mtime last, so for those 20 ms the entry is an
# empty file with mtime "now" (driver.SlowPickle). With --grace 0 this loop
# loses about a hundred of them; the default grace must lose none.
SLOW_EVERY = 20


def test_concurrent_writer_loses_nothing(fc):
    """A real cacheops process sets distinct live keys as fast as it can (some of
    them slow to pickle: writes in progress that look expired) while
    `cleanfilecache DIR` (default grace) runs over and over: every key the
    writer set still reads back. Expired entries (seeded before, and written by
    the writer) show the cleaner deleting during the run."""
    d = fc.cache_dir('c')
    seed_live = [('seed-live-%d' % i, 'sv%d' % i, 3600) for i in range(50)]
    seed_expired = [('seed-expired-%d' % i, 'sx%d' % i, -60) for i in range(300)]
    fc.set(d, seed_live + seed_expired)
    seed_names = fc.filenames(d, [k for k, _, _ in seed_expired])
    seeded_at = time.time()

    out_path = str(fc.tmp / 'writer.json')
    writer = fc.driver_popen(d, out_path, 'fc-writer', str(WRITER_SECONDS), 'w', str(SLOW_EVERY))
    runs = []
    deadline = time.monotonic() + WRITER_SECONDS + 30
    try:
        while writer.poll() is None:
            assert time.monotonic() < deadline, 'the writer did not finish'
            [r] = fc.clean(d)
            runs.append(r)
            time.sleep(0.02)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    with open(out_path + '.err') as f:
        assert writer.returncode == 0, f.read()
    with open(out_path) as f:
        written = json.load(f)
    for r in runs:
        check_result(r, d, dry_run=False)
    removed_during = sum(r['removed'] for r in runs)

    # One more pass once the seeds are surely past the grace period.
    time.sleep(max(0, seeded_at + 5.5 - time.time()))
    [last] = fc.clean(d)
    check_result(last, d)

    assert len(runs) >= 10, 'the cleaner ran only %d times during the writes' % len(runs)
    assert len(written['live']) >= 500, 'the writer wrote only %d keys' % len(written['live'])
    assert removed_during > 0, 'the cleaner removed nothing while the writer ran: %r' % runs[-3:]
    assert max(r['in_grace'] for r in runs) > 0, 'no run ever saw a write within the grace'
    assert not [k for k, p in seed_names.items() if os.path.exists(p)], 'seeded expired left'

    got = fc.get(d, written['live'] + [k for k, _, _ in seed_live])
    lost = [k for k in written['live'] if got[k] != (True, fc_value(k))]
    lost += [k for k, v, _ in seed_live if got[k] != (True, v)]
    assert not lost, '%d of %d live keys lost (%d of them slow to pickle), e.g. %r' % (
        len(lost), len(written['live']) + len(seed_live),
        sum(1 for k in lost if k.startswith('w-live-') and int(k[7:]) % SLOW_EVERY == 0),
        lost[:5])


# ------------------------------------------------------------------ 5. stats

def test_stats_counts_a_real_cache(fc):
    d = fc.cache_dir('c')
    live = [('st-live-%d' % i, 'v' * i, LIVE_TIMEOUTS[i % 4]) for i in range(40)]
    expired = [('st-expired-%d' % i, 'x' * i, EXPIRED_TIMEOUTS[i % 4]) for i in range(15)]
    big = ('st-big', 'B' * 50000, 900)
    fc.set(d, live + expired + [big])
    names = fc.filenames(d, [k for k, _, _ in live + expired + [big]])
    size = {k: os.path.getsize(p) for k, p in names.items()}
    before = tree(d)

    out = fc.bin_json('filecache', 'stats', d, '--top', '3')
    assert os.path.realpath(out['path']) == os.path.realpath(d)
    assert out['entries'] == len(live) + len(expired) + 1, out
    assert out['expired'] == len(expired), out
    assert out['bytes'] == sum(size.values()), out
    assert out['expired_bytes'] == sum(size[k] for k, _, _ in expired), out
    assert sum(n for _, n in out['histogram']) == out['entries'], out['histogram']
    assert (out['skipped'], out['errors']) == (0, 0), out
    assert len(out['largest']) == 3, out['largest']
    assert out['largest'][0]['path'] == names['st-big'], out['largest']
    assert out['largest'][0]['size'] == size['st-big']
    assert 890 <= out['largest'][0]['expires_in_s'] <= 900, out['largest']
    assert [x['size'] for x in out['largest']] == sorted(size.values(), reverse=True)[:3]
    assert tree(d) == before, 'stats changed the cache'

    # The same counts after cacheops' own reader dropped what it found expired.
    fc.get(d, [k for k, _, _ in expired])
    out = fc.bin_json('filecache', 'stats', d)
    assert (out['entries'], out['expired'], out['expired_bytes']) == (len(live) + 1, 0, 0), out
