"""`cacheops stats` counts what real django-cacheops 7.2 does to Redis.

Protocol: flush db 2, turn keyspace events on (`EAm`; the binary also gets
`--enable-events`), start a witness subscriber (redis-py, `__keyevent@2__:*`),
start `cacheops --json stats --interval 0.5 --duration D --enable-events`, wait
READY_DELAY (the subscription is live well within it), run a workload through
real cacheops (`driver.py stats-workload`), let the binary end (by --duration,
--count, SIGINT or SIGTERM) and read its last line: `"final": true`, cumulative.

Expectations come from two independent sources, which must agree with each other
before the binary is judged:
- the driver's account of its own workload: every read's hit or miss (cacheops'
  `cache_read` signal), every fill (a `cache_thing` call: cache key, the tables of
  its DNF, and `event_tables`, the tables for which the script will emit an event:
  an SADD that adds a new scheme or conj member, or in insideout a new scheme or
  conj key; computed in Redis just before the call with the script's own key
  rendering, and checked after it), and for each invalidation the conj keys and
  (classic) cache keys that exist and that cacheops' script is about to delete;
- the witness's tally of the events: `keymiss`/`set`/`del`/`expired` of cache keys
  (`q:`, `as:`, `asp:`, `c:` + 32 hex), `del` of `conj:<table>:...` keys.

Semantics checked (decided here where the brief left it open):
- totals.fills: one per cache key written, whatever its number of tables. A
  table's fills: the fills whose script named the table. A join query
  (`filter(category__title=...)`) fills articles_article AND articles_category, so
  the tables' fills may sum to more than totals.fills. Misses likewise: totals
  one per cache-key miss, tables those of the fill that follows the miss.
- invalidations: conj keys deleted (UNLINK emits `del`), per their table; deleted:
  cache keys deleted by an invalidation, per the invalidation's table (a cache
  key of a join query deleted by invalidate_model(Category) counts for
  articles_category). The insideout layout deletes no cache key on invalidation.
- hits (totals only): GET+MGET calls minus misses. Exact here: the suite's
  redis-server runs nothing but the workload during a run, and the account uses
  no GET/MGET (see driver.py). Tables' hits are not checked; `hits_exact` false.
- interval lines are deltas: with the workload over well before the run ends,
  they add up to the final line's cumulative counts (events counters).
- evicted stays 0 (no maxmemory on the shared instance; evictions not exercised).

Where the events cannot tell, the tables' counts are only bounded, totals stay
exact (test_attribution_limits):
- no event names a fill's table (insideout: every conj key of the query already
  exists; classic: the key is still a member of every conj set, left there when
  another table's invalidation deleted the key): a table's fills and misses lie
  between the fills an event names it for and all the fills of its queries;
- back-to-back invalidations: invalidate_obj emits `del` of its conj keys, THEN of
  its cache keys; invalidate_model emits `del` of its cache keys, THEN of its conj
  keys. invalidate_obj(A) directly followed by invalidate_model(B) (as
  `manage.py invalidate app` does for each model) reads
  `del conj:A.. del q:.. del q:.. del conj:B..` and nothing marks where B's cache
  keys start. Per-table `deleted` is then only checked not to count a key twice.
  The exact test puts a miss + fill between its two invalidations.

Beyond "misses = keymiss events" (test_insideout_stale_entries_count_as_misses):
an insideout entry whose conj stamps were invalidated is found by MGET (no
keymiss), then UNLINKed by the reader and filled again; cacheops counts a miss.
"""
import json
import re
import signal
import subprocess
import threading
import time
from collections import Counter, defaultdict

import pytest
import redis

from conftest import BIN_DB, redis_url

DB = BIN_DB
INTERVAL = 0.5
READY_DELAY = 1.0     # seconds between starting `cacheops stats` and the workload
SETTLE = 1.5          # seconds left between the workload's end and the run's end
EVENT_FLAGS = 'EAm'   # E keyevent, A all classes but m/n, m keymiss
WITNESS_STOP = 'cacheops-compat-witness-stop'

COUNTERS = ('hits', 'misses', 'fills', 'invalidations', 'deleted', 'expired', 'evicted')
EVENT_COUNTERS = COUNTERS[1:]     # counted from keyspace events (hits are estimated)
CACHE_KEY = re.compile(r'^(q|as|asp|c):[0-9a-f]{32}$')
CONJ_KEY = re.compile(r'^conj:([^:]+):')
ART, CAT = 'articles_article', 'articles_category'

ARTICLE_READS = ['article.pk1', 'article.pk2', 'article.cat1_pub', 'article.unpublished',
                 'article.title_hello', 'article.count_cat2', 'article.join_news']
CATEGORY_READS = ['category.pk1', 'category.sport', 'category.count']
MAIN_STEPS = (['read:short.article5', 'read:short.category3']        # live 1 s, then expire
              + ['read:' + n for n in ARTICLE_READS]                 # misses + fills
              + ['read:' + n for n in ARTICLE_READS]                 # the same again: hits
              + ['read:' + n for n in CATEGORY_READS]
              + ['wait-expired', 'obj:articles.Article:1',
                 # A fresh miss + fill between the two invalidations: see the module doc.
                 'read:article.pk1_ordered',
                 'model:articles.Category'])


# ---------------------------------------------------------------- helpers

@pytest.fixture
def events_config(rclient):
    """Restores notify-keyspace-events after the test (other tests run doctor)."""
    r = rclient(DB)
    before = r.config_get('notify-keyspace-events')['notify-keyspace-events']
    yield r
    r.config_set('notify-keyspace-events', before)


class Witness:
    """Subscribes to the db's keyevent channels; stop() returns [(event, key)]."""

    def __init__(self, port, db):
        self.client = redis.Redis(host='127.0.0.1', port=port, db=db)
        self.pubsub = self.client.pubsub()
        self.pubsub.psubscribe('__keyevent@%d__:*' % db)
        self.pubsub.subscribe(WITNESS_STOP)
        confirmed, deadline = 0, time.monotonic() + 10
        while confirmed < 2:
            assert time.monotonic() < deadline, 'witness: no subscription confirmation'
            m = self.pubsub.get_message(timeout=1)
            if m and m['type'] in ('psubscribe', 'subscribe'):
                confirmed += 1
        self.events = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        for m in self.pubsub.listen():
            if m['type'] == 'message' and m['channel'] == WITNESS_STOP.encode():
                return
            if m['type'] == 'pmessage':
                event = m['channel'].decode().split('__:', 1)[1]
                self.events.append((event, m['data'].decode('utf-8', 'replace')))

    def stop(self):
        # Published after every keyevent of the run: delivered after all of them.
        self.client.publish(WITNESS_STOP, 'stop')
        self.thread.join(10)
        assert not self.thread.is_alive(), 'witness did not see its stop message'
        self.pubsub.close()
        self.client.close()
        return self.events


def witness_tally(events):
    """Totals (event counters) and per-table invalidations, from the events alone."""
    totals = dict.fromkeys(EVENT_COUNTERS, 0)
    invalidations = Counter()
    for event, key in events:
        cache, conj = CACHE_KEY.match(key), CONJ_KEY.match(key)
        if event == 'keymiss' and cache:
            totals['misses'] += 1
        elif event == 'set' and cache:
            totals['fills'] += 1
        elif event == 'del' and conj:
            totals['invalidations'] += 1
            invalidations[conj.group(1)] += 1
        elif event == 'del' and cache:
            totals['deleted'] += 1
        elif event == 'expired' and cache:
            totals['expired'] += 1
        elif event == 'evicted':
            totals['evicted'] += 1
    return totals, dict(invalidations)


def zero():
    return dict.fromkeys(COUNTERS, 0)


def expected_from_account(account):
    """(totals, tables, upper): what the driver's account implies. `tables` counts a
    fill (and the miss before it) for each table an event names; `upper` for each
    table of the query, named by an event or not."""
    totals, tables, upper = zero(), defaultdict(zero), defaultdict(zero)
    for rec in account:
        if 'hits' in rec:
            misses = rec['hits'].count(False)
            totals['hits'] += rec['hits'].count(True)
            totals['misses'] += misses
            totals['fills'] += len(rec['fills'])
            # One cache lookup per read here; a miss is followed by its fill.
            assert misses == len(rec['fills']), rec
            for fill in rec['fills']:
                for t in fill['event_tables']:
                    tables[t]['fills'] += 1
                    tables[t]['misses'] += 1
                for t in fill['tables']:
                    upper[t]['fills'] += 1
                    upper[t]['misses'] += 1
        elif 'conj_keys' in rec:
            for counts in (totals, tables[rec['table']], upper[rec['table']]):
                counts['invalidations'] += len(rec['conj_keys'])
                counts['deleted'] += len(rec['cache_keys'])
        elif 'expired' in rec:
            totals['expired'] += len(rec['expired'])
    return totals, dict(tables), dict(upper)


def check_shape(lines, exact=False):
    """Every line: ts, interval_s, totals (with hits_exact) and tables with integer
    counters. Other fields (the binary prints flushes, lock_releases, ...) are free."""
    for i, obj in enumerate(lines):
        where = 'output line %d: %r' % (i + 1, obj)
        assert isinstance(obj, dict), where
        assert isinstance(obj.get('ts'), (int, float)) and obj['ts'] > 1.6e9, where
        assert isinstance(obj.get('interval_s'), (int, float)) and obj['interval_s'] > 0, where
        assert isinstance(obj.get('tables'), dict), where
        for name, counts in [('totals', obj.get('totals'))] + sorted(obj['tables'].items()):
            assert isinstance(counts, dict), (name, where)
            for c in COUNTERS:
                assert type(counts.get(c)) is int and counts[c] >= 0, (name, c, where)
            # Hits are estimated unless --exact (totals carry the flag; tables may).
            if name == 'totals' or 'hits_exact' in counts:
                assert counts.get('hits_exact') is exact, (name, 'hits_exact', where)
    for earlier, later in zip(lines, lines[1:]):
        assert later['ts'] >= earlier['ts'], 'ts goes back: %r then %r' % (earlier, later)


def run_stats(cacheops_bin, port, workload, *, extra, end_signal=None, wait=20,
              before_workload=None, exact=False):
    """Runs `cacheops --json stats` around workload(); returns (workload's result,
    [JSON lines], stderr). end_signal: sent SETTLE s after the workload ends;
    otherwise the binary ends by itself (extra has --duration or --count)."""
    argv = [cacheops_bin, '--redis', redis_url(port, DB), '--json', 'stats',
            '--interval', str(INTERVAL), '--enable-events'] + list(extra)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    try:
        time.sleep(READY_DELAY)
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail('`%s` exited within %.1f s with code %s: the binary has no working '
                        '`stats` subcommand (yet?)\nstdout: %s\nstderr: %s'
                        % (' '.join(argv[1:]), READY_DELAY, proc.returncode, out, err),
                        pytrace=False)
        if before_workload:
            before_workload()
        result = workload()
        done = time.monotonic() - started
        if end_signal is not None:
            time.sleep(SETTLE)
            proc.send_signal(end_signal)
        out, err = proc.communicate(timeout=wait)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    ok_codes = (0,) if end_signal is None else (0, 128 + end_signal)
    assert proc.returncode in ok_codes, (
        '`%s` exited with %s\nstdout: %s\nstderr: %s' % (' '.join(argv[1:]), proc.returncode, out, err))
    lines = []
    for n, line in enumerate(out.splitlines(), 1):
        if not line.strip():
            continue
        try:
            lines.append(json.loads(line))
        except ValueError:
            pytest.fail('stdout line %d of `cacheops --json stats` is not JSON: %r\nstderr: %s'
                        % (n, line, err), pytrace=False)
    assert lines, 'no output from `cacheops --json stats`; stderr: %s' % err
    assert lines[-1].get('final') is True, 'last line is not "final": %r' % lines[-1]
    assert not any(l.get('final') for l in lines[:-1]), 'a "final" line before the last one'
    check_shape(lines, exact)
    return result, lines, err, done


def run_workload(driver, layout, steps):
    return json.loads(driver.run(layout, DB, 'stats-workload', *steps))


def with_witness(port, fn):
    """fn() with a witness subscribed around it: returns (fn's result, events)."""
    w = Witness(port, DB)
    try:
        result = fn()
    finally:
        events = w.stop()
    return result, events


def prepare(rclient, flags=EVENT_FLAGS):
    r = rclient(DB)
    r.flushdb()
    r.config_set('notify-keyspace-events', flags)


def table_counts(final, table):
    return final['tables'].get(table, zero())


def check_intervals_add_up(lines):
    """Interval lines are deltas; the workload ended SETTLE s before the run did."""
    final = lines[-1]['totals']
    summed = {c: sum(l['totals'][c] for l in lines[:-1]) for c in EVENT_COUNTERS}
    assert any(l['totals']['fills'] for l in lines[:-1]), (
        'no interval line saw the fills: lines are printed only at the end?')
    assert summed == {c: final[c] for c in EVENT_COUNTERS}, (
        'interval lines (deltas) do not add up to the final cumulative line:\n'
        'sum of intervals %r\nfinal %r' % (summed, final))


def fmt_events(events):
    return '\n'.join('  %-8s %s' % e for e in events)


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize('exact', [False, True], ids=['estimated-hits', 'exact-hits'])
@pytest.mark.parametrize('layout', ['classic', 'insideout'])
def test_counts_match_cacheops(layout, exact, driver, rclient, cacheops_bin, redis_port, events_config):
    """Known workload: 2 short-lived entries (expire), 7 Article reads twice (7 misses,
    7 fills, 7 hits; one is a join on Category), 3 Category reads, invalidate_obj
    (Article 1), one more Article read (miss + fill), invalidate_model(Category).
    Exact per-table and total counts."""
    prepare(rclient)
    duration = 6.0
    (account, events), lines, err, done = run_stats(
        cacheops_bin, redis_port,
        lambda: with_witness(redis_port, lambda: run_workload(driver, layout, MAIN_STEPS)),
        extra=['--duration', str(duration)] + (['--exact'] if exact else []), wait=duration + 15,
        exact=exact)
    assert done < duration - SETTLE, (
        'the workload took %.1f s of a %.1f s run: raise `duration`' % (done, duration))

    # The harness first: the account, the witness and the design agree.
    want, want_tables, upper = expected_from_account(account)
    seen, seen_invalidations = witness_tally(events)
    assert seen == {c: want[c] for c in EVENT_COUNTERS}, (
        'harness: witness %r != driver account %r\nevents:\n%s' % (seen, want, fmt_events(events)))
    assert seen_invalidations == {t: c['invalidations'] for t, c in want_tables.items()
                                  if c['invalidations']}, seen_invalidations
    assert want_tables == upper, 'harness: every fill of this workload names all its tables'
    classic = layout == 'classic'
    assert want == dict(hits=7, misses=13, fills=13, invalidations=9,
                        deleted=7 if classic else 0, expired=2, evicted=0), want
    assert {t: {c: n for c, n in v.items() if n} for t, v in want_tables.items()} == {
        ART: dict(misses=9, fills=9, invalidations=4, **({'deleted': 4} if classic else {})),
        CAT: dict(misses=5, fills=5, invalidations=5, **({'deleted': 3} if classic else {})),
    }, want_tables

    final = lines[-1]
    got = {c: final['totals'][c] for c in COUNTERS}
    assert got == want, ('totals of `cacheops stats` (final line) %r != expected %r\n'
                         'events seen by the witness:\n%s' % (got, want, fmt_events(events)))
    for table in (ART, CAT):
        have = table_counts(final, table)
        # (How expirations are attributed to tables is not specified: not checked.)
        for c in ('misses', 'fills', 'invalidations', 'deleted'):
            assert have[c] == want_tables[table][c], (
                '%s %s: got %d, expected %d\nfinal line: %s'
                % (table, c, have[c], want_tables[table][c], json.dumps(final)))
    for table, have in final['tables'].items():
        if table not in (ART, CAT):
            assert not any(have[c] for c in EVENT_COUNTERS), (
                'table %s has counts, the workload never touched it: %r' % (table, have))
    check_intervals_add_up(lines)
    if exact:
        # MONITOR saw every read: the 7 re-reads of Article entries filled during the run hit.
        assert final['totals']['hits_exact'] is True
        assert table_counts(final, ART)['hits'] == 7, json.dumps(final)


@pytest.mark.parametrize('layout,end_signal', [
    pytest.param('classic', signal.SIGINT, id='classic-SIGINT'),
    pytest.param('insideout', signal.SIGTERM, id='insideout-SIGTERM')])
def test_attribution_limits(layout, end_signal, driver, rclient, cacheops_bin, redis_port,
                            events_config):
    """What the events cannot attribute (module doc): fills no event ties to (all of)
    their tables, and back-to-back invalidate_obj(Article 1) + invalidate_model
    (Category). classic: the join entry, deleted by invalidate_model(Category), stays a
    member of conj:articles_article:, so its refill's SADD there emits nothing.
    insideout: filter(pk=1).order_by('-id') needs only conj:articles_article:id=1,
    which get(pk=1) created: its fill emits nothing but the `set` of its key.
    Totals stay exact, and so do the tables' invalidations (a conj key names its
    table); a table's misses and fills lie between the attributable fills and all;
    no deleted cache key counts for two tables. The run ends by SIGINT (classic) or
    SIGTERM (insideout): the last line is final and cumulative."""
    prepare(rclient)
    if layout == 'classic':
        steps = ['read:article.join_news', 'model:articles.Category', 'read:article.join_news',
                 'read:article.pk1', 'read:article.pk1_ordered', 'read:category.pk1',
                 'obj:articles.Article:1', 'model:articles.Category']
    else:
        steps = ['read:article.pk1', 'read:article.pk1_ordered', 'read:article.join_news',
                 'read:category.pk1', 'obj:articles.Article:1', 'model:articles.Category']
    (account, events), lines, err, done = run_stats(
        cacheops_bin, redis_port,
        lambda: with_witness(redis_port, lambda: run_workload(driver, layout, steps)),
        extra=[], end_signal=end_signal)

    want, want_tables, upper = expected_from_account(account)
    seen, seen_invalidations = witness_tally(events)
    assert seen == {c: want[c] for c in EVENT_COUNTERS}, (
        'harness: witness %r != driver account %r\nevents:\n%s' % (seen, want, fmt_events(events)))
    assert want_tables != upper, 'harness: the workload has no fill without table events'
    back_to_back = [rec for rec in account if 'conj_keys' in rec][-2:]
    assert [rec['table'] for rec in back_to_back] == [ART, CAT], back_to_back
    if layout == 'classic':
        assert all(rec['cache_keys'] for rec in back_to_back), (
            'harness: both back-to-back invalidations must delete cache keys', back_to_back)

    final = lines[-1]
    got = {c: final['totals'][c] for c in COUNTERS}
    assert got == want, ('totals %r != expected %r\nevents:\n%s' % (got, want, fmt_events(events)))
    for table in sorted(upper):
        have = table_counts(final, table)
        low = want_tables.get(table, zero())
        for c in ('misses', 'fills'):
            assert low[c] <= have[c] <= upper[table][c], (
                '%s %s: got %d, expected between %d (fills an event names the table for) and %d '
                '(all fills of the table)\nfinal line: %s'
                % (table, c, have[c], low[c], upper[table][c], json.dumps(final)))
        assert have['invalidations'] == seen_invalidations.get(table, 0), (table, final)
    assert sum(t['deleted'] for t in final['tables'].values()) <= final['totals']['deleted'], final
    check_intervals_add_up(lines)


def test_insideout_stale_entries_count_as_misses(driver, rclient, cacheops_bin, redis_port,
                                                 events_config):
    """insideout: after invalidate_obj(Article 1) the entries of 3 reads still exist
    but their conj stamps are gone. Reading them again, cacheops MGETs the key (found:
    no `keymiss` for it), sees a stamp missing, UNLINKs the entry (`del`, outside any
    invalidation script), recomputes and fills it again: its cache_read signal says
    miss. So `cacheops stats` must count these 3 as misses (and not as hits), though
    only 3 of the 6 misses show as `keymiss` events. Their pattern: `del` of a cache
    key that no invalidation is deleting, then the fill (`set`) of the same key.
    (Beyond the brief's "misses = keymiss events": without it, the hit ratio of an
    insideout cache looks best right after invalidations.)"""
    prepare(rclient)
    reads = ['read:article.pk1', 'read:article.cat1_pub', 'read:article.title_hello']
    steps = reads + ['obj:articles.Article:1'] + reads
    duration = 4.5
    (account, events), lines, err, done = run_stats(
        cacheops_bin, redis_port,
        lambda: with_witness(redis_port, lambda: run_workload(driver, 'insideout', steps)),
        extra=['--duration', str(duration)], wait=duration + 15)
    assert done < duration - SETTLE, 'the workload took %.1f s: raise `duration`' % done

    want, want_tables, upper = expected_from_account(account)
    seen, _ = witness_tally(events)
    assert want['misses'] == 6 and want['hits'] == 0 and want['fills'] == 6, want
    assert seen['misses'] == 3, 'harness: expected 3 keymiss events\n' + fmt_events(events)
    assert want_tables == upper and want_tables[ART]['fills'] == 6, want_tables

    final = lines[-1]
    got = {c: final['totals'][c] for c in ('hits', 'misses', 'fills', 'invalidations')}
    assert got == dict(hits=0, misses=6, fills=6, invalidations=want['invalidations']), (
        'stale insideout entries: totals %r, expected 6 misses (3 keymiss + 3 stale), 0 hits\n'
        'events:\n%s' % (got, fmt_events(events)))
    have = table_counts(final, ART)
    assert (have['misses'], have['fills']) == (6, 6), json.dumps(final)


def test_enable_events_and_count(driver, rclient, cacheops_bin, redis_port, events_config):
    """With notify-keyspace-events empty, --enable-events turns on what stats needs
    (keyevent, keymiss, and the generic, string, set, expired, evicted classes), and
    --count N ends the run after N intervals by itself, with a final line."""
    prepare(rclient, flags='')
    r = rclient(DB)
    count = 10
    flags = {}

    def record_flags():
        flags['value'] = r.config_get('notify-keyspace-events')['notify-keyspace-events']

    steps = ['read:article.pk1', 'read:article.pk2', 'read:article.pk1', 'read:category.pk1']
    (account, events), lines, err, done = run_stats(
        cacheops_bin, redis_port,
        lambda: with_witness(redis_port, lambda: run_workload(driver, 'classic', steps)),
        extra=['--count', str(count)], wait=count * INTERVAL + 15, before_workload=record_flags)
    assert done < count * INTERVAL - SETTLE, 'the workload took %.1f s: raise `count`' % done

    value = flags['value']
    assert 'E' in value and 'm' in value, 'after --enable-events: %r' % value
    for cls in 'g$sxe':  # del/expire, set, sadd, expired, evicted
        assert cls in value or 'A' in value, 'after --enable-events: %r lacks %r' % (value, cls)

    assert len(lines) in (count, count + 1), 'with --count %d: %d lines' % (count, len(lines))
    want, want_tables, _ = expected_from_account(account)
    assert (want['hits'], want['misses'], want['fills']) == (1, 3, 3), want
    seen, _ = witness_tally(events)
    assert seen == {c: want[c] for c in EVENT_COUNTERS}, (seen, want)
    final = lines[-1]
    assert {c: final['totals'][c] for c in COUNTERS} == want, (final, want)
    for table in (ART, CAT):
        have = table_counts(final, table)
        assert (have['misses'], have['fills']) == (want_tables[table]['misses'],
                                                   want_tables[table]['fills']), (table, final)
    check_intervals_add_up(lines)
