//! `cleanfilecache`: remove expired entries, as cacheops' `find DIR -type f
//! -mmin +0 -delete` does, without its hazards.

use std::ffi::CStr;
use std::os::fd::BorrowedFd;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use rustix::fs::{AtFlags, Stat};
use rustix::io::Errno;
use serde::Serialize;

use super::walk::{walk, Verdict, Visitor};
use super::{epoch_ns, stat_ns, Root};
use crate::error::{Error, Result};

/// Errors kept word for word; past this only counted.
const MAX_ERRORS_KEPT: usize = 20;

#[derive(Debug, Clone)]
pub struct CleanOptions {
    /// "Now" for expiry: files whose mtime is not after it have expired.
    pub now: SystemTime,
    /// A file whose ctime is this recent is being written: never removed.
    /// Also how long a directory must have been left alone to be removed.
    pub grace: Duration,
    /// Stop after removing this many files.
    pub max_delete: Option<u64>,
    pub dry_run: bool,
    pub threads: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CleanReport {
    pub path: String,
    /// The directory does not exist: nothing to clean. Only for cacheops'
    /// default directory, which appears once something is cached.
    pub missing: bool,
    /// Regular files looked at.
    pub files_seen: u64,
    /// Expired files removed (in a dry run: that would be).
    pub removed: u64,
    pub bytes_freed: u64,
    /// Expired files left alone because their ctime is within the grace period.
    pub in_grace: u64,
    /// Empty shard directories removed.
    pub dirs_removed: u64,
    /// Symlinks, special files and other filesystems left alone.
    pub skipped: u64,
    /// Errors (permissions...). The run goes on past them.
    pub errors: u64,
    pub error_messages: Vec<String>,
    /// The `--max-delete` cap stopped the run.
    pub stopped_at_max: bool,
    pub duration_s: f64,
    pub dry_run: bool,
}

impl CleanReport {
    fn merge(&mut self, o: CleanReport) {
        self.files_seen += o.files_seen;
        self.removed += o.removed;
        self.bytes_freed += o.bytes_freed;
        self.in_grace += o.in_grace;
        self.dirs_removed += o.dirs_removed;
        self.skipped += o.skipped;
        self.errors += o.errors;
        for m in o.error_messages {
            if self.error_messages.len() < MAX_ERRORS_KEPT {
                self.error_messages.push(m);
            }
        }
    }
}

struct Cleaner {
    opts: CleanOptions,
    now: i128,
    grace: i128,
    reserved: AtomicU64,
    stop: AtomicBool,
}

impl Cleaner {
    /// Takes one deletion from the `--max-delete` allowance.
    fn reserve(&self) -> bool {
        match self.opts.max_delete {
            None => true,
            Some(max) => {
                if self.reserved.fetch_add(1, Ordering::SeqCst) < max {
                    true
                } else {
                    self.stop.store(true, Ordering::SeqCst);
                    false
                }
            }
        }
    }

    fn record_error(acc: &mut CleanReport, path: &Path, err: impl std::fmt::Display) {
        acc.errors += 1;
        if acc.error_messages.len() < MAX_ERRORS_KEPT {
            acc.error_messages.push(format!("{}: {err}", path.display()));
        }
    }
}

impl Visitor for Cleaner {
    type Acc = CleanReport;

    fn file(
        &self,
        acc: &mut CleanReport,
        dir: BorrowedFd<'_>,
        dir_path: &Path,
        name: &CStr,
        st: &Stat,
    ) -> Verdict {
        acc.files_seen += 1;
        let expiry = stat_ns(st.st_mtime, st.st_mtime_nsec);
        if expiry > self.now {
            return Verdict::Kept;
        }
        // Created (or re-stamped) moments ago: a write between cacheops' create
        // and its utime, whose mtime is not the expiry yet.
        if stat_ns(st.st_ctime, st.st_ctime_nsec) > self.now - self.grace {
            acc.in_grace += 1;
            return Verdict::Kept;
        }
        if !self.reserve() {
            return Verdict::Kept;
        }
        if self.opts.dry_run {
            acc.removed += 1;
            acc.bytes_freed += st.st_size as u64;
            return Verdict::Gone;
        }
        match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
            Ok(()) => {
                acc.removed += 1;
                acc.bytes_freed += st.st_size as u64;
                Verdict::Gone
            }
            Err(Errno::NOENT) => Verdict::Gone,
            Err(e) => {
                use std::os::unix::ffi::OsStrExt;
                let p = dir_path.join(std::ffi::OsStr::from_bytes(name.to_bytes()));
                Self::record_error(acc, &p, std::io::Error::from(e));
                Verdict::Kept
            }
        }
    }

    fn dir_done(
        &self,
        acc: &mut CleanReport,
        parent: BorrowedFd<'_>,
        path: &Path,
        name: &CStr,
        st: &Stat,
        kept: u64,
    ) -> Verdict {
        // Only a directory that was already left alone for the grace period:
        // cacheops' writer checks that the shard exists, then creates a file.
        let touched = stat_ns(st.st_mtime, st.st_mtime_nsec);
        if kept > 0 || touched > self.now - self.grace {
            return Verdict::Kept;
        }
        if self.opts.dry_run {
            acc.dirs_removed += 1;
            return Verdict::Gone;
        }
        match rustix::fs::unlinkat(parent, name, AtFlags::REMOVEDIR) {
            Ok(()) => {
                acc.dirs_removed += 1;
                Verdict::Gone
            }
            Err(Errno::NOENT) => Verdict::Gone,
            Err(Errno::NOTEMPTY) | Err(Errno::EXIST) => Verdict::Kept, // a writer got there first
            Err(e) => {
                Self::record_error(acc, path, std::io::Error::from(e));
                Verdict::Kept
            }
        }
    }

    fn error(&self, acc: &mut CleanReport, path: &Path, err: std::io::Error) {
        Self::record_error(acc, path, err);
    }

    fn skipped(&self, acc: &mut CleanReport, _path: &Path, _why: &str) {
        acc.skipped += 1;
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Removes the expired entries under `root` (which the caller has locked).
pub fn clean(root: &Root, opts: &CleanOptions, progress: &(dyn Fn(u64) + Sync)) -> Result<CleanReport> {
    let started = Instant::now();
    let cleaner = Cleaner {
        now: epoch_ns(opts.now),
        grace: opts.grace.as_nanos() as i128,
        opts: opts.clone(),
        reserved: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    let accs = walk(root, &cleaner, opts.threads, progress)
        .map_err(|e| Error::Io(format!("{}: {e}", root.path.display())))?;
    let mut report = CleanReport {
        path: root.path.display().to_string(),
        dry_run: opts.dry_run,
        ..Default::default()
    };
    for a in accs {
        report.merge(a);
    }
    report.stopped_at_max = cleaner.stop.load(Ordering::SeqCst);
    report.duration_s = started.elapsed().as_secs_f64();
    Ok(report)
}
