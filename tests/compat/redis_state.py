"""Copy and compare whole Redis dbs (keys, types, values, TTL presence)."""

MAX_SHOWN = 40


# A golden db is populated once a session, but the session lasts minutes: an
# entry cached with a short timeout (cached_as(..., timeout=120)) can expire in
# one copy and not in the other. Copies of a frozen db are therefore made from
# the DUMPs taken right after it was populated, each key with the TTL it had then.
_frozen = {}


def freeze(client, db):
    """Remember db as it is now: later copies of it restore exactly this."""
    r = client(db)
    keys = list(r.scan_iter(count=1000))
    pipe = r.pipeline(transaction=False)
    for k in keys:
        pipe.pttl(k)
        pipe.dump(k)
    meta = pipe.execute()
    _frozen[db] = [(k, meta[2 * i], meta[2 * i + 1]) for i, k in enumerate(keys)
                   if meta[2 * i] != -2]


def thaw(db):
    """Forget db's frozen state: copies of it are made from the live db again."""
    _frozen.pop(db, None)


def copy_db(client, src_db, dst_db):
    """Replace db dst_db with a copy of src_db (type, value and TTL), as it was
    frozen if it was (see freeze)."""
    dst = client(dst_db)
    dst.flushdb()
    frozen = _frozen.get(src_db)
    if frozen is not None:
        pipe = dst.pipeline(transaction=False)
        for key, pttl, dump in frozen:
            pipe.restore(key, max(pttl, 0), dump)  # 0: no TTL
        pipe.execute()
        return len(frozen)
    src = client(src_db)
    pipe = src.pipeline(transaction=False)
    n = 0
    for key in src.scan_iter(count=1000):
        pipe.copy(key, key, destination_db=dst_db)
        n += 1
        if n % 500 == 0:
            pipe.execute()
    pipe.execute()
    return n


def snapshot(r):
    """dict key -> (type, value, has_ttl) for every key of the db."""
    keys = sorted(r.scan_iter(count=1000))
    pipe = r.pipeline(transaction=False)
    for k in keys:
        pipe.type(k)
        pipe.pttl(k)
    meta = pipe.execute()
    pipe = r.pipeline(transaction=False)
    types = []
    for i, k in enumerate(keys):
        t = meta[2 * i].decode()
        types.append(t)
        if t == 'string':
            pipe.get(k)
        elif t == 'set':
            pipe.smembers(k)
        elif t == 'list':
            pipe.lrange(k, 0, -1)
        elif t == 'hash':
            pipe.hgetall(k)
        elif t == 'zset':
            pipe.zrange(k, 0, -1, withscores=True)
        else:
            pipe.dump(k)
    values = pipe.execute()
    state = {}
    for i, k in enumerate(keys):
        t = types[i]
        v = values[i]
        if t == 'set':
            v = tuple(sorted(v))
        elif t == 'hash':
            v = tuple(sorted(v.items()))
        elif t in ('list', 'zset'):
            v = tuple(v)
        pttl = meta[2 * i + 1]
        if pttl == -2:  # vanished between SCAN and PTTL (expired): ignore
            continue
        state[k] = (t, v, pttl != -1)
    return state


def _k(key):
    return key.decode('utf-8', 'backslashreplace') if isinstance(key, bytes) else str(key)


def _short(value, limit=300):
    s = repr(value)
    return s if len(s) <= limit else s[:limit] + '...(%d chars)' % len(s)


def _show(v):
    t, value, has_ttl = v
    return 'type=%s ttl=%s value=%s' % (t, 'yes' if has_ttl else 'none', _short(value))


def diff(a, b, name_a='reference (db 1)', name_b='binary (db 2)'):
    """Human-readable differences between two snapshots; empty list if equal."""
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    lines = []

    def section(title, keys, fmt):
        if not keys:
            return
        lines.append('%s: %d key(s)' % (title, len(keys)))
        for k in keys[:MAX_SHOWN]:
            lines.append('    ' + fmt(k))
        if len(keys) > MAX_SHOWN:
            lines.append('    ... and %d more' % (len(keys) - MAX_SHOWN))

    section('keys only in %s' % name_a, only_a, lambda k: '%s  [%s]' % (_k(k), a[k][0]))
    section('keys only in %s' % name_b, only_b, lambda k: '%s  [%s]' % (_k(k), b[k][0]))
    section('keys that differ', changed,
            lambda k: '%s\n        %s: %s\n        %s: %s' % (
                _k(k), name_a, _show(a[k]), name_b, _show(b[k])))
    return lines


def conj_summary(state, limit=12):
    """A short list of conj/schemes keys of a snapshot, for messages."""
    keys = sorted(_k(k) for k in state if b'conj:' in k or b'schemes:' in k)
    return keys[:limit]
