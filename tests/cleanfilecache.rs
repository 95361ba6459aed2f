//! `cacheops cleanfilecache` and `filecache` on real directories: what goes,
//! what stays, and every safety rule. (Caches written by real cacheops:
//! tests/compat/test_filecache.py.)

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use common::{cacheops_in, stderr, stdout};

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cacheops-fc-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// Writes an entry as cacheops does: the file, then its mtime set to the expiry.
fn entry(root: &Path, key: &str, expires_in: i64) -> PathBuf {
    let p = cacheops::filecache::key_path(root, key);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, b"pickle").unwrap();
    set_mtime(&p, expires_in);
    p
}

fn set_mtime(p: &Path, from_now: i64) {
    let t = if from_now >= 0 {
        SystemTime::now() + Duration::from_secs(from_now as u64)
    } else {
        SystemTime::now() - Duration::from_secs((-from_now) as u64)
    };
    fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

fn clean(args: &[&str]) -> std::process::Output {
    let mut full = vec!["cleanfilecache"];
    full.extend_from_slice(args);
    cacheops_in(&full, &[])
}

fn count_files(root: &Path) -> usize {
    let mut n = 0;
    for e in fs::read_dir(root).unwrap() {
        let e = e.unwrap();
        let t = e.file_type().unwrap();
        if t.is_dir() {
            n += count_files(&e.path());
        } else if t.is_file() {
            n += 1;
        }
    }
    n
}

#[test]
fn expired_entries_go_live_ones_stay_and_cron_hears_nothing() {
    let root = tempdir("basic");
    let mut live = Vec::new();
    let mut dead = Vec::new();
    for i in 0..300 {
        let key = format!("k{i}");
        if i % 3 == 0 {
            dead.push(entry(&root, &key, -60));
        } else {
            live.push(entry(&root, &key, 3600));
        }
    }
    let r = root.to_str().unwrap();
    let o = clean(&[r, "--grace", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "silent on success when stdout is not a terminal");
    assert_eq!(stderr(&o), "");
    assert!(dead.iter().all(|p| !p.exists()));
    assert!(live.iter().all(|p| p.exists()));
    assert!(root.exists(), "the root stays");

    for i in 0..50 {
        entry(&root, &format!("x{i}"), -60);
    }
    let o = clean(&[r, "--grace", "0", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let res = &v["results"][0];
    assert_eq!(res["removed"], 50);
    assert_eq!(res["files_seen"], 250);
    assert_eq!(res["bytes_freed"], 50 * 6);
    assert_eq!(res["errors"], 0);

    let o = clean(&[r, "-v"]);
    assert_eq!(stdout(&o).lines().count(), 1, "one-line summary: {}", stdout(&o));
}

#[test]
fn empty_shards_go_once_left_alone_for_the_grace_period_never_the_root() {
    let root = tempdir("shards");
    let r = root.to_str().unwrap();
    let p = entry(&root, "only", -60);
    let shard = p.parent().unwrap().to_path_buf();
    // Fresh: the file is a write in progress, its shard was just modified.
    let o = clean(&[r, "--grace", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(p.exists() && shard.exists());
    std::thread::sleep(Duration::from_millis(1100));
    let o = clean(&[r, "--grace", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["removed"], 1);
    assert_eq!(v["results"][0]["dirs_removed"], 1, "{v}");
    assert!(!shard.exists());
    assert!(root.exists(), "the root stays");

    // An empty shard that a writer touched a moment ago (cacheops checks that
    // the shard exists, then creates its file in it) stays until it has been
    // left alone for the grace period.
    let p = entry(&root, "again", 3600);
    fs::remove_file(&p).unwrap();
    let shard = p.parent().unwrap().to_path_buf();
    let o = clean(&[r, "--grace", "1"]);
    assert!(o.status.success());
    assert!(shard.exists());
    std::thread::sleep(Duration::from_millis(1100));
    let o = clean(&[r, "--grace", "1"]);
    assert!(o.status.success());
    assert!(!shard.exists());
    assert!(root.exists());
}

#[test]
fn fresh_files_are_writes_in_progress() {
    let root = tempdir("grace");
    // cacheops creates the file (mtime = now), writes, then sets the expiry:
    // in between it looks expired, but its ctime is fresh.
    let p = entry(&root, "being-written", -1);
    let r = root.to_str().unwrap();
    let o = clean(&[r]);
    assert!(o.status.success());
    assert!(p.exists(), "default grace keeps a file changed seconds ago");
    let o = clean(&[r, "--grace", "0"]);
    assert!(o.status.success());
    assert!(!p.exists());
}

#[test]
fn a_slow_writer_loses_nothing() {
    // A writer that behaves like cacheops' FileCache._set, slowly: O_EXCL create,
    // write, pause, then utime to the expiry. The cleaner runs during the pause.
    let root = tempdir("writer");
    let p = cacheops::filecache::key_path(&root, "slow");
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    let mut f = fs::File::options().write(true).create_new(true).open(&p).unwrap();
    use std::io::Write;
    f.write_all(b"half").unwrap();
    std::thread::sleep(Duration::from_millis(1200)); // now mtime is in the past
    let o = clean(&[root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(p.exists(), "an in-progress write was deleted");
    f.write_all(b" and the rest").unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    drop(f);
    assert_eq!(fs::read(&p).unwrap(), b"half and the rest");
}

#[test]
fn symlinks_are_never_followed() {
    let root = tempdir("links");
    let outside = tempdir("links-outside");
    let victim = outside.join("victim");
    fs::write(&victim, b"precious").unwrap();
    set_mtime(&victim, -3600);
    let victim_dir = outside.join("ab");
    fs::create_dir_all(&victim_dir).unwrap();
    fs::write(victim_dir.join("f"), b"precious").unwrap();
    set_mtime(&victim_dir.join("f"), -3600);

    let p = entry(&root, "k", -60);
    let shard = p.parent().unwrap();
    std::os::unix::fs::symlink(&victim, shard.join("link-to-file")).unwrap();
    std::os::unix::fs::symlink(&victim_dir, root.join("ab")).unwrap();

    // A symlinked shard is not a directory: without --force the root is refused.
    let r = root.to_str().unwrap();
    let o = clean(&[r, "--grace", "0"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let o = clean(&[r, "--grace", "0", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!p.exists());
    assert!(
        victim.exists() && victim_dir.join("f").exists(),
        "left its directory"
    );
    assert!(
        fs::symlink_metadata(shard.join("link-to-file")).is_ok(),
        "symlinks are not cache entries"
    );

    // A symlink as the root: refused, followed only with --force.
    let link_root = tempdir("links-root").join("cache");
    let real = tempdir("links-real");
    entry(&real, "k", -60);
    std::os::unix::fs::symlink(&real, &link_root).unwrap();
    let o = clean(&[link_root.to_str().unwrap(), "--grace", "0"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("symlink"));
    assert_eq!(count_files(&real), 1);
    let o = clean(&[link_root.to_str().unwrap(), "--grace", "0", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count_files(&real), 0);
}

#[test]
fn refuses_the_root_and_strangers_unless_forced() {
    let o = clean(&["/"]);
    assert_eq!(o.status.code(), Some(6));
    let o = clean(&["/", "--force"]);
    assert_eq!(o.status.code(), Some(6), "/ is refused even with --force");

    let d = tempdir("stranger");
    fs::write(d.join("notes.txt"), b"mine").unwrap();
    set_mtime(&d.join("notes.txt"), -3600);
    let o = clean(&[d.to_str().unwrap(), "--grace", "0"]);
    assert_eq!(o.status.code(), Some(6));
    assert!(stderr(&o).contains("does not look like"), "{}", stderr(&o));
    assert!(d.join("notes.txt").exists());
    let o = clean(&[d.to_str().unwrap(), "--grace", "0", "--force"]);
    assert!(o.status.success());
    assert!(!d.join("notes.txt").exists(), "find-like with --force");

    let o = clean(&["/nonexistent/cache"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not exist"));
}

#[test]
fn a_configured_directory_that_is_missing_is_an_error() {
    let base = tempdir("typo");
    let typo = base.join("typo_dir");
    let typo_s = typo.to_str().unwrap();
    let cfg = base.join("c.yaml");
    fs::write(&cfg, format!("file_cache_dir: {typo_s}\n")).unwrap();
    let c = cfg.to_str().unwrap();
    // No path, `default`, with or without -v/--json: the same one-line error.
    for extra in [&[][..], &["default"], &["-v"], &["--json"], &["-q"]] {
        let mut args = vec!["--config", c, "cleanfilecache"];
        args.extend_from_slice(extra);
        let o = cacheops_in(&args, &[("CACHEOPS_FILE_CACHE_DIR", "")]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{extra:?}: {err}");
        assert!(err.contains(&format!("{typo_s} does not exist")), "{err}");
        assert!(err.contains(c), "names the config file: {err}");
    }
    let o = cacheops_in(&["cleanfilecache", "-v"], &[("CACHEOPS_FILE_CACHE_DIR", typo_s)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("CACHEOPS_FILE_CACHE_DIR"), "{}", stderr(&o));
    assert!(!typo.exists());
}

#[test]
fn cacheops_default_directory_missing_means_nothing_cached_yet() {
    let default = Path::new(cacheops::config::DEFAULT_FILE_CACHE_DIR);
    if fs::symlink_metadata(default).is_ok() {
        eprintln!("SKIPPED: {} exists on this machine", default.display());
        return;
    }
    let unset = [("CACHEOPS_FILE_CACHE_DIR", "")];
    for args in [
        &["cleanfilecache", "-v"][..],
        &["cleanfilecache", "default", "-v"],
    ] {
        let o = cacheops_in(args, &unset);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            format!("nothing to clean: {} does not exist", default.display()),
            "{args:?}"
        );
    }
    // Cron: silent, with -q or off a terminal.
    for args in [&["cleanfilecache", "-q"][..], &["cleanfilecache"]] {
        let o = cacheops_in(args, &unset);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    let o = cacheops_in(&["cleanfilecache", "--json"], &unset);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["missing"], true, "{v}");
    assert!(fs::symlink_metadata(default).is_err(), "created by the run");
}

#[test]
fn paths_are_never_given_to_a_shell() {
    let base = tempdir("shell");
    let marker = base.join("pwned");
    let weird = base.join(format!("c;touch {}", marker.display()));
    fs::create_dir_all(&weird).unwrap();
    entry(&weird, "k", -60);
    let o = clean(&[weird.to_str().unwrap(), "--grace", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!marker.exists());
    assert_eq!(count_files(&weird), 0);
}

#[test]
fn max_delete_caps_a_run() {
    let root = tempdir("max");
    for i in 0..100 {
        entry(&root, &format!("k{i}"), -60);
    }
    let o = clean(&[
        root.to_str().unwrap(),
        "--grace",
        "0",
        "--max-delete",
        "30",
        "--json",
    ]);
    // The safety net tripped: cron must hear it, JSON or not.
    assert_eq!(o.status.code(), Some(9), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning:"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["removed"], 30);
    assert_eq!(v["results"][0]["stopped_at_max"], true);
    assert_eq!(count_files(&root), 70);

    let r = root.to_str().unwrap();
    for quiet in [&[][..], &["-q"]] {
        let mut args = vec![r, "--grace", "0", "--max-delete", "1"];
        args.extend_from_slice(quiet);
        let before = count_files(&root);
        let o = clean(&args);
        assert_eq!(o.status.code(), Some(9), "{quiet:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{quiet:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{quiet:?}: {err}");
        assert!(
            err.starts_with("warning:") && err.contains("--max-delete 1"),
            "{quiet:?}: {err}"
        );
        assert_eq!(count_files(&root), before - 1);
    }

    // A cap that is reached but not exceeded did not stop anything.
    let n = count_files(&root).to_string();
    let o = clean(&[r, "--grace", "0", "--max-delete", &n]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert_eq!(count_files(&root), 0);
}

#[test]
fn absurd_numbers_are_usage_errors_not_crashes() {
    let root = tempdir("numbers");
    let p = entry(&root, "k", -60);
    let r = root.to_str().unwrap();
    for bad in [
        ["--grace", "99999999999999999999"],
        ["--grace=-1", "--dry-run"],
        ["--grace", "NaN"],
        ["--grace", "inf"],
        ["--grace", "86401"],
        ["--threads", "100000"],
        ["--threads", "0"],
        ["--threads", "65"],
    ] {
        let mut args = vec![r];
        args.extend(bad);
        let o = clean(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {err}");
        assert!(!err.contains("internal error"), "{bad:?}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{bad:?}: {err}"
        );
        assert!(p.exists(), "{bad:?} cleaned anyway");
    }
    // The bounds themselves are fine.
    let o = clean(&[r, "--grace", "86400", "--threads", "64"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(p.exists(), "within the grace period");
    let o = clean(&[r, "--grace", "0", "--threads", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!p.exists());
}

#[test]
fn one_missing_path_does_not_hide_the_others() {
    let root = tempdir("several");
    let missing = tempdir("several-missing").join("nonexist");
    let (r, m) = (root.to_str().unwrap(), missing.to_str().unwrap());
    let fill = || {
        for i in 0..3 {
            entry(&root, &format!("k{i}"), -60);
        }
    };
    fill();
    let o = clean(&[r, m, "--grace", "0", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{m} does not exist")),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["path"], r, "{v}");
    assert_eq!(v["results"][0]["removed"], 3, "{v}");
    assert_eq!(v["results"][1]["path"], m, "{v}");
    assert!(
        v["results"][1]["error"]
            .as_str()
            .unwrap()
            .contains("does not exist"),
        "{v}"
    );

    // The missing one first: the other is still cleaned and summed up.
    fill();
    let o = clean(&[m, r, "--grace", "0", "-v"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{m} does not exist")),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains(&format!("{r}: removed 3 of 3 files")),
        "{}",
        stdout(&o)
    );
    assert_eq!(count_files(&root), 0);
}

#[test]
fn dry_run_removes_nothing() {
    let root = tempdir("dry");
    for i in 0..40 {
        entry(&root, &format!("k{i}"), if i % 2 == 0 { -60 } else { 60 });
    }
    let o = clean(&[root.to_str().unwrap(), "--grace", "0", "--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["removed"], 20);
    assert_eq!(count_files(&root), 40);
}

#[test]
fn a_second_run_exits_at_once_or_waits() {
    let root = tempdir("lock");
    entry(&root, "k", -60);
    let dir = fs::File::open(&root).unwrap();
    rustix::fs::flock(&dir, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let r = root.to_str().unwrap();
    let o = clean(&[r, "--grace", "0"]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("another cleanfilecache"), "{}", stderr(&o));
    assert_eq!(count_files(&root), 1);

    let child = Command::new(env!("CARGO_BIN_EXE_cacheops"))
        .args(["cleanfilecache", r, "--grace", "0", "--wait"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count_files(&root), 1, "--wait must wait for the lock");
    rustix::fs::flock(&dir, rustix::fs::FlockOperation::Unlock).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count_files(&root), 0);
}

#[test]
fn vanishing_entries_are_not_errors() {
    let root = tempdir("vanish");
    for i in 0..20_000 {
        entry(&root, &format!("k{i}"), -60);
    }
    // Another cleaner (cacheops' own reads delete expired files) at work meanwhile.
    let r2 = root.clone();
    let other = std::thread::spawn(move || {
        for i in (0..20_000).rev() {
            let _ = fs::remove_file(cacheops::filecache::key_path(&r2, &format!("k{i}")));
        }
    });
    let o = clean(&[root.to_str().unwrap(), "--grace", "0", "--json"]);
    other.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["errors"], 0, "{v}");
    assert_eq!(count_files(&root), 0);
}

#[test]
fn permission_errors_are_reported_and_the_run_goes_on() {
    let root = tempdir("perm");
    let mut locked = Vec::new();
    let mut free = Vec::new();
    for i in 0..60 {
        let p = entry(&root, &format!("k{i}"), -60);
        if p.parent().unwrap().file_name().unwrap().to_str().unwrap() < "80" {
            locked.push(p);
        } else {
            free.push(p);
        }
    }
    assert!(!locked.is_empty() && !free.is_empty());
    // Shards below "80" are read-only for the user the cleaner runs as.
    fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for d in &dirs {
        let ro = d.file_name().unwrap().to_str().unwrap() < "80";
        fs::set_permissions(d, fs::Permissions::from_mode(if ro { 0o555 } else { 0o777 })).unwrap();
    }
    for p in locked.iter().chain(&free) {
        fs::set_permissions(p, fs::Permissions::from_mode(0o644)).unwrap();
    }
    // root ignores permissions: run the cleaner as nobody then.
    let bin = env!("CARGO_BIN_EXE_cacheops");
    let r = root.to_str().unwrap();
    let mut cmd = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    let o = cmd
        .args(["cleanfilecache", r, "--grace", "0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    for d in &dirs {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Permission denied") || stderr(&o).contains("denied"),
        "{}",
        stderr(&o)
    );
    assert!(locked.iter().all(|p| p.exists()));
    assert!(
        free.iter().all(|p| !p.exists()),
        "the run went on past the errors"
    );
}

#[test]
fn filecache_get_and_delete_use_cacheops_paths() {
    let root = tempdir("getdel");
    let p = entry(&root, "site1:my-key", 120);
    let r = root.to_str().unwrap();
    let o = cacheops_in(
        &[
            "--prefix",
            "site1:",
            "--json",
            "filecache",
            "get",
            "my-key",
            "--dir",
            r,
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], p.display().to_string());
    assert_eq!(v["size"], 6);
    assert_eq!(v["expired"], false);

    let o = cacheops_in(
        &[
            "--prefix",
            "site1:",
            "filecache",
            "delete",
            "my-key",
            "--dir",
            r,
            "--dry-run",
        ],
        &[],
    );
    assert!(o.status.success());
    assert!(p.exists());
    let o = cacheops_in(
        &["--prefix", "site1:", "filecache", "delete", "my-key", "--dir", r],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!p.exists());
    assert!(
        !p.parent().unwrap().exists(),
        "an emptied shard goes, as in cacheops"
    );

    let o = cacheops_in(&["filecache", "get", "missing", "--dir", r], &[]);
    assert_eq!(o.status.code(), Some(5));

    // --json: always a document, whether the entry was there or not.
    let p = entry(&root, "json-key", 120);
    let delete_json = |extra: &[&str]| {
        let mut args = vec!["--json", "filecache", "delete", "json-key", "--dir", r];
        args.extend_from_slice(extra);
        let o = cacheops_in(&args, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {:?}", stdout(&o)))
    };
    let v = delete_json(&["--dry-run"]);
    assert_eq!((&v["found"], &v["deleted"]), (&true.into(), &false.into()), "{v}");
    assert!(p.exists());
    let v = delete_json(&[]);
    assert_eq!((&v["found"], &v["deleted"]), (&true.into(), &true.into()), "{v}");
    assert!(!p.exists());
    let v = delete_json(&[]);
    assert_eq!(v["path"], p.display().to_string(), "{v}");
    assert_eq!(
        (&v["found"], &v["deleted"]),
        (&false.into(), &false.into()),
        "{v}"
    );
}

#[test]
fn filecache_stats_sums_up() {
    let root = tempdir("stats");
    for i in 0..10 {
        entry(&root, &format!("e{i}"), -60);
    }
    for i in 0..5 {
        entry(&root, &format!("h{i}"), 1800);
    }
    for i in 0..3 {
        entry(&root, &format!("w{i}"), 3 * 86_400);
    }
    let big = entry(&root, "big", 30 * 86_400);
    fs::write(&big, vec![0u8; 5000]).unwrap();
    set_mtime(&big, 30 * 86_400);
    let o = cacheops_in(
        &[
            "--json",
            "filecache",
            "stats",
            root.to_str().unwrap(),
            "--top",
            "2",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["entries"], 19);
    assert_eq!(v["expired"], 10);
    let hist: Vec<u64> = v["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[1].as_u64().unwrap())
        .collect();
    assert_eq!(hist, [10, 5, 0, 3, 1]);
    assert_eq!(v["largest"].as_array().unwrap().len(), 2);
    assert_eq!(v["largest"][0]["size"], 5000);
}

#[test]
fn filecache_takes_dir_as_argument_or_option_everywhere() {
    let root = tempdir("dirforms");
    let p = entry(&root, "k", 600);
    let r = root.to_str().unwrap();
    for args in [
        &["--json", "filecache", "stats", r][..],
        &["--json", "filecache", "stats", "--dir", r],
        &["--json", "filecache", "get", "k", r],
        &["--json", "filecache", "get", "k", "--dir", r],
        &["--json", "filecache", "delete", "k", r, "--dry-run"],
        &["--json", "filecache", "delete", "k", "--dir", r, "--dry-run"],
    ] {
        let o = cacheops_in(args, &[]);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            v["path"] == r || v["path"] == p.display().to_string(),
            "{args:?}: {v}"
        );
    }
    // Both at once is ambiguous.
    let o = cacheops_in(&["filecache", "stats", r, "--dir", r], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // KEY says what it is.
    let o = cacheops_in(&["filecache", "get", "--help"], &[]);
    let help = stdout(&o);
    let key_line = help
        .lines()
        .find(|l| l.contains("<KEY>") && !l.starts_with("Usage"))
        .unwrap();
    assert!(key_line.trim().len() > "<KEY>".len(), "{help}");
}

#[test]
fn filecache_stats_shows_expired_entries_as_expired() {
    let root = tempdir("stats-expired");
    let old = entry(&root, "old", -210);
    fs::write(&old, vec![0u8; 9000]).unwrap();
    set_mtime(&old, -210);
    // Mid-bucket times, so that a slow run still reads the same text.
    let live = entry(&root, "live", 4 * 3600 + 1800);
    fs::write(&live, vec![0u8; 8000]).unwrap();
    set_mtime(&live, 4 * 3600 + 1800);
    let o = cacheops_in(&["filecache", "stats", root.to_str().unwrap(), "--top", "2"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let row = |p: &Path| {
        text.lines()
            .find(|l| l.contains(p.to_str().unwrap()))
            .unwrap_or_else(|| panic!("{text}"))
            .to_string()
    };
    assert!(row(&old).contains("expired 3 min ago"), "{text}");
    assert!(row(&live).contains("in 4 h"), "{text}");
}

/// Whether this process runs as root (its files in /proc say so; no libc call).
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

#[test]
fn other_filesystems_are_not_entered() {
    let root = tempdir("mount");
    let p = entry(&root, "k", -60);
    let shard = p.parent().unwrap().to_path_buf();
    let mnt = root.join("ee");
    fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "cacheops-test", mnt.to_str().unwrap()])
        .status();
    if !matches!(mounted, Ok(s) if s.success()) {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); filesystem boundary untested");
        return;
    }
    let inside = mnt.join("f");
    fs::write(&inside, b"other fs").unwrap();
    set_mtime(&inside, -3600);
    let o = clean(&[root.to_str().unwrap(), "--grace", "0", "--json"]);
    let survived = inside.exists();
    let _ = Command::new("umount").arg(&mnt).status();
    assert!(survived, "an expired file on another filesystem was removed");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["removed"], 1, "{v}");
    assert_eq!(v["results"][0]["skipped"], 1, "{v}");
    assert!(!p.exists() && !shard.exists());
}
