//! The TUI's Redis work, off the input thread: the input loop never waits on
//! Redis. Requests go in, responses come out; a table walk advances one SCAN
//! page between requests, so that a request never waits for the walk. Live
//! stats run on a second thread of their own (they block on a subscription).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::conn::Target;
use crate::database::Database;
use crate::error::{Error, Result};
use crate::filecache::{self, Root};
use crate::inspect::{show_key, ConjRow, ConjWalk, KeyRow, KeyView, KeysWalk, TableSummary, TablesWalk};
use crate::invalidate::{Invalidator, Progress, Step};
use crate::keys::{Family, Namespace};
use crate::layout::Layout;
use crate::pickle::{self, RenderOptions};
use crate::reap::{self, ReapOptions};
use crate::stats::{self, Cumulative, StatsOptions};

/// Something that writes, planned (a dry run) before it is applied.
#[derive(Debug, Clone)]
pub enum Job {
    Invalidate {
        label: String,
        step: Box<Step>,
        fields: Option<Map<String, Value>>,
    },
    /// Every conj set of one table, whatever its size.
    Reap { table: String },
    /// Adds the notify-keyspace-events flags the stats need.
    EnableEvents,
}

#[derive(Debug, Clone)]
pub enum Request {
    /// Walk the tables from the start (a refresh).
    Tables,
    /// More conj keys of a table; `restart` begins a new walk, which keeps
    /// only the conditions containing `filter` (any case; empty: all).
    Conj {
        table: String,
        restart: bool,
        filter: String,
    },
    Show(String),
    /// More keys matching a glob (`None`: the prefix's); `restart` begins anew.
    Keys {
        glob: Option<String>,
        restart: bool,
    },
    FileCache,
    /// Count what the job would change, change nothing.
    Plan(Job),
    Apply(Job),
}

#[derive(Debug, Clone)]
pub enum Response {
    Tables {
        tables: Vec<(String, TableSummary)>,
        fraction: f64,
        done: bool,
    },
    Conj {
        table: String,
        schemes: Vec<String>,
        rows: Vec<ConjRow>,
        restart: bool,
        done: bool,
        /// The filter the walk applies.
        filter: String,
    },
    /// A key, with its string value decoded (here, off the input thread).
    Key {
        view: Box<KeyView>,
        value: Option<String>,
    },
    Keys {
        rows: Vec<KeyRow>,
        restart: bool,
        fraction: f64,
        done: bool,
    },
    FileCache(std::result::Result<Box<filecache::Stats>, String>),
    /// What a job would change, one line each, and how to say yes.
    Planned {
        lines: Vec<String>,
        confirm: Confirm,
    },
    /// What a job changed.
    Applied(Vec<String>),
    /// A long job's progress.
    Working(String),
    Error(String),
    /// A request failed because Redis is unreachable (or busy); it was
    /// dropped, and the worker probes Redis until it answers.
    Disconnected(String),
    /// As `Disconnected`, for work the UI did not ask for (the table walk).
    Down(String),
    /// Redis answers again: what was dropped while it did not can be asked again.
    Reconnected,
}

/// How the dry run says a job is to be confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// It would change nothing: there is nothing to confirm.
    Nothing,
    /// `y`.
    Yes,
    /// Typing this name: a broad action, a conservative one, or one that
    /// breaks later invalidations.
    Typed(String),
}

/// What the stats thread reports.
#[derive(Debug, Clone)]
pub enum StatsMsg {
    Interval(Box<stats::Line>, Box<Cumulative>),
    /// Flags missing from notify-keyspace-events (empty: all there).
    Events(String),
    Error(String),
}

/// Where the worker works.
#[derive(Clone)]
pub struct WorkerConfig {
    pub target: Target,
    pub ns: Namespace,
    /// The layout the config names, if any.
    pub layout: Option<Layout>,
    pub file_cache_dir: PathBuf,
    /// The application's database: an object invalidated without field
    /// values is read from it (exact), as on the command line.
    pub database: Option<String>,
    pub use_tz: bool,
    /// Run the live stats thread (tests of other views leave it off).
    pub stats: bool,
}

pub struct Worker {
    pub tx: Sender<Request>,
    pub rx: Receiver<Response>,
    pub stats_rx: Receiver<StatsMsg>,
    stop: Arc<AtomicBool>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Rows fetched per "load more".
const PAGE_ROWS: usize = 200;

/// Pages of PAGE_ROWS conj keys a filtered walk reads per request at most.
const FILTER_PAGES: usize = 25;

pub fn spawn(cfg: WorkerConfig) -> Worker {
    let (req_tx, req_rx) = channel::<Request>();
    let (resp_tx, resp_rx) = channel::<Response>();
    let (stats_tx, stats_rx) = channel::<StatsMsg>();
    let stop = Arc::new(AtomicBool::new(false));
    if cfg.stats {
        let (target, ns, stop) = (cfg.target.clone(), cfg.ns.clone(), Arc::clone(&stop));
        std::thread::spawn(move || run_stats(&target, &ns, &stop, &stats_tx));
    }
    std::thread::spawn(move || run(cfg, req_rx, resp_tx));
    Worker {
        tx: req_tx,
        rx: resp_rx,
        stats_rx,
        stop,
    }
}

/// Sends a long job's progress to the UI.
struct ToUi<'a>(&'a Sender<Response>);

impl Progress for ToUi<'_> {
    fn update(&self, fraction: f64, message: &str) {
        let _ = self
            .0
            .send(Response::Working(format!("{message} ({:.0}%)", fraction * 100.0)));
    }
}

fn run(cfg: WorkerConfig, rx: Receiver<Request>, tx: Sender<Response>) {
    let mut con = None;
    let mut walk: Option<TablesWalk> = None;
    // Each table's walk, with the filter it applies.
    let mut conj: HashMap<String, (ConjWalk, String)> = HashMap::new();
    let mut keys: Option<KeysWalk> = None;
    // Set while Redis is unreachable or busy: the walk waits, and Redis is
    // probed every second until it answers, so that the UI can reload by
    // itself (a request that failed was dropped).
    let mut down = false;
    loop {
        // Requests first; the walk only moves on when there is none.
        let walking = !down && walk.as_ref().is_some_and(|w| !w.done);
        let req = match rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) if walking => None,
            Err(TryRecvError::Empty) => {
                let wait = Duration::from_millis(if down { 1000 } else { 200 });
                match rx.recv_timeout(wait) {
                    Ok(r) => Some(r),
                    Err(RecvTimeoutError::Timeout) => {
                        if down && probe(&cfg, &mut con) {
                            down = false;
                            let _ = tx.send(Response::Reconnected);
                        }
                        continue;
                    }
                    Err(_) => return,
                }
            }
            Err(TryRecvError::Disconnected) => return,
        };
        // Answers the UI counts (see App::pending); the walk's steps and a
        // walk's restart are not among them.
        let counted = !matches!(req, None | Some(Request::Tables));
        let lost = |e: String| {
            if counted {
                Response::Disconnected(e)
            } else {
                Response::Down(e)
            }
        };
        match req {
            Some(Request::FileCache) => {
                // No Redis needed.
                let _ = tx.send(Response::FileCache(file_cache_stats(&cfg.file_cache_dir)));
                continue;
            }
            Some(Request::Tables) => {
                walk = Some(TablesWalk::new(&cfg.ns));
                continue;
            }
            _ => {}
        }
        if con.is_none() {
            match cfg.target.connect() {
                Ok(c) => con = Some(c),
                Err(e) => {
                    // The request is dropped: the UI asks again once Redis is back.
                    down = true;
                    let _ = tx.send(lost(e.to_string()));
                    continue;
                }
            }
        }
        let c = con.as_mut().expect("connected above");
        let result = match req {
            None => {
                let w = walk.as_mut().expect("a walk in progress");
                w.step(c).map(|_| {
                    let _ = tx.send(Response::Tables {
                        tables: w.tables.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                        fraction: w.fraction,
                        done: w.done,
                    });
                })
            }
            Some(Request::Tables) | Some(Request::FileCache) => unreachable!("answered above"),
            Some(Request::Conj {
                table,
                restart,
                filter,
            }) => (|| {
                if restart || !conj.contains_key(&table) {
                    conj.insert(table.clone(), (ConjWalk::new(c, &cfg.ns, &table)?, filter));
                }
                let (w, filter) = conj.get_mut(&table).expect("inserted above");
                let rows = if filter.is_empty() {
                    w.more(c, PAGE_ROWS)?
                } else {
                    // The walk applies the filter, so that it searches every
                    // condition, not only those loaded; a bounded number of
                    // pages per request keeps requests short (the UI asks
                    // for more while the screen is not filled).
                    let wanted = filter.to_lowercase();
                    let mut found = Vec::new();
                    for _ in 0..FILTER_PAGES {
                        if found.len() >= PAGE_ROWS || w.done {
                            break;
                        }
                        found.extend(
                            w.more(c, PAGE_ROWS)?
                                .into_iter()
                                .filter(|r| r.conditions.to_lowercase().contains(&wanted)),
                        );
                    }
                    found
                };
                let _ = tx.send(Response::Conj {
                    table,
                    schemes: w.schemes(),
                    rows,
                    restart,
                    done: w.done,
                    filter: filter.clone(),
                });
                Ok(())
            })(),
            Some(Request::Show(key)) => show_key(c, &cfg.ns, &key).map(|v| {
                let value = v.value.as_ref().filter(|_| !v.lock).map(|raw| {
                    pickle::describe(
                        raw,
                        &RenderOptions {
                            max_len: 20_000,
                            ..RenderOptions::detail()
                        },
                    )
                });
                let _ = tx.send(Response::Key {
                    view: Box::new(v),
                    value,
                });
            }),
            Some(Request::Keys { glob, restart }) => (|| {
                if restart || keys.is_none() {
                    keys = Some(KeysWalk::new(&cfg.ns, glob.as_deref()));
                }
                let w = keys.as_mut().expect("set above");
                let rows = w.more(c, PAGE_ROWS)?;
                let _ = tx.send(Response::Keys {
                    rows,
                    restart,
                    fraction: w.fraction,
                    done: w.done,
                });
                Ok(())
            })(),
            Some(Request::Plan(job)) => do_job(&cfg, c, &job, true, &tx).map(|(lines, confirm)| {
                let _ = tx.send(Response::Planned { lines, confirm });
            }),
            Some(Request::Apply(job)) => do_job(&cfg, c, &job, false, &tx).map(|(lines, _)| {
                let _ = tx.send(Response::Applied(lines));
            }),
        };
        match result {
            Ok(()) if down => {
                down = false;
                let _ = tx.send(Response::Reconnected);
            }
            Ok(()) => {}
            Err(e) if unavailable(&e) => {
                con = None;
                down = true;
                let _ = tx.send(lost(e.to_string()));
            }
            Err(e) => {
                let _ = tx.send(Response::Error(e.to_string()));
            }
        }
    }
}

/// Redis cannot answer now but will: the connection is gone, or the server
/// is busy (a long script), loading its data, or without its master.
fn unavailable(e: &Error) -> bool {
    match e {
        Error::Connect(_) => true,
        Error::Redis(m) => ["BUSY", "LOADING", "busy loading", "MASTERDOWN", "TRYAGAIN"]
            .iter()
            .any(|code| m.contains(code)),
        _ => false,
    }
}

/// Whether Redis answers again (reconnecting if need be).
fn probe(cfg: &WorkerConfig, con: &mut Option<redis::Connection>) -> bool {
    if con.is_none() {
        *con = cfg.target.connect().ok();
    }
    let ok = con
        .as_mut()
        .is_some_and(|c| redis::cmd("PING").query::<String>(c).is_ok());
    if !ok {
        *con = None;
    }
    ok
}

/// Runs (or, with `dry_run`, counts) a job through the same core functions
/// as the CLI, and says what it did in a few lines, and how a dry run is to
/// be confirmed.
fn do_job(
    cfg: &WorkerConfig,
    con: &mut redis::Connection,
    job: &Job,
    dry_run: bool,
    tx: &Sender<Response>,
) -> Result<(Vec<String>, Confirm)> {
    let progress = ToUi(tx);
    match job {
        Job::Invalidate { label, step, fields } => {
            invalidate(cfg, con, label, step, fields.as_ref(), dry_run, &progress).map_err(|e| match e {
                // The core's advice names the CLI flag; here the dialog takes the values.
                Error::Usage(m) => Error::Usage(m.replace("--fields", "the field values")),
                e => e,
            })
        }
        Job::Reap { table } => {
            let opts = ReapOptions {
                min_conj_set_size: 0,
                dry_run,
                table: Some(table.clone()),
                layout: cfg.layout,
                ..ReapOptions::default()
            };
            let r = reap::reap(con, &cfg.ns, &opts, &progress)?;
            let verb = if dry_run { "would remove" } else { "removed" };
            let mut lines = vec![format!(
                "reap {table}: {}, {} checked, {verb} {}",
                count(r.conj_sets, "conj set"),
                count(r.members_checked, "member"),
                count(r.members_removed, "dead member")
            )];
            if r.insideout_conj_keys > 0 {
                lines.push("insideout stamps are not sets: nothing to reap in this layout".into());
            }
            let confirm = if r.members_removed == 0 {
                Confirm::Nothing
            } else {
                Confirm::Yes
            };
            Ok((lines, confirm))
        }
        Job::EnableEvents => {
            if dry_run {
                let setup = redis::cmd("CONFIG")
                    .arg("GET")
                    .arg("notify-keyspace-events")
                    .query::<Vec<String>>(con)?;
                let now = setup.get(1).cloned().unwrap_or_default();
                let missing: String = stats::missing_event_flags(&now).into_iter().collect();
                if missing.is_empty() {
                    return Ok((
                        vec![format!(
                            "notify-keyspace-events \"{now}\" has every flag the stats need"
                        )],
                        Confirm::Nothing,
                    ));
                }
                return Ok((
                    vec![format!(
                        "CONFIG SET notify-keyspace-events \"{now}{missing}\" (now \"{now}\")"
                    )],
                    Confirm::Yes,
                ));
            }
            let s = stats::check_events(con, true)?;
            Ok((
                vec![format!(
                    "notify-keyspace-events: \"{}\" -> \"{}\"",
                    s.before, s.after
                )],
                Confirm::Yes,
            ))
        }
    }
}

fn invalidate(
    cfg: &WorkerConfig,
    con: &mut redis::Connection,
    label: &str,
    step: &Step,
    fields: Option<&Map<String, Value>>,
    dry_run: bool,
    progress: &dyn Progress,
) -> Result<(Vec<String>, Confirm)> {
    // A second connection lets SCAN run ahead of the drops, as in the CLI.
    let scan_con = match step {
        Step::Model(_) | Step::App(_) => Some(cfg.target.connect()?),
        _ => None,
    };
    let mut inv = Invalidator::new(con, cfg.ns.clone(), cfg.layout)
        .dry_run(dry_run, false)
        .progress(progress);
    if let Some(s) = scan_con {
        inv = inv.scan_connection(s);
    }
    if !inv.known(step)? {
        return Err(Error::Unknown(format!(
            "{label}: unknown to Redis and to the config (nothing was ever cached for it); nothing was deleted"
        )));
    }
    let mut notes = Vec::new();
    let read = match (step, fields, &cfg.database) {
        (Step::Object(m, pk), None, Some(url)) => {
            let row = Database::open(url)?.read_row(m, pk, cfg.use_tz)?.ok_or_else(|| {
                Error::Unknown(format!(
                    "{label}: no such row in the database; nothing was deleted"
                ))
            })?;
            notes.push("the row's values were read from the database: exact".to_string());
            notes.extend(row.guesses.into_iter().map(|g| format!("guessed: {g}")));
            Some(row.fields)
        }
        _ => None,
    };
    let o = inv.apply(label, step, fields.or(read.as_ref()), false)?;
    let nothing = o.conj_keys + o.cache_keys + o.other_keys == 0;
    // One key that is not a conj key: named with its family (`None`: outside the prefix).
    let family = match step {
        Step::Key(k) => match cfg.ns.family(k) {
            Some(Family::Conj) => None,
            f => Some(f),
        },
        _ => None,
    };
    let mut lines = Vec::new();
    let mut confirm = if nothing {
        Confirm::Nothing
    } else if step.is_broad() {
        Confirm::Typed(broad_name(step))
    } else {
        Confirm::Yes
    };
    match (step, family) {
        (Step::Key(k), Some(_)) if nothing => lines.push(format!("{k} no longer exists: nothing to delete")),
        (Step::Key(k), Some(Some(Family::Schemes))) => {
            let table = cfg.ns.table_of(k).unwrap_or("?");
            let verb = if dry_run { "would delete" } else { "deleted" };
            lines.push(format!(
                "{verb} {k}, the schemes set of table {table} (family schemes)"
            ));
            if dry_run {
                lines.push(format!(
                    "cacheops' row invalidation reads this set to find a row's conj keys: without it, \
                     saving a row of {table} misses the queries cached so far, which then serve stale \
                     data until they expire"
                ));
                confirm = Confirm::Typed(k.clone());
            }
        }
        (Step::Key(k), Some(f)) => {
            let verb = if dry_run { "would delete" } else { "deleted" };
            let name = f.map(Family::name).unwrap_or("foreign");
            lines.push(format!("{verb} {k} (family {name})"));
        }
        _ if nothing => lines.push(format!(
            "{label}: nothing to delete (no conj key or cache key found)"
        )),
        _ => lines.push(o.sentence(dry_run)),
    }
    lines.extend(notes);
    if o.tables.len() > 1 || (o.tables.len() == 1 && o.tables[0] != *label) {
        lines.push(format!("tables: {}", o.tables.join(", ")));
    }
    if !o.exact && !nothing {
        if let Step::Object(m, _) = step {
            lines.push(
                "CONSERVATIVE (pk only): more than cacheops would drop; to be exact, give the row's \
                 field values (o on the table, then the values as JSON)"
                    .into(),
            );
            if confirm == Confirm::Yes {
                confirm = Confirm::Typed(m.db_table.clone());
            }
        }
    }
    if dry_run && o.conj_keys > 0 && o.cache_keys > 0 && !o.flushed {
        lines.push("(cache keys: conj set sizes, an upper bound)".into());
    }
    lines.extend(o.notes.iter().cloned());
    Ok((lines, confirm))
}

/// What a broad step's confirmation asks to type.
fn broad_name(step: &Step) -> String {
    match step {
        Step::All => "all".into(),
        Step::App(a) => a.app.clone(),
        Step::Model(m) => m.db_table.clone(),
        _ => String::new(),
    }
}

/// `1 conj key`, `2 conj keys`.
fn count(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn file_cache_stats(dir: &std::path::Path) -> std::result::Result<Box<filecache::Stats>, String> {
    let root = Root::open(dir, false).map_err(|e| e.to_string())?;
    filecache::stats(&root, SystemTime::now(), 50, 2, &|_| {})
        .map(Box::new)
        .map_err(|e| e.to_string())
}

/// Live stats until `stop`: the same engine as `cacheops stats`, one line a second.
fn run_stats(target: &Target, ns: &Namespace, stop: &AtomicBool, tx: &Sender<StatsMsg>) {
    let opts = StatsOptions {
        interval: Duration::from_secs(1),
        enable_events: false,
        exact: false,
        duration: None,
        count: None,
    };
    while !stop.load(Ordering::Relaxed) {
        if let Ok(mut c) = target.connect() {
            let missing = match stats::check_events(&mut c, false) {
                Ok(_) => String::new(),
                Err(_) => {
                    let now: Vec<String> = redis::cmd("CONFIG")
                        .arg("GET")
                        .arg("notify-keyspace-events")
                        .query(&mut c)
                        .unwrap_or_default();
                    stats::missing_event_flags(now.get(1).map(String::as_str).unwrap_or(""))
                        .into_iter()
                        .collect()
                }
            };
            let _ = tx.send(StatsMsg::Events(missing));
        }
        let r = stats::run(target, ns, &opts, stop, |line, cum| {
            let _ = tx.send(StatsMsg::Interval(Box::new(line.clone()), Box::new(cum.clone())));
        });
        if let Err(e) = r {
            let _ = tx.send(StatsMsg::Error(e.to_string()));
        }
        // Redis away (or events re-enabled): try again shortly.
        for _ in 0..20 {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
