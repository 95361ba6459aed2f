#!/usr/bin/env python
"""Drives real django-cacheops 7.2 for the compatibility suite.

Run as a subprocess (cacheops reads its settings once per process) with:
  COMPAT_REDIS_URL  redis://127.0.0.1:PORT/DB
  COMPAT_LAYOUT     classic | prefix | insideout
  COMPAT_DB         sqlite file
  COMPAT_FILE_CACHE_DIR  FILE_CACHE_DIR of cacheops.file_cache (fc-* subcommands)

Subcommands:
  setup                 create the sqlite schema and rows (cacheops disabled)
  populate              fill Redis through real cacheops reads
  probe                 repeat the populate reads, print JSON [[name, hit], ...]
  reference OP...       apply cacheops' own invalidation, in order; OP is one of
                          obj:app.Model:PK    invalidate_obj(row)
                          model:app.Model     invalidate_model(Model)
                          cmd:LABEL           call_command('invalidate', LABEL)
                          reapconjs:MIN[:CHUNK]  call_command('reapconjs', ...)
  fields app.Model PK   print json.dumps(get_obj_dict(model, row), default=str)
  registry              print a config YAML listing every model of the project
                        (incl. auto-created through models) with its db_table and pk
  stats-workload STEP...
                        a cacheops workload with its own account (for `cacheops stats`);
                        STEP is read:NAME (see build_stats_reads), obj:app.Model:PK,
                        model:app.Model or wait-expired (until the short-lived entries,
                        timeout 1 s, are gone); prints JSON [record per step] with every
                        read's hit (cache_read signal), every fill (cache_thing call: key,
                        tables, event_tables = the tables the script will emit an event
                        for), and for invalidations the conj keys and cache keys that
                        exist and that cacheops' script is about to delete

File cache (the real cacheops.file_cache; keys as given to file_cache.set, i.e.
without the prefix, which cacheops prepends itself):
  fc-set KEY VALUE TIMEOUT [KEY VALUE TIMEOUT ...]
                        file_cache.set(KEY, VALUE, int(TIMEOUT)) (VALUE a str)
  fc-get KEY... | -     file_cache.get(KEY) for each key ("-": a JSON list on stdin);
                        print JSON {key: [true, value] | [false, null]} (CacheMiss)
  fc-filename KEY...    print JSON {key: file_cache._key_to_filename(get_prefix() + KEY)}
  fc-cached ARG...      call an @file_cache.cached(timeout=600) function with each
                        int ARG; print JSON [{arg, key, filename, value}] where key
                        is str(func.key(ARG)) (prefix included, as cacheops stores it)
  demo-data             after populate: add what `cacheops demo` shows besides (a
                        dog-pile lock taken by cacheops itself, cache entries gone
                        behind cacheops' back leaving dead conj members, file cache
                        entries live and expired), then print the whole db and the
                        file cache as JSON lines (src/demo/blog.jsonl is this output)
  fc-writer SECONDS NAME [SLOW_EVERY]
                        for SECONDS, write distinct keys NAME-live-I with timeout 3600
                        and, every 4th one, NAME-expired-I with timeout -60; print
                        JSON {"live": [...], "expired": [...]} (the keys set). Every
                        SLOW_EVERY-th live value takes 20 ms to pickle (see SlowPickle)
"""
import datetime
import json
import os
import sys
import uuid
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'project'))
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')

UTC = datetime.timezone.utc

# Row data shared with the tests (they import these names).
UUID1 = uuid.UUID('6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6')
UUID2 = uuid.UUID('00000000-0000-4000-8000-000000000001')
BIG1 = 123456789012345678
BIG2 = 123456789012345679   # same %.14g rendering as BIG1
BIG_14 = 99999999999999     # 14 digits: still printed as an integer by Lua
BIG_E14 = 100000000000000   # 1e14: 15 digits, printed 1e+14 by Lua
DT1 = datetime.datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
DT2 = datetime.datetime(2024, 5, 2, 11, 30, 0, 123456, tzinfo=UTC)
DT3 = datetime.datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)


def setup_django(cacheops_enabled=True):
    if not cacheops_enabled:
        os.environ['COMPAT_CACHEOPS_ENABLED'] = '0'
    import django
    django.setup()


# ---------------------------------------------------------------- setup

def cmd_setup():
    setup_django(cacheops_enabled=False)
    from django.core.management import call_command
    from articles.models import Category, Tag, Article, UuidItem, BigThing, LegacyThing
    from shop.models import Product, Order
    from shop_extra.models import Widget

    call_command('migrate', run_syncdb=True, verbosity=0)

    news = Category.objects.create(id=1, title='News')
    sport = Category.objects.create(id=2, title='Sport')
    odd = Category.objects.create(id=3, title='a&b=c')

    python = Tag.objects.create(id=1, name='python')
    rust = Tag.objects.create(id=2, name='rust')
    redis_ = Tag.objects.create(id=3, name='redis')

    def art(id, title, cat, pub, on, score, price, created, tags):
        a = Article.objects.create(id=id, title=title, category=cat, is_published=pub,
                                   published_on=on, score=score, price=Decimal(price),
                                   body='long text %d' % id, created=created)
        a.tags.set(tags)
        return a

    art(1, 'Hello', news, True, datetime.date(2024, 5, 1), 0.1, '27', DT1, [python, rust])
    art(2, 'a&b=c', news, False, None, 1 / 3, '1.5', DT2, [rust])
    art(3, 'Big score', sport, True, datetime.date(2023, 12, 31), 1e20, '0', DT3, [])
    art(4, 'x=1&y=2', sport, False, None, 2.0, '1234567.89', DT1, [python, redis_])
    art(5, 'Unicode é', news, True, datetime.date(2024, 1, 1), 123456789.125, '10.10', DT2,
        [redis_])
    art(6, 'plain', odd, True, datetime.date(2024, 5, 1), -0.5, '-3.25', DT3, [python])

    UuidItem.objects.create(id=UUID1, name='first', rank=1)
    UuidItem.objects.create(id=UUID2, name='second', rank=2)

    BigThing.objects.create(id=BIG1, name='big one', weight=BIG2)
    BigThing.objects.create(id=BIG2, name='big two', weight=5)
    BigThing.objects.create(id=7, name='small', weight=BIG_14)
    BigThing.objects.create(id=BIG_14, name='fourteen digits', weight=BIG_E14)
    BigThing.objects.create(id=BIG_E14, name='fifteen digits', weight=0)

    LegacyThing.objects.create(id=1, code='L1', active=True)
    LegacyThing.objects.create(id=2, code='k=v&z', active=False)

    pen = Product.objects.create(id=1, name='Pen', price=Decimal('2.5'), in_stock=True, category=news)
    Product.objects.create(id=2, name='Book', price=Decimal('12'), in_stock=True, category=None)
    cup = Product.objects.create(id=3, name='Cup', price=Decimal('3.50'), in_stock=False,
                                 category=sport)
    Order.objects.create(id=1, product=pen, qty=2)
    Order.objects.create(id=2, product=cup, qty=5)

    Widget.objects.create(id=1, name='gear')
    Widget.objects.create(id=2, name='spring')


# ---------------------------------------------------------------- reads

def build_reads():
    """Return [(name, thunk)]: every read that populate performs through cacheops."""
    from django.db.models import Q, Sum, Avg, Max, Count
    from cacheops import cached_as, cached, cache
    from articles.models import Category, Tag, Article, UuidItem, BigThing, LegacyThing
    from shop.models import Product, Order
    from shop_extra.models import Widget

    Through = Article.tags.through
    A = Article.objects.cache()
    reads = []

    def read(name):
        def deco(f):
            reads.append((name, f))
            return f
        return deco

    # --- articles.Article: gets, several-field conjunctions, __in, __isnull, joins, m2m
    read('article.get.1')(lambda: A.get(pk=1))
    read('article.get.2')(lambda: A.get(pk=2))
    read('article.get.title_amp')(lambda: A.get(title='a&b=c'))
    read('article.get.title_eq')(lambda: A.get(title='x=1&y=2'))
    read('article.cat_pub')(lambda: list(A.filter(category_id=1, is_published=True)))
    read('article.pub_cat')(lambda: list(A.filter(is_published=True).filter(category=2)))
    read('article.unpublished')(lambda: list(A.filter(is_published=False)))
    read('article.three_fields')(lambda: list(
        A.filter(category_id=2, is_published=True, published_on=datetime.date(2023, 12, 31))))
    read('article.pk_in')(lambda: list(A.filter(pk__in=[1, 2, 3])))
    read('article.title_in')(lambda: list(A.filter(title__in=['a&b=c', 'x=1&y=2'])))
    read('article.isnull')(lambda: list(A.filter(published_on__isnull=True)))
    read('article.isnull_cat')(lambda: list(A.filter(published_on__isnull=True, category_id=1)))
    read('article.join_cat_title')(lambda: list(A.filter(category__title='News')))
    read('article.join_cat_title_amp')(lambda: list(A.filter(category__title='a&b=c')))
    read('article.m2m_tag1')(lambda: list(A.filter(tags=1)))
    read('article.m2m_tag_rev')(lambda: list(Tag.objects.get(pk=2).article_set.cache().all()))
    read('article.tags_of_1')(lambda: list(Article.objects.get(pk=1).tags.cache().all()))
    read('article.score_01')(lambda: list(A.filter(score=0.1)))
    read('article.score_third')(lambda: list(A.filter(score=1 / 3)))
    read('article.score_1e20')(lambda: list(A.filter(score=1e20)))
    read('article.score_2')(lambda: list(A.filter(score=2.0)))
    read('article.score_big')(lambda: list(A.filter(score=123456789.125)))
    read('article.score_neg')(lambda: list(A.filter(score=-0.5, is_published=True)))
    read('article.price_27')(lambda: list(A.filter(price=Decimal('27.00'))))
    read('article.price_15_unquantized')(lambda: list(A.filter(price=Decimal('1.5'))))
    read('article.price_150')(lambda: list(A.filter(price=Decimal('1.50'))))
    read('article.price_zero')(lambda: list(A.filter(price=Decimal('0.00'))))
    read('article.price_neg')(lambda: list(A.filter(price=Decimal('-3.25'))))
    read('article.created_dt1')(lambda: list(A.filter(created=DT1)))
    read('article.created_dt2_micro')(lambda: list(A.filter(created=DT2)))
    read('article.published_on')(lambda: list(A.filter(published_on=datetime.date(2024, 5, 1))))
    read('article.all')(lambda: list(A.all()))
    read('article.skipfield_body')(lambda: list(A.filter(body='long text 1')))
    read('article.exclude')(lambda: list(A.exclude(is_published=True)))
    read('article.or')(lambda: list(A.filter(Q(pk=1) | Q(category_id=2))))
    read('article.count')(lambda: A.filter(is_published=True).count())
    read('article.exists')(lambda: A.filter(category_id=2).exists())
    read('article.aggregate')(lambda: A.aggregate(Sum('score')))
    read('article.aggregate_filtered')(lambda: A.filter(is_published=True).aggregate(Avg('price')))
    read('article.aggregate_join')(lambda: A.filter(category__title='Sport').aggregate(Max('id')))

    @cached_as(Article.objects.filter(is_published=True))
    def published_titles():
        return sorted(Article.objects.nocache().filter(is_published=True)
                      .values_list('title', flat=True))
    read('article.cached_as_qs')(published_titles)

    @cached_as(Article.objects.nocache().get(pk=4))
    def article4_title():
        return 'x'
    read('article.cached_as_obj')(article4_title)

    @cached_as(Article, Category, timeout=120)
    def everything():
        return 1
    read('article.cached_as_models')(everything)

    @cached_as(Article.objects.filter(category_id=1), keep_fresh=True)
    def fresh_news(n):
        return n * 2
    read('article.cached_as_keep_fresh')(lambda: fresh_news(21))

    @cached_as(Article.objects.filter(is_published=False, category_id=2), extra='v1')
    def unpublished_sport():
        return 3
    read('article.cached_as_extra')(unpublished_sport)

    # --- articles.Category / Tag / through
    read('category.get')(lambda: Category.objects.cache().get(pk=1))
    read('category.title_amp')(lambda: list(Category.objects.cache().filter(title='a&b=c')))
    read('category.all')(lambda: list(Category.objects.cache().all()))
    read('category.count')(lambda: Category.objects.cache().count())
    read('category.annotate_count')(lambda: list(
        Category.objects.cache().annotate(n=Count('article')).filter(pk=2)))
    read('tag.get')(lambda: Tag.objects.cache().get(name='python'))
    read('tag.pk_in')(lambda: list(Tag.objects.cache().filter(pk__in=[1, 2])))
    read('through.pair')(lambda: list(Through.objects.cache().filter(article_id=1, tag_id=2)))
    read('through.get')(lambda: Through.objects.cache().get(article_id=4, tag_id=3))

    # --- UUID pk
    read('uuid.get')(lambda: UuidItem.objects.cache().get(pk=UUID1))
    read('uuid.get_str')(lambda: UuidItem.objects.cache().get(pk=str(UUID2)))
    read('uuid.name')(lambda: list(UuidItem.objects.cache().filter(name='first', rank=1)))
    read('uuid.pk_in')(lambda: list(UuidItem.objects.cache().filter(pk__in=[UUID1, UUID2])))
    read('uuid.count')(lambda: UuidItem.objects.cache().count())

    # --- big integer pk
    read('big.get1')(lambda: BigThing.objects.cache().get(pk=BIG1))
    read('big.get2')(lambda: BigThing.objects.cache().get(pk=BIG2))
    read('big.small')(lambda: list(BigThing.objects.cache().filter(pk=7)))
    read('big.14')(lambda: list(BigThing.objects.cache().filter(pk=BIG_14)))
    read('big.e14')(lambda: list(BigThing.objects.cache().filter(pk=BIG_E14)))
    read('big.weight')(lambda: list(BigThing.objects.cache().filter(weight=BIG2)))
    read('big.weight14')(lambda: list(BigThing.objects.cache().filter(weight=BIG_14, name='small')))
    read('big.pk_in')(lambda: list(BigThing.objects.cache().filter(pk__in=[BIG1, BIG_14])))
    read('big.exists')(lambda: BigThing.objects.cache().filter(weight=5).exists())

    # --- custom db_table
    read('legacy.get')(lambda: LegacyThing.objects.cache().get(pk=1))
    read('legacy.inactive')(lambda: list(LegacyThing.objects.cache().filter(active=False)))
    read('legacy.code')(lambda: list(LegacyThing.objects.cache().filter(code='k=v&z')))
    read('legacy.all')(lambda: list(LegacyThing.objects.cache().all()))

    @cached_as(LegacyThing.objects.filter(active=True))
    def active_legacy():
        return 2
    read('legacy.cached_as')(active_legacy)

    # --- shop (the app that "invalidate articles" must leave alone)
    read('product.get')(lambda: Product.objects.cache().get(pk=1))
    read('product.cat_isnull')(lambda: list(Product.objects.cache().filter(category__isnull=True)))
    read('product.join_cat')(lambda: list(Product.objects.cache().filter(category__title='News')))
    read('product.two')(lambda: list(
        Product.objects.cache().filter(in_stock=False, price=Decimal('3.50'))))
    read('product.count')(lambda: Product.objects.cache().filter(category_id=1).count())
    read('order.join')(lambda: list(Order.objects.cache().filter(product__name='Pen')))
    read('order.two')(lambda: list(Order.objects.cache().filter(product_id=3, qty=5)))

    @cached_as(Product.objects.filter(in_stock=True), keep_fresh=True)
    def stocked():
        return 5
    read('product.keep_fresh')(stocked)

    # --- shop_extra (table name starts with "shop_")
    read('widget.get')(lambda: Widget.objects.cache().get(pk=1))
    read('widget.all')(lambda: list(Widget.objects.cache().all()))

    # --- simple time-based cache (c: keys, no conj): never touched by model invalidation
    @cached(timeout=600)
    def expensive(x):
        return x + 1
    read('simple.cached_timeout')(lambda: expensive(1))

    @cached
    def forever():
        return 'no ttl'
    read('simple.cached_no_timeout')(forever)

    def raw_set():
        cache.set('raw-key', {'a': 1}, 120)
        cache.set('raw-no-ttl', [1, 2, 3])
    read('simple.raw_set')(raw_set)

    return reads


def cmd_populate():
    setup_django()
    from cacheops.redis import redis_client
    for name, thunk in build_reads():
        try:
            thunk()
        except Exception as e:  # pragma: no cover - a broken read is a suite bug
            raise RuntimeError('populate read %s failed: %r' % (name, e)) from e
    # A few keys cacheops does not own, of every Redis type (not prefixed).
    r = redis_client
    r.set('unrelated:string', 'keep me')
    r.delete('unrelated:list', 'unrelated:hash', 'unrelated:zset', 'unrelated:set')
    r.rpush('unrelated:list', 'a', 'b', 'a')
    r.hset('unrelated:hash', mapping={'f1': 'v1', 'f2': 'v2'})
    r.zadd('unrelated:zset', {'m1': 1.5, 'm2': 2})
    r.sadd('unrelated:set', 'x', 'y')
    r.set('unrelated:ttl', 'tmp', ex=5000)


def cmd_probe():
    setup_django()
    from cacheops.signals import cache_read
    hits = []

    def on_read(sender, func, hit, **kwargs):
        hits.append(hit)

    cache_read.connect(on_read, weak=False)
    out = []
    for name, thunk in build_reads():
        if name.startswith('simple.'):
            continue
        del hits[:]
        thunk()
        out.append([name, hits[:]])
    print(json.dumps(out))


# ---------------------------------------------------------------- reference

def get_model(label):
    from django.apps import apps
    app, model = label.split('.')
    return apps.get_app_config(app).get_model(model)


def cmd_reference(ops):
    setup_django()
    # Reads made while applying an operation (fetching the row, as manage.py
    # invalidate app.Model.pk does) must not write cache entries into the
    # Redis under comparison: turn query caching off, invalidation stays real.
    from django.db.models import QuerySet
    QuerySet._should_cache = lambda self, op: False

    from django.core.management import call_command
    from cacheops import invalidate_obj, invalidate_model
    for op in ops:
        kind, _, rest = op.partition(':')
        if kind == 'obj':
            label, _, pk = rest.partition(':')
            model = get_model(label)
            invalidate_obj(model.objects.nocache().get(pk=pk))
        elif kind == 'model':
            invalidate_model(get_model(rest))
        elif kind == 'cmd':
            call_command('invalidate', rest, verbosity=0)
        elif kind == 'reapconjs':
            # reapconjs:MIN_CONJ_SET_SIZE[:CHUNK_SIZE]
            size, _, chunk = rest.partition(':')
            call_command('reapconjs', min_conj_set_size=int(size), chunk_size=int(chunk or 1000),
                         verbosity=0)
        else:
            raise SystemExit('unknown reference op %r' % op)


def cmd_fields(label, pk):
    setup_django(cacheops_enabled=False)
    from cacheops.invalidation import get_obj_dict
    model = get_model(label)
    obj = model.objects.get(pk=pk)
    print(json.dumps(get_obj_dict(model, obj), default=str))


def cmd_registry():
    setup_django(cacheops_enabled=False)
    from django.apps import apps
    lines = ['models:']
    for app in ('articles', 'shop', 'shop_extra'):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            lines.append('  %s.%s: {db_table: %s, pk: %s}' % (
                app, model.__name__, model._meta.db_table, model._meta.pk.attname))
    print('\n'.join(lines))


# ---------------------------------------------------------------- stats workload

def build_stats_reads():
    """Return {name: thunk}: the reads stats-workload can perform.

    Each plain read has its own conj keys (no two share one), so that in the
    insideout layout too every first fill creates a conj key and thus emits an
    event naming its table; `article.pk1_ordered` is the exception on purpose
    (same conj key as `article.pk1`). `short.*` entries live 1 s."""
    from cacheops import cached_as
    from articles.models import Category, Article

    A = Article.objects.cache()
    C = Category.objects.cache()

    @cached_as(Article.objects.filter(pk=5), timeout=1)
    def short_article5():
        return 'a5'

    @cached_as(Category.objects.filter(pk=3), timeout=1)
    def short_category3():
        return 'c3'

    return {
        'article.pk1': lambda: A.get(pk=1),
        'article.pk2': lambda: A.get(pk=2),
        'article.cat1_pub': lambda: list(A.filter(category_id=1, is_published=True)),
        'article.unpublished': lambda: list(A.filter(is_published=False)),
        'article.title_hello': lambda: list(A.filter(title='Hello')),
        'article.count_cat2': lambda: A.filter(category_id=2).count(),          # as: key
        'article.join_news': lambda: list(A.filter(category__title='News')),    # both tables
        'article.pk1_ordered': lambda: list(A.filter(pk=1).order_by('-id')),
        'category.pk1': lambda: C.get(pk=1),
        'category.sport': lambda: list(C.filter(title='Sport')),
        'category.count': lambda: C.count(),                                    # conj "conj:T:"
        'short.article5': short_article5,
        'short.category3': short_category3,
    }


# Existence checks use OBJECT ENCODING, which (unlike EXISTS, SISMEMBER, SMEMBERS,
# SUNION, ...) emits no `keymiss` event for a missing key: the account must not
# add misses of its own to the event stream `cacheops stats` counts.

# Which tables will cache_thing.lua emit a keyspace event for: an SADD that adds
# a new scheme or a new conj member (an SADD that adds nothing emits nothing).
# Same scheme and conj key rendering as cache_thing.lua (copied).
_CLASSIC_FILL_EVENTS_LUA = """
local prefix = KEYS[1]
local key = KEYS[2]
local dnfs = cjson.decode(ARGV[1])
local conj_schema = function (conj)
    local parts = {}
    for field, _ in pairs(conj) do
        table.insert(parts, field)
    end
    return table.concat(parts, ',')
end
local conj_cache_key = function (db_table, conj)
    local parts = {}
    for field, val in pairs(conj) do
        table.insert(parts, field .. '=' .. tostring(val))
    end
    return prefix .. 'conj:' .. db_table .. ':' .. table.concat(parts, '&')
end
local has = function (set, member)
    return redis.call('object', 'encoding', set) and redis.call('sismember', set, member) == 1
end
local out = {}
for db_table, disj in pairs(dnfs) do
    local emits = 0
    local any = 0
    for _, conj in ipairs(disj) do
        any = 1
        if not has(prefix .. 'schemes:' .. db_table, conj_schema(conj)) then
            emits = 1
        end
        if not has(conj_cache_key(db_table, conj), key) then
            emits = 1
        end
    end
    if any == 1 then
        table.insert(out, db_table)
        table.insert(out, emits)
    end
end
return out
"""

# The conj keys an invalidate / invalidate_insideout script call is about to
# delete (those that exist) and, classic only, the cache keys it will delete
# (existing members of their union). conj_cache_key copied from invalidate.lua.
_INVALIDATE_PLAN_LUA = """
local prefix = KEYS[1]
local db_table = ARGV[1]
local obj = cjson.decode(ARGV[2])
local with_cache_keys = ARGV[3] == '1'
local conj_cache_key = function (db_table, scheme, obj)
    local parts = {}
    for field in string.gmatch(scheme, "[^,]+") do
        table.insert(parts, field .. '=' .. tostring(obj[field]))
    end
    return prefix .. 'conj:' .. db_table .. ':' .. table.concat(parts, '&')
end
local exists = function (k)
    return redis.call('object', 'encoding', k)
end
local schemes = {}
if exists(prefix .. 'schemes:' .. db_table) then
    schemes = redis.call('smembers', prefix .. 'schemes:' .. db_table)
end
local conj_keys, seen = {}, {}
for _, scheme in ipairs(schemes) do
    local k = conj_cache_key(db_table, scheme, obj)
    if not seen[k] and exists(k) then
        seen[k] = true
        table.insert(conj_keys, k)
    end
end
local cache_keys = {}
if with_cache_keys and next(conj_keys) ~= nil then
    for _, m in ipairs(redis.call('sunion', unpack(conj_keys))) do
        if exists(m) then
            table.insert(cache_keys, m)
        end
    end
end
return {conj_keys, cache_keys}
"""


def _decode_all(items):
    return [x.decode() if isinstance(x, bytes) else x for x in items]


def cmd_stats_workload(steps):
    """Runs STEPs through real cacheops and prints what each did (see the docstring).

    The account uses only read-only Redis commands other than GET/MGET (OBJECT
    ENCODING, SISMEMBER, SMEMBERS, SUNION, KEYS), so that INFO commandstats'
    GET/MGET calls stay the workload's own reads, and none that emits a keyspace
    event (no keymiss: missing keys are never looked up but by OBJECT ENCODING).
    OBJECT ENCODING of a key past its TTL expires it, as any access does."""
    setup_django()
    import time
    import cacheops.query
    from cacheops.conf import settings
    from cacheops.getset import dnfs_to_conj_keys
    from cacheops.invalidation import get_obj_dict
    from cacheops.redis import redis_client as r
    from cacheops.sharding import get_prefix
    from cacheops.signals import cache_read
    from cacheops import invalidate_obj, invalidate_model
    from funcy import walk_values

    insideout = settings.CACHEOPS_INSIDEOUT
    reads = build_stats_reads()

    def exists(key):
        return r.object('encoding', key) is not None

    def has(set_key, member):
        return exists(set_key) and bool(r.sismember(set_key, member))
    hits, fills = [], []

    def event_tables(prefix, key, cond_dnfs):
        """{table: True if the fill script will emit an event naming the table}."""
        if not insideout:
            out = r.eval(_CLASSIC_FILL_EVENTS_LUA, 2, prefix, key, json.dumps(cond_dnfs, default=str))
            out = _decode_all(out)
            return {out[i]: bool(out[i + 1]) for i in range(0, len(out), 2)}
        res = {}
        for table, disj in cond_dnfs.items():
            if not disj:
                continue
            schemes = {','.join(sorted(conj)) for conj in disj}
            conj_keys = dnfs_to_conj_keys(prefix, {table: disj})
            res[table] = (any(not has(prefix + 'schemes:' + table, s) for s in schemes)
                          or any(not exists(k) for k in conj_keys))
        return res

    orig_cache_thing = cacheops.query.cache_thing

    def recording_cache_thing(prefix, cache_key, data, cond_dnfs, timeout, dbs=(), precall_key='',
                              expected_checksum=''):
        if precall_key or expected_checksum:
            raise SystemExit('stats-workload does not model keep_fresh fills')
        before = event_tables(prefix, cache_key, cond_dnfs)
        res = orig_cache_thing(prefix, cache_key, data, cond_dnfs, timeout, dbs=dbs,
                               precall_key=precall_key, expected_checksum=expected_checksum)
        after = event_tables(prefix, cache_key, cond_dnfs)
        if any(after.values()) or not exists(cache_key):
            # The rendering above disagrees with what the script wrote: a driver bug.
            raise SystemExit('stats-workload: fill of %s not as modelled: %r' % (cache_key, after))
        fills.append({'key': cache_key, 'tables': sorted(before),
                      'event_tables': sorted(t for t, e in before.items() if e),
                      'timeout': int(timeout)})
        return res

    cacheops.query.cache_thing = recording_cache_thing

    def on_read(sender, func, hit, **kwargs):
        hits.append(bool(hit))

    cache_read.connect(on_read, weak=False)

    out = []
    for step in steps:
        kind, _, rest = step.partition(':')
        rec = {'step': step}
        if kind == 'read':
            del hits[:], fills[:]
            reads[rest]()
            rec['hits'], rec['fills'] = hits[:], fills[:]
        elif kind in ('obj', 'model'):
            if kind == 'obj':
                label, _, pk = rest.partition(':')
                model = get_model(label)._meta.concrete_model
                obj = model.objects.nocache().get(pk=pk)
                table = model._meta.db_table
                obj_dict = get_obj_dict(model, obj)
                prefix = get_prefix(_cond_dnfs=[(table, list(obj_dict.items()))], dbs=['default'])
                ser = (json.dumps(walk_values(str, obj_dict)) if insideout
                       else json.dumps(obj_dict, default=str))
                conj_keys, cache_keys = r.eval(_INVALIDATE_PLAN_LUA, 1, prefix, table, ser,
                                               '0' if insideout else '1')
                conj_keys, cache_keys = _decode_all(conj_keys), _decode_all(cache_keys)
                invalidate_obj(obj)
            else:
                model = get_model(rest)._meta.concrete_model
                table = model._meta.db_table
                prefix = get_prefix(tables=[table], dbs=['default'])
                conj_keys = sorted(set(_decode_all(r.keys('%sconj:%s:*' % (prefix, table)))))
                cache_keys = []
                if conj_keys and not insideout:
                    cache_keys = sorted(k for k in _decode_all(r.sunion(conj_keys)) if exists(k))
                invalidate_model(model)
            left = [k for k in conj_keys + cache_keys if exists(k)]
            if left:
                raise SystemExit('stats-workload: %s left keys it was to delete: %r' % (step, left))
            rec.update(table=table, conj_keys=conj_keys, cache_keys=cache_keys)
        elif step == 'wait-expired':
            short = [f['key'] for o in out for f in o.get('fills', ()) if f['timeout'] <= 1]
            deadline = time.monotonic() + 10
            # Looking up a key past its TTL expires it at once (an `expired` event).
            while any(exists(k) for k in short):
                if time.monotonic() > deadline:
                    raise SystemExit('stats-workload: short-lived entries did not expire')
                time.sleep(0.05)
            rec['expired'] = short
        else:
            raise SystemExit('unknown stats-workload step %r' % step)
        out.append(rec)
    print(json.dumps(out))


# ---------------------------------------------------------------- file cache

def fc_value(key):
    """The value fc-writer stores under a key (checked by the tests)."""
    return {'key': key, 'payload': 'v' * (len(key) % 97)}


class SlowPickle:
    """A value that takes `delay` seconds to pickle and unpickles to a plain dict.

    FileCache._set creates the file (O_EXCL), then pickles the value, writes it,
    and only then sets the mtime to the expiry: while the value pickles, the
    entry is an empty file whose mtime is "now", i.e. looks expired. A slow
    value (as a big one is) holds that window open long enough for a cleaner
    running in a loop to meet it.
    """
    def __init__(self, value, delay):
        self.value = value
        self.delay = delay

    def __reduce__(self):
        import time
        time.sleep(self.delay)
        return (dict, (self.value,))


def cmd_demo_data():
    setup_django()
    import hashlib
    import time
    from cacheops import file_cache
    from cacheops.getset import _get_or_lock
    from cacheops.redis import redis_client as r
    # A lock as cacheops takes it while one client computes an entry (lock=True).
    assert _get_or_lock('q:' + hashlib.md5(b'demo: a report being computed').hexdigest(), [], '') is None
    # Entries evicted or deleted behind cacheops' back: their conj members stay, dead.
    # (q: keys only: asp: names change from one process to the next.)
    for key in sorted(k for k in r.smembers('conj:articles_article:') if k.startswith(b'q:'))[:3]:
        r.delete(key)
    file_cache.set('demo:homepage', '<html>home</html>', 3600)
    file_cache.set('demo:sidebar', '<aside>tags</aside>', 600)
    file_cache.set('demo:report-2023', '<table>old</table>', -86400)
    file_cache.set('demo:report-2024', '<table>older</table>', -3600)
    out = []
    for key in sorted(r.scan_iter(count=1000)):
        t = r.type(key).decode()
        ttl = r.ttl(key)
        rec = {'key': key.decode(), 'type': t, 'ttl': ttl}
        if t == 'string':
            rec['value'] = r.get(key).hex()
        elif t == 'set':
            rec['members'] = sorted(m.decode() for m in r.smembers(key))
        elif t == 'list':
            rec['items'] = [i.decode() for i in r.lrange(key, 0, -1)]
        elif t == 'hash':
            rec['fields'] = {k.decode(): v.decode() for k, v in sorted(r.hgetall(key).items())}
        elif t == 'zset':
            rec['scores'] = [[m.decode(), s] for m, s in r.zrange(key, 0, -1, withscores=True)]
        out.append(rec)
    root = os.environ['COMPAT_FILE_CACHE_DIR']
    now = time.time()
    for d, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = os.path.join(d, name)
            with open(path, 'rb') as f:
                data = f.read()
            out.append({'file': os.path.relpath(path, root),
                        'expires_in': int(round(os.stat(path).st_mtime - now)), 'data': data.hex()})
    for rec in out:
        print(json.dumps(rec, sort_keys=True))


def cmd_fc_set(args):
    setup_django()
    from cacheops import file_cache
    if not args or len(args) % 3:
        raise SystemExit('fc-set takes KEY VALUE TIMEOUT triples')
    for i in range(0, len(args), 3):
        file_cache.set(args[i], args[i + 1], int(args[i + 2]))


def cmd_fc_get(keys):
    setup_django()
    from cacheops import file_cache, CacheMiss
    if keys == ['-']:
        keys = json.load(sys.stdin)
    out = {}
    for key in keys:
        try:
            out[key] = [True, file_cache.get(key)]
        except CacheMiss:
            out[key] = [False, None]
    print(json.dumps(out))


def cmd_fc_filename(keys):
    setup_django()
    from cacheops import file_cache
    from cacheops.sharding import get_prefix
    print(json.dumps({key: file_cache._key_to_filename(get_prefix() + key) for key in keys}))


def cmd_fc_cached(args):
    setup_django()
    from cacheops import file_cache

    @file_cache.cached(timeout=600)
    def fc_square(x):
        return {'square': x * x}

    out = []
    for arg in args:
        x = int(arg)
        value = fc_square(x)
        key = str(fc_square.key(x))
        out.append({'arg': x, 'key': key, 'filename': file_cache._key_to_filename(key),
                    'value': value})
    print(json.dumps(out))


def cmd_fc_writer(seconds, name, slow_every='0'):
    setup_django()
    import time
    from cacheops import file_cache
    slow_every = int(slow_every)
    live, expired = [], []
    deadline = time.monotonic() + float(seconds)
    i = 0
    while time.monotonic() < deadline:
        key = '%s-live-%d' % (name, i)
        value = fc_value(key)
        if slow_every and i % slow_every == 0:
            value = SlowPickle(value, 0.02)
        file_cache.set(key, value, 3600)
        live.append(key)
        if i % 4 == 0:
            key = '%s-expired-%d' % (name, i)
            file_cache.set(key, fc_value(key), -60)
            expired.append(key)
        i += 1
        time.sleep(0.0002)
    print(json.dumps({'live': live, 'expired': expired}))


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    if cmd == 'setup':
        cmd_setup()
    elif cmd == 'populate':
        cmd_populate()
    elif cmd == 'probe':
        cmd_probe()
    elif cmd == 'reference':
        cmd_reference(args)
    elif cmd == 'registry':
        cmd_registry()
    elif cmd == 'stats-workload':
        cmd_stats_workload(args)
    elif cmd == 'fields':
        cmd_fields(*args)
    elif cmd == 'demo-data':
        cmd_demo_data()
    elif cmd == 'fc-set':
        cmd_fc_set(args)
    elif cmd == 'fc-get':
        cmd_fc_get(args)
    elif cmd == 'fc-filename':
        cmd_fc_filename(args)
    elif cmd == 'fc-cached':
        cmd_fc_cached(args)
    elif cmd == 'fc-writer':
        cmd_fc_writer(*args)
    else:
        raise SystemExit('unknown subcommand %r\n%s' % (cmd, __doc__))


if __name__ == '__main__':
    main(sys.argv[1:])
