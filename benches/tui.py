"""`cacheops tui` on a large db, in a real terminal (tmux): time to the first
drawn screen and to a complete Tables view, key-to-redraw latency while the
table scan runs, and peak memory after paging through every key in the Keys
view, at two db sizes (memory must not grow with the db). Side by side, the
floor for walking the same db: `redis-cli --scan`.

  cargo build --release
  target/compat-venv/bin/python benches/tui.py

The binary writes its own timings (CACHEOPS_TUI_TRACE, see src/tui/trace.rs):
key-to-redraw is from the key's read to the end of the next draw.
Data: as benches/inspect_db.py (benches/invalidate.py's fill_large).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BIN, Redis  # noqa: E402
from invalidate import fill_large  # noqa: E402


# A tmux server of our own: no user session is touched.
SOCKET = 'cacheops-%d' % os.getpid()


def tmux(*args):
    return subprocess.run(['tmux', '-L', SOCKET] + list(args), check=True, stdout=subprocess.PIPE, text=True).stdout


def read_trace(path):
    events = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    events.append((float(parts[0]), parts[1], parts[2] if len(parts) > 2 else ''))
    except FileNotFoundError:
        pass
    return events


def first(events, name):
    return next((e for e in events if e[1] == name), None)


def wait_for(path, name, timeout, while_waiting=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        ev = first(read_trace(path), name)
        if ev:
            return ev
        if while_waiting:
            while_waiting()
        time.sleep(0.01)
    raise SystemExit('no %s event within %d s' % (name, timeout))


def run(url):
    trace = tempfile.NamedTemporaryFile(prefix='cacheops-tui-trace-', delete=False).name
    os.unlink(trace)
    session = 'cacheops-bench-%d' % os.getpid()
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50',
         'env', 'CACHEOPS_TUI_TRACE=' + trace, 'NO_COLOR=1', BIN, '--redis', url, 'tui')
    try:
        wait_for(trace, 'first_draw', 10)
        # Keys while the Tables scan runs: j and k in turn, about 30 a second.
        sent = [0]

        def nudge():
            if time.time() - nudge.last >= 0.03:
                tmux('send-keys', '-t', session, 'j' if sent[0] % 2 == 0 else 'k')
                sent[0] += 1
                nudge.last = time.time()
        nudge.last = 0
        wait_for(trace, 'tables_done', 600, nudge)
        # Page through every key: Tab to Keys, then Page Down, 40 at a time.
        tmux('send-keys', '-t', session, 'Tab')

        def page():
            tmux('send-keys', '-t', session, *(['PageDown'] * 40))
        t_keys = time.time()
        wait_for(trace, 'keys_done', 1800, page)
        keys_s = time.time() - t_keys
        tmux('send-keys', '-t', session, 'q')
        wait_for(trace, 'exit_peak_rss_kib', 20)
    finally:
        subprocess.run(['tmux', '-L', SOCKET, 'kill-server'], stderr=subprocess.DEVNULL)
    ev = read_trace(trace)
    os.unlink(trace)
    tables_at = first(ev, 'tables_done')[0]
    lat = [float(v) for t, n, v in ev if n == 'key_to_redraw_ms' and t < tables_at]
    paging = [float(v) for t, n, v in ev if n == 'key_to_redraw_ms' and t > tables_at]
    return {
        'first_draw_ms': first(ev, 'first_draw')[0],
        'tables_s': first(ev, 'tables_done')[0] / 1000,
        'keys_listed': int(first(ev, 'keys_done')[2]),
        'keys_s': keys_s,
        'lat': lat,
        'paging': paging,
        'peak_mib': int(first(ev, 'exit_peak_rss_kib')[2]) / 1024,
    }


def redis_cli_scan(port):
    t = time.perf_counter()
    out = subprocess.run('redis-cli -p %d -n 1 --scan | wc -l' % port, shell=True,
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    return time.perf_counter() - t, int(out)


def main():
    server = Redis()
    try:
        r = server.client()
        print('| keys | first screen | Tables complete | key-to-redraw during the Tables scan (median / p95 / max, n) '
              '| paging through every key (time; key-to-redraw median / max) | keys listed | peak RSS '
              '| `redis-cli --scan` of the same db |')
        print('|---|---|---|---|---|---|---|---|')
        for model_sets, other_sets in ((10000, 40000), (50000, 200000)):
            r.flushdb()
            fill_large(r, model_sets, other_sets)
            n = r.dbsize()
            res = run(server.url())
            scan_s, scanned = redis_cli_scan(server.port)
            lat = sorted(res['lat'])
            p95 = lat[int(0.95 * (len(lat) - 1))] if lat else 0
            pg = res['paging'] or [0]
            print('| %d | %.0f ms | %.2f s | %.1f / %.1f / %.1f ms (%d) | %.1f s; %.1f / %.1f ms | %d | %.1f MiB '
                  '| %.2f s (%d keys) |'
                  % (n, res['first_draw_ms'], res['tables_s'],
                     statistics.median(lat) if lat else 0, p95, max(lat) if lat else 0, len(lat),
                     res['keys_s'], statistics.median(pg), max(pg), res['keys_listed'], res['peak_mib'],
                     scan_s, scanned))
            sys.stdout.flush()
    finally:
        server.stop()


if __name__ == '__main__':
    main()
