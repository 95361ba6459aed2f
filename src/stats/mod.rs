//! Live statistics from Redis keyspace notifications: misses, fills,
//! invalidations, expirations and evictions per table, and an estimate of hits.
//! See `engine` for how events are attributed; this module subscribes, polls
//! INFO for the reads no event reports, and cuts the stream into intervals.

pub mod engine;
pub mod monitor;
pub mod prometheus;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use redis::Connection;
use serde::Serialize;

use crate::conn::Target;
use crate::error::{Error, Result};
use crate::keys::Namespace;

pub use engine::{Counters, Engine, Tally};
pub use prometheus::Cumulative;

/// The notify-keyspace-events flags the engine needs: keyevent channels (E),
/// generic (g: del), string ($: set), set (s: sadd), list (l: lpush of lock
/// signals), expired (x), evicted (e), keymiss (m).
pub const NEEDED_FLAGS: &str = "Eg$slxem";

/// Flags of `NEEDED_FLAGS` that `flags` lacks ('A' stands for "g$lshzxetd").
pub fn missing_event_flags(flags: &str) -> Vec<char> {
    let has = |c: char| flags.contains(c) || (flags.contains('A') && "g$lshzxetd".contains(c));
    NEEDED_FLAGS.chars().filter(|c| !has(*c)).collect()
}

/// What `--enable-events` did.
#[derive(Debug, Clone, Serialize)]
pub struct EventsSetup {
    pub before: String,
    pub after: String,
}

/// Reads notify-keyspace-events; with `enable`, adds what is missing (keeping
/// the current flags). Errors say what to do when CONFIG is not allowed.
pub fn check_events(con: &mut Connection, enable: bool) -> Result<EventsSetup> {
    let current: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("notify-keyspace-events")
        .query(con)
        .map_err(|e| Error::Refused(format!(
            "cannot read notify-keyspace-events ({e}); on a managed Redis set it in the provider's parameter group to include \"{NEEDED_FLAGS}\""
        )))?;
    let before = current.get(1).cloned().unwrap_or_default();
    let missing = missing_event_flags(&before);
    if missing.is_empty() {
        return Ok(EventsSetup {
            after: before.clone(),
            before,
        });
    }
    let after = format!("{before}{}", missing.iter().collect::<String>());
    if !enable {
        return Err(Error::Refused(format!(
            "keyspace notifications lack \"{}\" (now \"{before}\"): run with --enable-events, or CONFIG SET notify-keyspace-events \"{after}\"",
            missing.iter().collect::<String>()
        )));
    }
    redis::cmd("CONFIG").arg("SET").arg("notify-keyspace-events").arg(&after).query::<()>(con).map_err(|e| {
        Error::Refused(format!(
            "CONFIG SET is not allowed here ({e}); on a managed Redis add \"{NEEDED_FLAGS}\" to notify-keyspace-events in the provider's parameter group"
        ))
    })?;
    Ok(EventsSetup { before, after })
}

/// One interval's line of `cacheops stats --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub ts: f64,
    pub interval_s: f64,
    pub totals: Totals,
    pub tables: std::collections::BTreeMap<String, Counters>,
    /// FLUSHDB / FLUSHALL calls seen (`invalidate all`).
    pub flushes: u64,
    pub lock_releases: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evicted_conj_keys: Vec<String>,
    /// The subscription dropped and was re-established: events were lost.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub events_lost: bool,
    #[serde(rename = "final", skip_serializing_if = "std::ops::Not::not")]
    pub is_final: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    #[serde(flatten)]
    pub counters: Counters,
    /// Hits are estimated (INFO commandstats, instance-wide) unless exact.
    pub hits_exact: bool,
}

#[derive(Debug, Clone)]
pub struct StatsOptions {
    pub interval: Duration,
    /// Put the notify-keyspace-events flags back after a reconnect (a
    /// restarted Redis forgets a CONFIG SET).
    pub enable_events: bool,
    /// Count reads exactly with MONITOR.
    pub exact: bool,
    pub duration: Option<Duration>,
    pub count: Option<u64>,
}

/// Reads of cache keys Redis served (GET + MGET calls), and FLUSHDB/FLUSHALL calls.
fn read_counters(con: &mut Connection) -> Result<(u64, u64)> {
    let info: String = redis::cmd("INFO").arg("commandstats").query(con)?;
    Ok(counters_of(&info))
}

/// `read_counters` from the text of INFO commandstats.
fn counters_of(info: &str) -> (u64, u64) {
    let calls = |name: &str| -> u64 {
        info.lines()
            .find(|l| l.starts_with(&format!("cmdstat_{name}:")))
            .and_then(|l| l.split("calls=").nth(1)?.split(',').next()?.parse().ok())
            .unwrap_or(0)
    };
    (calls("get") + calls("mget"), calls("flushdb") + calls("flushall"))
}

/// How long an interval's end waits for its barrier (on the subscription,
/// then through MONITOR) before it closes the interval without it. Only a
/// broken link takes that long: the loop feeds the engine meanwhile.
const BARRIER_WAIT: Duration = Duration::from_secs(5);

/// Where an interval ends. Keyevents come on the subscription, reads from
/// INFO commandstats (or MONITOR), on other connections: read at "the same
/// time" they are not cut at the same point of the server's command stream,
/// and a read lands in one interval, its miss in the next (hits are reads
/// minus misses). So the end is a point of that stream: one MULTI reads INFO
/// commandstats and PUBLISHes `seq` on the run's own channel. The
/// subscription gets that message after the keyevents of every command
/// before it, and before any after it; MONITOR shows the PUBLISH in the same
/// place. No script or UNLINK is ever cut either: they run whole.
struct Cut {
    seq: u64,
    /// GET + MGET and FLUSHDB/FLUSHALL calls at the barrier.
    reads: u64,
    flushes: u64,
    /// The barrier went out: the interval closes when it comes back (or at
    /// `deadline`). False: PUBLISH or SUBSCRIBE refused (ACL), close now.
    barrier: bool,
    reached: bool,
    deadline: Instant,
    /// The first cut, or one after a reconnect: it sets where counting
    /// starts and closes no interval.
    rebase: bool,
}

impl Cut {
    fn start(admin: &mut Connection, channel: Option<&str>, seq: u64, rebase: bool) -> Result<Cut> {
        let with_barrier = channel.and_then(|ch| {
            redis::pipe()
                .atomic()
                .cmd("INFO")
                .arg("commandstats")
                .cmd("PUBLISH")
                .arg(ch)
                .arg(seq)
                .query::<(String, i64)>(admin)
                .ok()
        });
        let (barrier, (reads, flushes)) = match with_barrier {
            Some((info, _)) => (true, counters_of(&info)),
            None => (false, read_counters(admin)?),
        };
        Ok(Cut {
            seq,
            reads,
            flushes,
            barrier,
            reached: !barrier,
            deadline: Instant::now() + BARRIER_WAIT,
            rebase,
        })
    }

    fn due(&self) -> bool {
        self.reached || Instant::now() >= self.deadline
    }
}

fn now_s() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Subscribes and reports every interval until `opts` or `stop` ends it; the
/// last line (`final`) carries the cumulative counts.
pub fn run(
    target: &Target,
    ns: &Namespace,
    opts: &StatsOptions,
    stop: &AtomicBool,
    mut emit: impl FnMut(&Line, &Cumulative),
) -> Result<Tally> {
    // `--count 0`, as `head -n 0`: no report, not even the totals of nothing.
    if opts.count == Some(0) {
        return Ok(Tally::default());
    }
    let db = target.db();
    let mut admin = target.connect()?;
    let mut sub = target.connect()?;
    let channel = format!("__keyevent@{db}__:*");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let barrier = format!("cacheops-stats-barrier:{}:{nanos}", std::process::id());
    let mut pubsub = sub.as_pubsub();
    pubsub.psubscribe(&channel)?;
    // Refused (an ACL without this channel): intervals end without barriers.
    let mut barrier_on = pubsub.subscribe(&barrier).is_ok();
    pubsub.set_read_timeout(Some(Duration::from_millis(50)))?;

    let mut engine = Engine::new(ns.clone());
    let monitor_stop = std::sync::Arc::new(AtomicBool::new(false));
    let monitor = if opts.exact {
        Some(monitor::start(
            target,
            ns,
            &barrier,
            std::sync::Arc::clone(&monitor_stop),
        )?)
    } else {
        None
    };
    let mut reads_dropped = 0u64;
    let mut cumulative = Cumulative::default();
    let started = Instant::now();
    let (mut reads0, mut flushes0) = (0, 0);
    let mut seq = 0u64;
    // Counting starts at the first barrier: the reads before it are in reads0.
    let mut cut = Some(Cut::start(
        &mut admin,
        barrier_on.then_some(barrier.as_str()),
        seq,
        true,
    )?);
    let mut counting = false;
    let mut tick = Instant::now();
    let mut emitted = 0u64;
    let mut lost = false;
    loop {
        let mut dropped = false;
        match pubsub.get_message() {
            Ok(msg) if msg.get_channel_name() == barrier => {
                // An earlier barrier that came back too late is not this one.
                if let Some(c) = &mut cut {
                    c.reached |= c.barrier && msg.get_payload_bytes() == c.seq.to_string().as_bytes();
                }
            }
            Ok(msg) => {
                let event = msg
                    .get_channel_name()
                    .rsplit(':')
                    .next()
                    .unwrap_or("")
                    .to_string();
                if let (true, Ok(key)) = (counting, std::str::from_utf8(msg.get_payload_bytes())) {
                    engine.event(&event, key);
                }
            }
            Err(e) if e.is_timeout() => {}
            // A signal (Ctrl-C, SIGTERM) interrupting the read: the stop check below ends the run.
            Err(_) if stop.load(Ordering::Relaxed) => {}
            // Redis restarted, or dropped us (client-output-buffer-limit).
            Err(e) if e.is_connection_dropped() || e.is_io_error() => dropped = true,
            Err(e) => return Err(e.into()),
        }
        let stopping = stop.load(Ordering::Relaxed) || opts.duration.is_some_and(|d| started.elapsed() >= d);
        if !dropped && cut.is_none() && (tick.elapsed() >= opts.interval || stopping) {
            seq += 1;
            match Cut::start(&mut admin, barrier_on.then_some(barrier.as_str()), seq, false) {
                Ok(c) => cut = Some(c),
                // Gone between two events: the same as the subscription dropping.
                Err(Error::Connect(_)) => dropped = true,
                Err(e) => return Err(e),
            }
        }
        if dropped {
            // Say events were lost, reconnect both connections.
            lost = true;
            cumulative.drops += 1;
            drop(pubsub);
            sub = reconnect(target, stop)?;
            pubsub = sub.as_pubsub();
            pubsub.psubscribe(&channel)?;
            barrier_on = pubsub.subscribe(&barrier).is_ok();
            pubsub.set_read_timeout(Some(Duration::from_millis(50)))?;
            admin = reconnect(target, stop)?;
            if opts.enable_events {
                let _ = check_events(&mut admin, true);
            }
            // The counters start again from here (the interval goes on).
            seq += 1;
            cut = Some(Cut::start(
                &mut admin,
                barrier_on.then_some(barrier.as_str()),
                seq,
                true,
            )?);
            continue;
        }
        let Some(c) = cut.take_if(|c| c.due()) else {
            continue;
        };
        if let Some(m) = &monitor {
            // The reads up to the barrier (MONITOR shows it after them), or
            // those already here when there is none to wait for.
            let aligned = c.barrier && c.reached;
            loop {
                let seen = if aligned {
                    m.rx.recv_timeout(c.deadline.saturating_duration_since(Instant::now()))
                        .map_err(|_| ())
                } else {
                    m.rx.try_recv().map_err(|_| ())
                };
                match seen {
                    Ok(monitor::Seen::Read(key)) if counting => engine.read(&key),
                    Ok(monitor::Seen::Barrier(n)) if aligned && n == c.seq => break,
                    Ok(_) => {}
                    Err(()) => break,
                }
            }
            let d = m.dropped.load(Ordering::Relaxed);
            if d > reads_dropped {
                reads_dropped = d;
                lost = true; // MONITOR outran us: exact hits are short
            }
        }
        if c.rebase {
            reads0 = c.reads;
            flushes0 = c.flushes;
            counting = true;
            continue;
        }
        let (reads, flushes) = (c.reads, c.flushes);
        let interval = engine.take_interval(Some(reads.saturating_sub(reads0)), opts.exact);
        let new_flushes = flushes.saturating_sub(flushes0);
        reads0 = reads;
        flushes0 = flushes;
        cumulative.flushes += new_flushes;
        cumulative.tally.merge(&interval);
        emitted += 1;
        let done = stopping || opts.count.is_some_and(|c| emitted >= c);
        emit(
            &line(
                &interval,
                new_flushes,
                tick.elapsed().as_secs_f64(),
                std::mem::take(&mut lost),
                false,
                opts.exact,
            ),
            &cumulative,
        );
        tick = Instant::now();
        if done {
            let total = line(
                &cumulative.tally,
                cumulative.flushes,
                started.elapsed().as_secs_f64(),
                false,
                true,
                opts.exact,
            );
            emit(&total, &cumulative);
            monitor_stop.store(true, Ordering::Relaxed);
            return Ok(cumulative.tally);
        }
    }
}

fn line(t: &Tally, flushes: u64, interval_s: f64, events_lost: bool, is_final: bool, exact: bool) -> Line {
    Line {
        ts: now_s(),
        interval_s,
        totals: Totals {
            counters: t.totals.clone(),
            hits_exact: exact,
        },
        tables: t.tables.clone(),
        flushes,
        lock_releases: t.lock_releases,
        evicted_conj_keys: t.evicted_conj_keys.clone(),
        events_lost,
        is_final,
    }
}

/// Connects again after a drop, retrying for a minute (a Redis restart, a
/// failover) unless asked to stop.
fn reconnect(target: &Target, stop: &AtomicBool) -> Result<Connection> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        std::thread::sleep(Duration::from_millis(250));
        match target.connect() {
            Ok(c) => return Ok(c),
            Err(e) if Instant::now() >= deadline || stop.load(Ordering::Relaxed) => return Err(e),
            Err(_) => {}
        }
    }
}
