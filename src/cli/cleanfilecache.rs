//! `cacheops cleanfilecache [PATH...]`: expired file-cache entries go, for cron.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cacheops::units::human_bytes;
use clap::builder::RangedU64ValueParser;
use clap::Args;
use serde_json::json;

use cacheops::error::{exit, Error, Result};
use cacheops::filecache::{self, CleanOptions, CleanReport, Root};

use super::{load_settings, GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  # crontab: every 10 minutes, silent unless something fails
  */10 * * * * cacheops cleanfilecache
  # what would go, with a summary
  cacheops cleanfilecache --dry-run -v
  # several directories; `default` is file_cache_dir from the settings
  cacheops cleanfilecache default /srv/app/cache --json";

/// A write still in progress after a day is no write in progress; a bound
/// also keeps the deadline arithmetic far from Duration's limits.
const MAX_GRACE_S: f64 = 86_400.0;
/// Workers share one disk: past a few dozen they only cost memory (a stack each).
const MAX_THREADS: u64 = 64;

fn parse_grace(s: &str) -> std::result::Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    // `contains` is false for NaN too.
    if !(0.0..=MAX_GRACE_S).contains(&secs) {
        return Err(format!("must be between 0 and {MAX_GRACE_S} seconds (a day)"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Remove expired file-cache entries, as `./manage.py cleanfilecache` does, safely
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct CleanArgs {
    /// Cache directories; `default` (the default) is file_cache_dir from the settings.
    /// A missing directory is an error, unless it is cacheops' own default, unconfigured
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Seconds (0 to 86400): a file changed this recently is a write in progress and is kept
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = parse_grace)]
    pub grace: Duration,
    /// Stop after removing this many files, a safety net for clock jumps: warns and exits 9
    #[arg(long, value_name = "N")]
    pub max_delete: Option<u64>,
    /// Count what would be removed; remove nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Wait for another running clean of the same directory instead of exiting
    #[arg(long)]
    pub wait: bool,
    /// Clean a directory that does not look like a cacheops file cache, or follow a symlinked one
    #[arg(long)]
    pub force: bool,
    /// Worker threads, 1 to 64 [default: the number of CPUs, at most 4]
    #[arg(long, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_THREADS))]
    pub threads: Option<usize>,
}

/// Who named a directory to clean: a missing one is an error unless it is
/// cacheops' default, which only appears once something was cached.
enum Origin {
    Default,
    Settings(String),
    Argument,
}

pub fn run(g: &GlobalArgs, a: &CleanArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let from_settings = || {
        let origin = match &settings.file_cache_dir_origin {
            Some(o) => Origin::Settings(o.clone()),
            None => Origin::Default,
        };
        (settings.file_cache_dir.clone(), origin)
    };
    let paths: Vec<(PathBuf, Origin)> = if a.paths.is_empty() {
        vec![from_settings()]
    } else {
        a.paths
            .iter()
            .map(|p| {
                if p == "default" {
                    from_settings()
                } else {
                    (PathBuf::from(p), Origin::Argument)
                }
            })
            .collect()
    };
    let opts = CleanOptions {
        now: SystemTime::now(),
        grace: a.grace,
        max_delete: a.max_delete,
        dry_run: a.dry_run,
        threads: a.threads.unwrap_or_else(default_threads),
    };
    // Each directory on its own: one that fails must not hide what was done
    // to the others.
    let outcomes: Vec<(PathBuf, Result<CleanReport>)> = paths
        .into_iter()
        .map(|(path, origin)| {
            let r = clean_one(&path, &origin, a, &opts, out);
            (path, r)
        })
        .collect();
    report(out, &outcomes, a.max_delete);
    Ok(exit_code(&outcomes))
}

fn clean_one(
    path: &Path,
    origin: &Origin,
    a: &CleanArgs,
    opts: &CleanOptions,
    out: &Output,
) -> Result<CleanReport> {
    let missing =
        matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
    match origin {
        Origin::Default if missing => {
            return Ok(CleanReport {
                path: path.display().to_string(),
                missing: true,
                dry_run: a.dry_run,
                ..Default::default()
            });
        }
        // A typo in the settings must reach cron, with where it came from.
        Origin::Settings(o) if missing => {
            return Err(Error::Io(format!("{} does not exist ({o})", path.display())));
        }
        _ => {}
    }
    let root = Root::open(path, a.force)?;
    if !root.lock(a.wait)? {
        return Err(Error::Busy(format!(
            "another cleanfilecache is running on {}; not cleaned (--wait to wait for it)",
            path.display(),
        )));
    }
    let bar = out.progress();
    filecache::clean(&root, opts, &|n| {
        use cacheops::invalidate::Progress;
        bar.update((n as f64 / 256.0).min(1.0), &format!("{} shard directories", n));
    })
}

/// A directory that could not be cleaned at all says most (its own code,
/// the first one's); then a `--max-delete` stop, which needs a human (has
/// the clock jumped?); then errors met during a run.
fn exit_code(outcomes: &[(PathBuf, Result<CleanReport>)]) -> i32 {
    if let Some(e) = outcomes.iter().find_map(|(_, r)| r.as_ref().err()) {
        return e.exit_code();
    }
    let reports = || outcomes.iter().filter_map(|(_, r)| r.as_ref().ok());
    if reports().any(|r| r.stopped_at_max) {
        return exit::STOPPED;
    }
    if reports().any(|r| r.errors > 0) {
        return exit::FAILURE;
    }
    exit::OK
}

fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4)
}

fn report(out: &Output, outcomes: &[(PathBuf, Result<CleanReport>)], max_delete: Option<u64>) {
    for (_, r) in outcomes {
        match r {
            Err(e) => out.error(e),
            // The safety net tripped: cron must hear it, even with -q or --json.
            Ok(r) if r.stopped_at_max => out.warn(&format!(
                "{}: {} at --max-delete {}: more files look expired than that (has the clock jumped forward?); the rest are left for the next run",
                r.path,
                if r.dry_run { "would stop" } else { "stopped" },
                max_delete.unwrap_or_default()
            )),
            Ok(_) => {}
        }
    }
    let reports: Vec<&CleanReport> = outcomes.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    if out.json {
        let results: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|(path, r)| match r {
                Ok(r) => serde_json::to_value(r).unwrap_or_default(),
                Err(e) => json!({"path": path.display().to_string(), "error": e.to_string()}),
            })
            .collect();
        out.print_json(&json!({ "results": results }));
        return;
    }
    for r in &reports {
        for m in &r.error_messages {
            out.warn(m);
        }
        if r.errors as usize > r.error_messages.len() {
            out.warn(&format!(
                "{}: {} more errors",
                r.path,
                r.errors as usize - r.error_messages.len()
            ));
        }
    }
    // Cron mails any output: say nothing on success unless asked or on a terminal.
    let chatty = out.verbose > 0 || std::io::stdout().is_terminal();
    if out.quiet || !chatty {
        return;
    }
    for r in &reports {
        if r.missing {
            out.print(&format!("nothing to clean: {} does not exist", r.path));
            continue;
        }
        let verb = if r.dry_run { "would remove" } else { "removed" };
        out.print(&format!(
            "{}: {verb} {} of {} files ({}), {} empty directories; {} kept as writes in progress, {} errors{} in {:.2} s",
            r.path,
            r.removed,
            r.files_seen,
            human_bytes(r.bytes_freed),
            r.dirs_removed,
            r.in_grace,
            r.errors,
            if r.stopped_at_max { ", stopped at --max-delete" } else { "" },
            r.duration_s
        ));
    }
}
