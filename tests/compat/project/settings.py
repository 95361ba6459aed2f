"""Django settings of the compatibility project.

Everything that varies between runs comes from the environment, because
cacheops reads its settings once per process:

  COMPAT_REDIS_URL   CACHEOPS_REDIS (e.g. redis://127.0.0.1:6399/1)
  COMPAT_LAYOUT      classic | prefix | insideout
  COMPAT_DB          path of the sqlite database file
  COMPAT_DATABASE_URL  postgres://user@host:port/name or mysql://...: PostgreSQL or
                       MariaDB instead of sqlite
  COMPAT_CACHEOPS_ENABLED  "0" turns cacheops off (used while creating rows)
  COMPAT_FILE_CACHE_DIR    FILE_CACHE_DIR of cacheops.file_cache
"""
import os
import tempfile

LAYOUT = os.environ.get('COMPAT_LAYOUT', 'classic')
if LAYOUT not in ('classic', 'prefix', 'insideout'):
    raise RuntimeError('COMPAT_LAYOUT must be classic, prefix or insideout, not %r' % LAYOUT)

SECRET_KEY = 'cacheops-compat-tests'
DEBUG = False
USE_TZ = True
TIME_ZONE = 'UTC'
DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

INSTALLED_APPS = [
    'cacheops',
    'articles',
    'shop',
    'shop_extra',
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.environ.get('COMPAT_DB',
                               os.path.join(tempfile.gettempdir(), 'cacheops-compat.sqlite3')),
    }
}
# COMPAT_DATABASE_URL=postgres://user@host:port/name points the project at PostgreSQL.
if os.environ.get('COMPAT_DATABASE_URL', '').startswith('postgres://'):
    from urllib.parse import urlparse
    _u = urlparse(os.environ['COMPAT_DATABASE_URL'])
    DATABASES['default'] = {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': _u.path.lstrip('/'),
        'USER': _u.username or 'postgres',
        'PASSWORD': _u.password or '',
        'HOST': _u.hostname,
        'PORT': str(_u.port or 5432),
    }
elif os.environ.get('COMPAT_DATABASE_URL', '').startswith('mysql://'):
    from urllib.parse import urlparse
    import pymysql  # pure Python: no C build; Django takes it through this shim
    pymysql.install_as_MySQLdb()
    _u = urlparse(os.environ['COMPAT_DATABASE_URL'])
    DATABASES['default'] = {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': _u.path.lstrip('/'),
        'USER': _u.username or 'root',
        'PASSWORD': _u.password or '',
        'HOST': _u.hostname,
        'PORT': str(_u.port or 3306),
        'OPTIONS': {'charset': 'utf8mb4'},
    }

CACHEOPS_REDIS = os.environ.get('COMPAT_REDIS_URL', 'redis://127.0.0.1:6379/15')
CACHEOPS_ENABLED = os.environ.get('COMPAT_CACHEOPS_ENABLED', '1') == '1'
# cacheops.simple.file_cache = FileCache(settings.FILE_CACHE_DIR), read at import.
FILE_CACHE_DIR = os.environ.get('COMPAT_FILE_CACHE_DIR', '/tmp/cacheops_file_cache')

CACHEOPS = {
    'articles.*': {'ops': 'all', 'timeout': 3600},
    'shop.*': {'ops': 'all', 'timeout': 1800},
    'shop_extra.*': {'ops': 'all', 'timeout': 900},
}

if LAYOUT == 'prefix':
    CACHEOPS_PREFIX = lambda query: 'site1:'  # noqa: E731
elif LAYOUT == 'insideout':
    CACHEOPS_INSIDEOUT = True
