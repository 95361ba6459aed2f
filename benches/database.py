"""`cacheops invalidate articles.Article.1 --database ...` vs `manage.py
invalidate articles.Article.1` (both read the row, then invalidate exactly),
on the compat project (tests/compat/project) over SQLite, same data restored
before every run, in one run. Wall time of the whole command, median of N.
The binary gets the registry scripts/django-registry.py prints (the fields'
types), as docs/database.md recommends for SQLite.

  cargo build --release
  target/compat-venv/bin/python benches/database.py [--rounds 5]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, COMPAT, PY, ROOT, Redis, timed  # noqa: E402
from invalidate import restore, snapshot  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=5)
    args = ap.parse_args()
    server = Redis()
    try:
        db = os.path.join(tempfile.mkdtemp(prefix='cacheops-bench-db-'), 'compat.sqlite3')
        env = dict(os.environ, COMPAT_REDIS_URL=server.url(), COMPAT_LAYOUT='classic', COMPAT_DB=db,
                   PYTHONPATH=os.path.join(COMPAT, 'project'), DJANGO_SETTINGS_MODULE='settings')
        driver = [PY, os.path.join(COMPAT, 'driver.py')]
        timed(driver + ['setup'], env)
        timed(driver + ['populate'], env)
        # The registry with fields, as docs/database.md recommends (SQLite's schema
        # does not say a DecimalField's decimal places).
        registry = os.path.join(os.path.dirname(db), 'cacheops.yaml')
        with open(os.path.join(ROOT, 'scripts', 'django-registry.py')) as f:
            out = subprocess.run([PY, '-m', 'django', 'shell', '-v', '0'], stdin=f, env=env, check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
        with open(registry, 'w') as f:
            f.write(out)
        r = server.client()
        snap = snapshot(r)
        ref = [PY, '-m', 'django', 'invalidate', 'articles.Article.1']
        ours = [BIN, '--redis', server.url(), '--config', registry, '-q', 'invalidate', 'articles.Article.1',
                '--database', 'sqlite:///' + db]
        t_ref, t_ours = [], []
        for _ in range(args.rounds):
            restore(r, snap)
            t_ref.append(timed(ref, env)[0])
            left_ref = r.dbsize()
            restore(r, snap)
            t_ours.append(timed(ours, env)[0])
            if r.dbsize() != left_ref:
                raise SystemExit('cacheops left %d keys, manage.py %d' % (r.dbsize(), left_ref))
        a, b = statistics.median(t_ref), statistics.median(t_ours)
        print('| label | manage.py invalidate | cacheops invalidate --database sqlite | speed-up |')
        print('|---|---|---|---|')
        print('| `articles.Article.1` | %.3f s | %.4f s | %.0fx |' % (a, b, a / b))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
