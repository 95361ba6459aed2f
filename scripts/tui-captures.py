"""Text captures of every TUI view for docs/tui.md: a throwaway redis-server
filled by real django-cacheops (tests/compat/driver.py), `cacheops tui` in
tmux, one capture-pane per view.

  target/compat-venv/bin/python scripts/tui-captures.py > /tmp/captures.md
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'benches'))
from benchlib import Redis  # noqa: E402

BIN = os.environ.get('CACHEOPS_BIN', os.path.join(ROOT, 'target', 'debug', 'cacheops'))
DRIVER = os.path.join(ROOT, 'tests', 'compat', 'driver.py')


def driver(env, *args):
    subprocess.run([sys.executable, DRIVER] + list(args), env=env, check=True, stdout=subprocess.PIPE)


# A tmux server of our own: no user session is touched.
SOCKET = 'cacheops-%d' % os.getpid()


def tmux(*args):
    return subprocess.run(['tmux', '-L', SOCKET] + list(args), check=True, stdout=subprocess.PIPE, text=True).stdout


def main():
    server = Redis()
    work = tempfile.mkdtemp(prefix='cacheops-captures-')
    env = dict(os.environ, COMPAT_DB=os.path.join(work, 'db.sqlite3'), COMPAT_LAYOUT='classic',
               COMPAT_REDIS_URL=server.url(0), PYTHONHASHSEED='2',
               COMPAT_FILE_CACHE_DIR=os.path.join(work, 'filecache'))
    env.pop('DJANGO_SETTINGS_MODULE', None)
    driver(env, 'setup')
    driver(env, 'populate')
    driver(env, 'fc-set', 'live', 'v', '3600', 'old', 'v', '-60')
    cfg = os.path.join(work, 'cacheops.yaml')
    with open(cfg, 'w') as f:
        f.write('redis: %s\nfile_cache_dir: %s\n' % (server.url(0), env['COMPAT_FILE_CACHE_DIR']))
    session = 'cacheops-captures'
    tmux('new-session', '-d', '-s', session, '-x', '110', '-y', '24',
         'env', 'NO_COLOR=1', BIN, '--config', cfg, 'tui')

    def keys(*k, literal=False):
        tmux('send-keys', '-t', session, *(['-l'] if literal else []), *k)
        time.sleep(0.6)

    def shot(title):
        text = tmux('capture-pane', '-p', '-t', session)
        print('### %s\n\n```\n%s```\n' % (title, '\n'.join(l.rstrip() for l in text.splitlines()) + '\n'))

    try:
        time.sleep(1.5)
        shot('Tables')
        keys('/'), keys('articles_category', literal=True), keys('Enter'), keys('Enter')
        shot('Table: conditions of articles_category')
        keys('/'), keys('title = News', literal=True), keys('Enter'), keys('Enter')
        shot('Condition -> entries')
        keys('Enter')
        shot('Entry: the decoded value')
        keys('Escape'), keys('Escape'), keys('Escape')
        keys('i')
        shot('Invalidating a table: the dry run, and the name to type')
        keys('Escape')
        keys('Tab'), keys('/'), keys('unrelated:*', literal=True), keys('Enter')
        shot('Keys: a SCAN browser with a glob')
        keys('Tab')
        keys('e')
        keys('y')
        # Some traffic: reads that hit, an invalidation, reads that miss and refill.
        driver(env, 'probe')
        driver(env, 'reference', 'obj:articles.Article:1', 'model:articles.Tag')
        driver(env, 'probe')
        time.sleep(2.5)
        shot('Stats')
        keys('Tab')
        shot('File cache')
        keys('?')
        shot('Help')
    finally:
        subprocess.run(['tmux', '-L', SOCKET, 'kill-server'])
        server.stop()


if __name__ == '__main__':
    main()
