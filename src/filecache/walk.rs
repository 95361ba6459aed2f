//! A parallel walk of a cache directory that never follows a symlink, never
//! leaves the directory's filesystem and holds no list of files: the top
//! level's entries are handed out one at a time to worker threads, each of
//! which walks its subtree through directory file descriptors.

use std::ffi::CStr;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, Stat};
use rustix::io::Errno;

use super::Root;

/// cacheops writes two levels; anything deeper than this is not a cache.
const MAX_DEPTH: usize = 32;

/// Most workers a walk starts.
const MAX_THREADS: usize = 64;

/// What became of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Kept,
    /// Removed, or already gone when we got to it.
    Gone,
}

pub(crate) trait Visitor: Sync {
    /// Per-thread results, merged by the caller.
    type Acc: Default + Send;

    /// A regular file (`st` from `statat` with no symlink following).
    fn file(
        &self,
        acc: &mut Self::Acc,
        dir: BorrowedFd<'_>,
        dir_path: &Path,
        name: &CStr,
        st: &Stat,
    ) -> Verdict;

    /// A subdirectory was walked; `kept` entries are left in it.
    /// `st` is the directory's stat from before the walk.
    fn dir_done(
        &self,
        _acc: &mut Self::Acc,
        _parent: BorrowedFd<'_>,
        _path: &Path,
        _name: &CStr,
        _st: &Stat,
        _kept: u64,
    ) -> Verdict {
        Verdict::Kept
    }

    fn error(&self, acc: &mut Self::Acc, path: &Path, err: std::io::Error);

    /// Entries not walked into: symlinks, other filesystems, special files.
    fn skipped(&self, _acc: &mut Self::Acc, _path: &Path, _why: &str) {}

    /// True to stop early (a `--max-delete` reached).
    fn stopped(&self) -> bool {
        false
    }
}

/// Walks `root` with `threads` workers; `progress` gets the number of
/// top-level entries done. Returns one accumulator per worker.
pub(crate) fn walk<V: Visitor>(
    root: &Root,
    v: &V,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> std::io::Result<Vec<V::Acc>> {
    let top = Mutex::new(Dir::read_from(root.fd())?);
    let done = AtomicU64::new(0);
    let root_path = root.path.clone();
    std::thread::scope(|s| {
        let mut workers = Vec::new();
        // Bounded whatever the caller asks: each worker costs a stack.
        for _ in 0..threads.clamp(1, MAX_THREADS) {
            let spawned = std::thread::Builder::new().spawn_scoped(s, || {
                let mut acc = V::Acc::default();
                while !v.stopped() {
                    // Only the read of the next entry is shared.
                    let next = top.lock().unwrap_or_else(|p| p.into_inner()).next();
                    match next {
                        None => break,
                        Some(Err(e)) => {
                            v.error(&mut acc, &root.path, e.into());
                            break;
                        }
                        Some(Ok(entry)) => {
                            let w = Walker { root, v };
                            w.entry(
                                &mut acc,
                                root.fd(),
                                &root_path,
                                entry.file_name(),
                                entry.file_type(),
                                0,
                            );
                        }
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
                acc
            });
            match spawned {
                Ok(w) => workers.push(w),
                // Out of threads: the ones running do the work.
                Err(_) if !workers.is_empty() => break,
                Err(e) => return Err(e),
            }
        }
        Ok(workers
            .into_iter()
            .map(|w| w.join().expect("a walk worker panicked"))
            .collect())
    })
}

struct Walker<'a, V> {
    root: &'a Root,
    v: &'a V,
}

impl<V: Visitor> Walker<'_, V> {
    fn entry(
        &self,
        acc: &mut V::Acc,
        dir: BorrowedFd<'_>,
        dir_path: &Path,
        name: &CStr,
        ft: FileType,
        depth: usize,
    ) -> Verdict {
        let bytes = name.to_bytes();
        if bytes == b"." || bytes == b".." {
            return Verdict::Kept;
        }
        match ft {
            FileType::Directory => self.dir(acc, dir, dir_path, name, depth + 1),
            FileType::RegularFile | FileType::Unknown => {
                let st = match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) => st,
                    Err(Errno::NOENT) => return Verdict::Gone, // a reader or another cleaner was faster
                    Err(e) => {
                        self.v.error(acc, &join(dir_path, name), e.into());
                        return Verdict::Kept;
                    }
                };
                match FileType::from_raw_mode(st.st_mode) {
                    FileType::RegularFile => self.v.file(acc, dir, dir_path, name, &st),
                    FileType::Directory => self.dir(acc, dir, dir_path, name, depth + 1),
                    _ => {
                        self.v.skipped(acc, &join(dir_path, name), "not a regular file");
                        Verdict::Kept
                    }
                }
            }
            FileType::Symlink => {
                self.v
                    .skipped(acc, &join(dir_path, name), "symlink, not followed");
                Verdict::Kept
            }
            _ => {
                self.v.skipped(acc, &join(dir_path, name), "not a regular file");
                Verdict::Kept
            }
        }
    }

    fn dir(
        &self,
        acc: &mut V::Acc,
        parent: BorrowedFd<'_>,
        parent_path: &Path,
        name: &CStr,
        depth: usize,
    ) -> Verdict {
        let path = join(parent_path, name);
        if depth > MAX_DEPTH {
            self.v.skipped(acc, &path, "too deep for a cache directory");
            return Verdict::Kept;
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(parent, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Verdict::Gone,
            // Replaced by a symlink or a file since the parent was read.
            Err(Errno::LOOP) | Err(Errno::NOTDIR) => {
                self.v.skipped(acc, &path, "no longer a directory");
                return Verdict::Kept;
            }
            Err(e) => {
                self.v.error(acc, &path, e.into());
                return Verdict::Kept;
            }
        };
        let st = match rustix::fs::fstat(&fd) {
            Ok(st) => st,
            Err(e) => {
                self.v.error(acc, &path, e.into());
                return Verdict::Kept;
            }
        };
        if st.st_dev != self.root.dev() {
            self.v.skipped(acc, &path, "another filesystem, not entered");
            return Verdict::Kept;
        }
        let entries = match Dir::read_from(&fd) {
            Ok(d) => d,
            Err(e) => {
                self.v.error(acc, &path, e.into());
                return Verdict::Kept;
            }
        };
        let mut kept = 0u64;
        for entry in entries {
            if self.v.stopped() {
                kept += 1;
                break;
            }
            match entry {
                Ok(e) => {
                    if self.entry(acc, fd.as_fd(), &path, e.file_name(), e.file_type(), depth)
                        == Verdict::Kept
                    {
                        let b = e.file_name().to_bytes();
                        if b != b"." && b != b".." {
                            kept += 1;
                        }
                    }
                }
                Err(e) => {
                    self.v.error(acc, &path, e.into());
                    kept += 1;
                    break;
                }
            }
        }
        self.v.dir_done(acc, parent, &path, name, &st, kept)
    }
}

fn join(dir: &Path, name: &CStr) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    dir.join(std::ffi::OsStr::from_bytes(name.to_bytes()))
}
