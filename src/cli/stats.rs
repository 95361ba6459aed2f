//! `cacheops stats`: live hit/miss/fill/invalidation rates per table, from
//! Redis keyspace notifications.

use std::io::IsTerminal;
use std::io::{BufRead, BufReader, Write};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;

use cacheops::error::{exit, Error, Result};
use cacheops::keys::Namespace;
use cacheops::stats::{self, Cumulative, Line, StatsOptions};

use super::{load_settings, GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  cacheops stats                          # a live table, refreshed every second
  cacheops stats --json --interval 10     # one JSON object per line, for log shippers
  cacheops stats --json --duration 60     # a minute, then the totals (\"final\": true)
  cacheops stats --enable-events          # add the notify-keyspace-events flags it needs";

/// Live cache statistics per table, from Redis keyspace notifications
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct StatsArgs {
    /// Seconds between reports
    #[arg(long, value_name = "SECS", default_value = "1", value_parser = super::parse_seconds)]
    pub interval: Duration,
    /// Stop after this many seconds (with the totals)
    #[arg(long, value_name = "SECS", value_parser = super::parse_seconds)]
    pub duration: Option<Duration>,
    /// Stop after this many reports (with the totals; 0: none, only the setup)
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
    /// Add the notify-keyspace-events flags that are missing (CONFIG SET; prints how to revert)
    #[arg(long)]
    pub enable_events: bool,
    /// Count hits exactly, per table, with MONITOR (costly on a busy server: every command is copied to us)
    #[arg(long)]
    pub exact: bool,
    /// Serve the counters in Prometheus format at http://ADDR/metrics (a bare port means 127.0.0.1)
    #[arg(long, value_name = "ADDR")]
    pub serve: Option<String>,
}

pub fn run(g: &GlobalArgs, a: &StatsArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let target = cacheops::conn::Target::from_setting(&settings.redis)?;
    let mut con = target.connect()?;
    let setup = stats::check_events(&mut con, a.enable_events)?;
    if setup.before != setup.after {
        // A change to the server's configuration: said even with -q.
        let cli = target
            .redis_cli_args()
            .map(|a| format!("redis-cli {a}"))
            .unwrap_or_else(|| "redis-cli (on the master)".into());
        out.warn(&format!(
            "notify-keyspace-events set to \"{}\" (was \"{}\"); revert with: {cli} CONFIG SET notify-keyspace-events \"{}\"",
            setup.after, setup.before, setup.before
        ));
    }
    if a.exact {
        out.warn("--exact uses MONITOR: Redis copies every command it runs to this client, which costs throughput on a busy server");
    }
    // Ctrl-C and SIGTERM end the run with the totals, exit 0.
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).map_err(|e| Error::Io(e.to_string()))?;
    }
    let opts = StatsOptions {
        interval: a.interval,
        enable_events: a.enable_events,
        exact: a.exact,
        duration: a.duration,
        count: a.count,
    };
    let live = !out.json && std::io::stdout().is_terminal();
    let metrics = Arc::new(Mutex::new(stats::prometheus::render(&Cumulative::default())));
    if let Some(addr) = &a.serve {
        serve_metrics(addr, Arc::clone(&metrics), out)?;
    }
    stats::run(
        &target,
        &Namespace::new(settings.prefix.clone()),
        &opts,
        &stop,
        |line, cumulative| {
            if let Ok(mut m) = metrics.lock() {
                *m = stats::prometheus::render(cumulative);
            }
            if out.json {
                out.print(&serde_json::to_string(line).unwrap_or_default());
            } else if !out.quiet || line.is_final {
                show(out, line, live);
            }
        },
    )?;
    Ok(exit::OK)
}

fn show(out: &Output, l: &Line, live: bool) {
    if live && !l.is_final {
        print!("\x1b[2J\x1b[H");
    }
    let t = &l.totals.counters;
    let reads = t.hits + t.misses;
    let ratio = if reads > 0 {
        format!("{:.1}%", t.hits as f64 * 100.0 / reads as f64)
    } else {
        "-".into()
    };
    out.print(&format!(
        "{} {:.1} s: hit ratio {ratio} ({}) | {} hits, {} misses, {} fills, {} invalidations, {} deleted, {} expired, {} evicted",
        if l.is_final { "total over" } else { "last" },
        l.interval_s,
        if l.totals.hits_exact { "exact hits" } else { "hits estimated, instance-wide" },
        t.hits,
        t.misses,
        t.fills,
        t.invalidations,
        t.deleted,
        t.expired,
        t.evicted
    ));
    let mut rows: Vec<_> = l.tables.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.misses + r.1.invalidations));
    if !rows.is_empty() {
        let mut table = out.table(&[
            "table",
            "misses",
            "fills",
            "invalidations",
            "deleted",
            "expired",
            "evicted",
        ]);
        for (name, c) in rows.into_iter().take(15) {
            table.add_row(vec![
                name.clone(),
                c.misses.to_string(),
                c.fills.to_string(),
                c.invalidations.to_string(),
                c.deleted.to_string(),
                c.expired.to_string(),
                c.evicted.to_string(),
            ]);
        }
        out.print(&table.to_string());
    }
    if l.flushes > 0 {
        out.warn(&format!(
            "{} FLUSHDB/FLUSHALL: everything was invalidated",
            l.flushes
        ));
    }
    for k in &l.evicted_conj_keys {
        out.warn(&format!(
            "conj key evicted: {k}: its entries can no longer be invalidated (check maxmemory-policy)"
        ));
    }
    if l.events_lost {
        out.warn("the subscription dropped and was re-established: events of this interval were lost");
    }
}

/// A minimal HTTP endpoint on its own thread: GET /metrics answers the text
/// the stats loop last rendered; anything else is 404.
fn serve_metrics(addr: &str, metrics: Arc<Mutex<String>>, out: &Output) -> Result<()> {
    let addr = if addr.parse::<u16>().is_ok() {
        format!("127.0.0.1:{addr}")
    } else {
        addr.to_string()
    };
    let listener = std::net::TcpListener::bind(&addr)
        .map_err(|e| Error::Usage(format!("--serve {addr}: cannot listen there: {e}")))?;
    out.note(&format!(
        "serving Prometheus metrics at http://{}/metrics",
        listener.local_addr().map(|a| a.to_string()).unwrap_or(addr)
    ));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Drain the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let mut stream = &stream;
            let response = if request.starts_with("GET /metrics ") {
                let body = metrics.lock().map(|m| m.clone()).unwrap_or_default();
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    Ok(())
}
