//! django-cacheops' file cache (`cacheops.file_cache`): where a key's file
//! lives, how expiry is written, and the operations on a cache directory.
//!
//! A key's file is `<dir>/<md5[-2:]>/<md5[:-2]>` where md5 is the hex digest of
//! the (prefixed) key. cacheops writes the file with O_EXCL, then sets its
//! mtime to the expiry time, so a file whose mtime is past has expired.
//! Between the create and that `utime` a live entry looks expired: its ctime
//! (just now) tells it apart, hence the cleaner's grace period.

mod clean;
mod stats;
mod walk;

use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rustix::fs::{FileType, FlockOperation, Mode, OFlags, CWD};
use rustix::io::Errno;

use crate::error::{Error, Result};

pub use clean::{clean, CleanOptions, CleanReport};
pub use stats::{stats, Entry, Stats, HISTOGRAM_BUCKETS};

/// The file of `key` (prefix included) under `root`, as cacheops names it.
pub fn key_path(root: &Path, key: &str) -> PathBuf {
    let digest = format!("{:x}", md5::compute(key.as_bytes()));
    root.join(&digest[30..]).join(&digest[..30])
}

/// Nanoseconds since the epoch, the unit every comparison here uses.
pub(crate) fn epoch_ns(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// A stat time (seconds and nanoseconds, whatever their C types) in nanoseconds.
pub(crate) fn stat_ns(secs: impl Into<i128>, nsecs: impl Into<i128>) -> i128 {
    secs.into() * 1_000_000_000 + nsecs.into()
}

/// An opened cache directory. Everything below it is reached through
/// directory file descriptors opened with O_NOFOLLOW, so a symlink or a
/// renamed directory can never lead the walk outside.
pub struct Root {
    pub path: PathBuf,
    fd: OwnedFd,
    dev: u64,
}

impl Root {
    /// Opens a cache directory. Refuses `/`, symlinks (unless `force`, which
    /// follows the root link only) and directories that do not look like a
    /// cache directory (unless `force`).
    pub fn open(path: &Path, force: bool) -> Result<Root> {
        let shown = path.display();
        let canonical = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Io(format!("{shown} does not exist")),
            _ => Error::Io(format!("{shown}: {e}")),
        })?;
        if canonical == Path::new("/") {
            return Err(Error::Refused(format!(
                "{shown} is the root of the filesystem: refusing to clean it"
            )));
        }
        let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        if !force {
            flags |= OFlags::NOFOLLOW;
        }
        let fd = rustix::fs::openat(CWD, path, flags, Mode::empty()).map_err(|e| match e {
            Errno::LOOP => Error::Refused(format!(
                "{shown} is a symlink: pass the directory it points to, or --force to follow it"
            )),
            // O_DIRECTORY is checked before O_NOFOLLOW: a symlink reports ENOTDIR.
            Errno::NOTDIR if path.is_symlink() => Error::Refused(format!(
                "{shown} is a symlink: pass the directory it points to, or --force to follow it"
            )),
            Errno::NOTDIR => Error::Io(format!("{shown} is not a directory")),
            e => Error::Io(format!("{shown}: {}", std::io::Error::from(e))),
        })?;
        let st =
            rustix::fs::fstat(&fd).map_err(|e| Error::Io(format!("{shown}: {}", std::io::Error::from(e))))?;
        let root = Root {
            path: path.to_path_buf(),
            fd,
            dev: st.st_dev,
        };
        if !force {
            if let Some(odd) = root.odd_entry()? {
                return Err(Error::Refused(format!(
                    "{shown} does not look like a cacheops file cache ({odd}); check the path, or pass --force"
                )));
            }
        }
        Ok(root)
    }

    /// The first entry that a cacheops cache directory would not have: only
    /// two-hex-digit shard directories belong at its top (first 4096 looked at).
    fn odd_entry(&self) -> Result<Option<String>> {
        let dir = rustix::fs::Dir::read_from(&self.fd).map_err(|e| self.io(e))?;
        for entry in dir.take(4096) {
            let entry = entry.map_err(|e| self.io(e))?;
            let name = entry.file_name().to_string_lossy();
            if name == "." || name == ".." {
                continue;
            }
            let is_shard_name = name.len() == 2
                && name
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
            let ft = match entry.file_type() {
                FileType::Unknown => {
                    rustix::fs::statat(&self.fd, entry.file_name(), rustix::fs::AtFlags::SYMLINK_NOFOLLOW)
                        .map(|st| FileType::from_raw_mode(st.st_mode))
                        .unwrap_or(FileType::Unknown)
                }
                ft => ft,
            };
            if !is_shard_name || ft != FileType::Directory {
                return Ok(Some(format!(
                    "it holds {name:?}, not only two-hex-digit shard directories"
                )));
            }
        }
        Ok(None)
    }

    /// Takes the advisory lock that keeps two cleaners from walking one
    /// directory at once (overlapping cron runs). `Ok(false)`: another holds it.
    pub fn lock(&self, wait: bool) -> Result<bool> {
        let op = if wait {
            FlockOperation::LockExclusive
        } else {
            FlockOperation::NonBlockingLockExclusive
        };
        match rustix::fs::flock(&self.fd, op) {
            Ok(()) => Ok(true),
            Err(Errno::WOULDBLOCK) => Ok(false),
            Err(e) => Err(self.io(e)),
        }
    }

    pub(crate) fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.fd.as_fd()
    }

    pub(crate) fn dev(&self) -> u64 {
        self.dev
    }

    fn io(&self, e: Errno) -> Error {
        Error::Io(format!("{}: {}", self.path.display(), std::io::Error::from(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_follow_cacheops() {
        // md5("foo") = acbd18db4cc2f85cedef654fccc4a4d8
        assert_eq!(
            key_path(Path::new("/tmp/cacheops_file_cache"), "foo"),
            PathBuf::from("/tmp/cacheops_file_cache/d8/acbd18db4cc2f85cedef654fccc4a4")
        );
    }
}
