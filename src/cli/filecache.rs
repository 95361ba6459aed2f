//! `cacheops filecache stats|get|delete`: look into the file cache.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use serde_json::json;

use cacheops::error::{exit, Error, Result};
use cacheops::filecache::{self, key_path, Root};

use super::{load_settings, GlobalArgs, Output};
use cacheops::units::human_bytes;

const EXAMPLES: &str = "\
Examples:
  cacheops filecache stats
  cacheops filecache stats /srv/app/cache --top 20 --json
  cacheops filecache get 'c:5f0c...'          # a key as cacheops.file_cache would look it up
  cacheops filecache get my-key /srv/app/cache  # or --dir DIR, in every subcommand
  cacheops --prefix site1: filecache delete my-key --dry-run";

/// Inspect the file cache (cacheops.file_cache)
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct FilecacheArgs {
    #[command(subcommand)]
    pub command: FilecacheCommand,
}

/// A cache directory, as a positional DIR or `--dir DIR`: every subcommand
/// takes both (`stats` took the first, `get` and `delete` the second).
#[derive(Args, Debug)]
pub struct DirArg {
    /// Cache directory [default: file_cache_dir from the settings]
    #[arg(value_name = "DIR")]
    path: Option<PathBuf>,
    /// Cache directory, as the positional DIR
    #[arg(long, value_name = "DIR", conflicts_with = "path")]
    dir: Option<PathBuf>,
}

impl DirArg {
    fn or(&self, default: &Path) -> PathBuf {
        self.path
            .clone()
            .or_else(|| self.dir.clone())
            .unwrap_or_else(|| default.to_path_buf())
    }
}

#[derive(Subcommand, Debug)]
pub enum FilecacheCommand {
    /// Entries, bytes, expired entries, an expiry histogram and the largest entries
    Stats {
        #[command(flatten)]
        dir: DirArg,
        /// How many of the largest entries to list
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Look into a directory that does not look like a cacheops file cache
        #[arg(long)]
        force: bool,
    },
    /// Show one key's entry: file, size, expiry
    Get {
        /// The key as your code passes it to file_cache (--prefix is prepended)
        key: String,
        #[command(flatten)]
        dir: DirArg,
    },
    /// Delete one key's entry, as file_cache.delete(key) does
    Delete {
        /// The key as your code passes it to file_cache (--prefix is prepended)
        key: String,
        #[command(flatten)]
        dir: DirArg,
        /// Say what would be deleted; delete nothing
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(g: &GlobalArgs, a: &FilecacheArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    match &a.command {
        FilecacheCommand::Stats { dir, top, force } => {
            let path = dir.or(&settings.file_cache_dir);
            let root = Root::open(&path, *force)?;
            let bar = out.progress();
            let threads = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(4);
            let s = filecache::stats(&root, SystemTime::now(), *top, threads, &|n| {
                use cacheops::invalidate::Progress;
                bar.update((n as f64 / 256.0).min(1.0), "reading entries");
            })?;
            drop(bar);
            if out.json {
                out.print_json(&serde_json::to_value(&s).unwrap_or_default());
                return Ok(exit::OK);
            }
            out.print(&format!(
                "{}: {} entries, {}; {} expired ({})",
                s.path,
                s.entries,
                human_bytes(s.bytes),
                s.expired,
                human_bytes(s.expired_bytes)
            ));
            let mut t = out.table(&["expires", "entries"]);
            for (bucket, n) in &s.histogram {
                t.add_row(vec![bucket.clone(), n.to_string()]);
            }
            out.print(&t.to_string());
            if !s.largest.is_empty() {
                let mut t = out.table(&["largest entries", "size", "expires"]);
                for e in &s.largest {
                    t.add_row(vec![
                        e.path.clone(),
                        human_bytes(e.size),
                        expiry_text(e.expires_in_s),
                    ]);
                }
                out.print(&t.to_string());
            }
            if s.errors > 0 {
                out.warn(&format!("{} entries could not be read", s.errors));
                return Ok(exit::FAILURE);
            }
            Ok(exit::OK)
        }
        FilecacheCommand::Get { key, dir } => {
            let dir = dir.or(&settings.file_cache_dir);
            let full_key = format!("{}{key}", settings.prefix);
            let path = key_path(&dir, &full_key);
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Error::Unknown(format!(
                        "no entry for key {full_key:?} ({} does not exist)",
                        path.display()
                    )))
                }
                Err(e) => return Err(Error::Io(format!("{}: {e}", path.display()))),
            };
            let expires = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64);
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            let left = expires.map(|e| e - now).unwrap_or(0);
            let registry = settings.models.clone();
            let pk_of = move |app: &str, model: &str| registry.find(app, model).map(|e| e.pk.clone());
            let opts = cacheops::pickle::RenderOptions {
                pk_field: &pk_of,
                ..cacheops::pickle::RenderOptions::detail()
            };
            // cacheops' file cache holds a plain pickle of the value.
            let head = std::fs::read(&path)
                .map(|b| cacheops::pickle::describe(&b, &opts))
                .unwrap_or_default();
            if out.json {
                out.print_json(&json!({
                    "key": full_key, "path": path.display().to_string(), "size": meta.len(),
                    "expires_at": expires, "expires_in_s": left, "expired": left <= 0, "value": head,
                }));
            } else {
                out.print(&format!(
                    "key      {full_key}\npath     {}\nsize     {}\nexpires  {}\nvalue    {head}",
                    path.display(),
                    human_bytes(meta.len()),
                    expiry_text(left)
                ));
            }
            Ok(exit::OK)
        }
        FilecacheCommand::Delete { key, dir, dry_run } => {
            let dir = dir.or(&settings.file_cache_dir);
            let full_key = format!("{}{key}", settings.prefix);
            let path = key_path(&dir, &full_key);
            let found = std::fs::symlink_metadata(&path).is_ok();
            let mut deleted = false;
            if found && !dry_run {
                match std::fs::remove_file(&path) {
                    Ok(()) => deleted = true,
                    // Someone else (cacheops' reader) deleted it meanwhile.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::Io(format!("{}: {e}", path.display()))),
                }
                // As cacheops does: the shard goes too when it is left empty.
                if let Some(shard) = path.parent() {
                    let _ = std::fs::remove_dir(shard);
                }
            }
            if out.json {
                // Always a document, so a script can tell "not there" from a failure.
                out.print_json(&json!({
                    "key": full_key, "path": path.display().to_string(),
                    "found": found, "deleted": deleted, "dry_run": dry_run,
                }));
            } else if !found {
                out.note(&format!("no entry for key {full_key:?}: nothing to delete"));
            } else if !out.quiet {
                out.print(&format!(
                    "{} {}",
                    if *dry_run { "would delete" } else { "deleted" },
                    path.display()
                ));
            }
            Ok(exit::OK)
        }
    }
}

/// "in 5 min", or "expired 3 min ago" (0 s left has expired, as cacheops sees it).
fn expiry_text(left_s: i64) -> String {
    if left_s <= 0 {
        format!("expired {} ago", human_duration(-left_s))
    } else {
        format!("in {}", human_duration(left_s))
    }
}

fn human_duration(s: i64) -> String {
    let s = s.max(0);
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        7200..=172_799 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86_400),
    }
}
