//! `filecache stats`: what a cache directory holds and when it expires.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ffi::CStr;
use std::os::fd::BorrowedFd;
use std::path::Path;
use std::time::SystemTime;

use rustix::fs::Stat;
use serde::Serialize;

use super::walk::{walk, Verdict, Visitor};
use super::{epoch_ns, stat_ns, Root};
use crate::error::{Error, Result};

/// Expiry buckets: (name, upper bound in seconds from now).
pub const HISTOGRAM_BUCKETS: [(&str, i64); 5] = [
    ("expired", 0),
    ("< 1h", 3600),
    ("< 1d", 86_400),
    ("< 7d", 604_800),
    ("later", i64::MAX),
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub size: u64,
    pub path: String,
    /// Seconds until expiry, rounded up: 0 or less has expired.
    pub expires_in_s: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub path: String,
    pub entries: u64,
    pub bytes: u64,
    pub expired: u64,
    pub expired_bytes: u64,
    /// Entries per expiry bucket, in HISTOGRAM_BUCKETS order.
    pub histogram: Vec<(String, u64)>,
    /// The largest entries, largest first.
    pub largest: Vec<Entry>,
    pub skipped: u64,
    pub errors: u64,
}

#[derive(Default)]
struct Acc {
    entries: u64,
    bytes: u64,
    expired: u64,
    expired_bytes: u64,
    buckets: [u64; 5],
    largest: BinaryHeap<Reverse<Entry>>,
    skipped: u64,
    errors: u64,
}

struct Counter {
    now: i128,
    top: usize,
}

impl Visitor for Counter {
    type Acc = Acc;

    fn file(&self, acc: &mut Acc, _dir: BorrowedFd<'_>, dir_path: &Path, name: &CStr, st: &Stat) -> Verdict {
        let size = st.st_size as u64;
        let left_ns = stat_ns(st.st_mtime, st.st_mtime_nsec) - self.now;
        let left_s = (left_ns / 1_000_000_000) as i64;
        acc.entries += 1;
        acc.bytes += size;
        if left_ns <= 0 {
            acc.expired += 1;
            acc.expired_bytes += size;
        }
        let bucket = if left_ns <= 0 {
            0
        } else {
            HISTOGRAM_BUCKETS
                .iter()
                .position(|(_, upper)| left_s < *upper)
                .unwrap_or(4)
        };
        acc.buckets[bucket] += 1;
        // Bounded: only the `top` largest are kept.
        let small_enough =
            acc.largest.len() >= self.top && acc.largest.peek().is_some_and(|Reverse(e)| e.size >= size);
        if self.top > 0 && !small_enough {
            use std::os::unix::ffi::OsStrExt;
            let path = dir_path
                .join(std::ffi::OsStr::from_bytes(name.to_bytes()))
                .display()
                .to_string();
            acc.largest.push(Reverse(Entry {
                size,
                path,
                // Rounded up, so that an entry with 0.5 s left does not read as expired.
                expires_in_s: (left_ns + 999_999_999).div_euclid(1_000_000_000) as i64,
            }));
            if acc.largest.len() > self.top {
                acc.largest.pop();
            }
        }
        Verdict::Kept
    }

    fn error(&self, acc: &mut Acc, _path: &Path, _err: std::io::Error) {
        acc.errors += 1;
    }

    fn skipped(&self, acc: &mut Acc, _path: &Path, _why: &str) {
        acc.skipped += 1;
    }
}

/// Walks `root` and sums it up; keeps the `top` largest entries.
pub fn stats(
    root: &Root,
    now: SystemTime,
    top: usize,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Stats> {
    let counter = Counter {
        now: epoch_ns(now),
        top,
    };
    let accs = walk(root, &counter, threads, progress)
        .map_err(|e| Error::Io(format!("{}: {e}", root.path.display())))?;
    let mut s = Stats {
        path: root.path.display().to_string(),
        ..Default::default()
    };
    let mut buckets = [0u64; 5];
    let mut largest = Vec::new();
    for a in accs {
        s.entries += a.entries;
        s.bytes += a.bytes;
        s.expired += a.expired;
        s.expired_bytes += a.expired_bytes;
        s.skipped += a.skipped;
        s.errors += a.errors;
        for (b, n) in buckets.iter_mut().zip(a.buckets) {
            *b += n;
        }
        largest.extend(a.largest.into_iter().map(|Reverse(e)| e));
    }
    largest.sort_by(|a, b| b.cmp(a));
    largest.truncate(top);
    s.largest = largest;
    s.histogram = HISTOGRAM_BUCKETS
        .iter()
        .zip(buckets)
        .map(|((n, _), c)| (n.to_string(), c))
        .collect();
    Ok(s)
}
