//! Test harness: a real `redis-server` on a free loopback port, per test.
//! No mocks: every integration test talks to the real thing.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    pub port: u16,
    child: Child,
    dir: PathBuf,
    extra: Vec<String>,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> RedisServer {
        let bin = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        for _ in 0..5 {
            let port = free_port();
            let dir = std::env::temp_dir().join(format!("cacheops-test-redis-{}-{port}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let mut cmd = Command::new(&bin);
            cmd.args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(&dir)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
            let child = cmd.spawn().unwrap_or_else(|e| {
                panic!("cannot start {bin}: {e}. Install it (apt-get install redis-server) or run scripts/test.sh")
            });
            let mut server = RedisServer {
                port,
                child,
                dir,
                extra: extra.iter().map(|s| s.to_string()).collect(),
            };
            if server.wait_ready() {
                return server;
            }
            let _ = server.child.kill();
        }
        panic!("redis-server did not come up on a free port");
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false; // exited: port taken in the meantime
            }
            if let Ok(mut con) = redis::Client::open(self.url(0)).and_then(|c| c.get_connection()) {
                // Any answer counts: with --requirepass, PING answers NOAUTH.
                match redis::cmd("PING").query::<String>(&mut con) {
                    Ok(_) => return true,
                    Err(e) if e.code().is_some() => return true,
                    Err(_) => {}
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Stops the server (`restart` brings it back on the same port).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server and starts it again on the same port (a Redis restart).
    pub fn restart(&mut self) {
        self.kill();
        let bin = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        self.child = Command::new(bin)
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        assert!(self.wait_ready(), "redis-server did not come back");
    }

    pub fn url(&self, db: i64) -> String {
        format!("redis://127.0.0.1:{}/{db}", self.port)
    }

    pub fn con(&self, db: i64) -> redis::Connection {
        redis::Client::open(self.url(db))
            .unwrap()
            .get_connection()
            .unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs the built binary with the given args, stdin closed, in a clean env.
pub fn cacheops(args: &[&str]) -> Output {
    cacheops_in(args, &[])
}

pub fn cacheops_in(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cacheops"));
    cmd.args(args)
        .stdin(Stdio::null())
        .env_remove("CACHEOPS_REDIS")
        .env_remove("CACHEOPS_PREFIX")
        .env_remove("CACHEOPS_INSIDEOUT")
        .env_remove("CACHEOPS_CONFIG")
        .env_remove("DATABASE_URL")
        .env("HOME", "/nonexistent")
        .env_remove("XDG_CONFIG_HOME")
        .current_dir(std::env::temp_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every key of a db with its type, TTL presence and content, sorted: two
/// dbs compare equal when they hold the same data.
pub fn dump(con: &mut redis::Connection) -> Vec<(String, String, bool, Vec<String>)> {
    let mut out = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("COUNT")
            .arg(1000)
            .query(con)
            .unwrap();
        for k in keys {
            let t: String = redis::cmd("TYPE").arg(&k).query(con).unwrap();
            let ttl: i64 = redis::cmd("TTL").arg(&k).query(con).unwrap();
            let raw: Vec<Vec<u8>> = match t.as_str() {
                "string" => vec![redis::cmd("GET").arg(&k).query(con).unwrap()],
                "set" => redis::cmd("SMEMBERS").arg(&k).query(con).unwrap(),
                "list" => redis::cmd("LRANGE").arg(&k).arg(0).arg(-1).query(con).unwrap(),
                "hash" => redis::cmd("HGETALL").arg(&k).query(con).unwrap(),
                "zset" => redis::cmd("ZRANGE")
                    .arg(&k)
                    .arg(0)
                    .arg(-1)
                    .arg("WITHSCORES")
                    .query(con)
                    .unwrap(),
                _ => vec![],
            };
            // Values are pickles too: text when UTF-8, else hex.
            let mut content: Vec<String> = raw
                .into_iter()
                .map(|v| match String::from_utf8(v) {
                    Ok(s) => s,
                    Err(e) => e.into_bytes().iter().map(|b| format!("{b:02x}")).collect(),
                })
                .collect();
            // A list's order is part of its content; a set's and a hash's are not.
            if t != "list" && t != "zset" {
                content.sort();
            }
            out.push((k, t, ttl >= 0, content));
        }
        if next == 0 {
            break;
        }
        cursor = next;
    }
    out.sort();
    out.dedup();
    out
}

/// Reads every keyevent published on `db` while `f` runs.
pub fn events_during(s: &RedisServer, db: i64, f: impl FnOnce()) -> Vec<(String, String)> {
    let mut admin = s.con(0);
    redis::cmd("CONFIG")
        .arg("SET")
        .arg("notify-keyspace-events")
        .arg("KEAm")
        .query::<()>(&mut admin)
        .unwrap();
    let client = redis::Client::open(s.url(0)).unwrap();
    let mut sub_con = client.get_connection().unwrap();
    let mut pubsub = sub_con.as_pubsub();
    pubsub.psubscribe(format!("__keyevent@{db}__:*")).unwrap();
    pubsub
        .set_read_timeout(Some(std::time::Duration::from_millis(300)))
        .unwrap();
    f();
    let mut out = Vec::new();
    while let Ok(msg) = pubsub.get_message() {
        let channel = msg.get_channel_name().to_string();
        let event = channel.rsplit(':').next().unwrap_or("").to_string();
        out.push((event, msg.get_payload::<String>().unwrap_or_default()));
    }
    out
}

/// Writes one entry the way cacheops' classic layout shapes it (our own
/// reading, for behaviour tests; tests/compat checks it against cacheops).
pub fn cache(con: &mut redis::Connection, prefix: &str, key: &str, deps: &[(&str, &[(&str, &str)])]) {
    let full = format!("{prefix}{key}");
    redis::cmd("SETEX")
        .arg(&full)
        .arg(3600)
        .arg("pickle")
        .query::<()>(con)
        .unwrap();
    for (table, conds) in deps {
        let scheme: Vec<&str> = conds.iter().map(|(f, _)| *f).collect();
        let part: Vec<String> = conds.iter().map(|(f, v)| format!("{f}={v}")).collect();
        let conj = format!("{prefix}conj:{table}:{}", part.join("&"));
        redis::cmd("SADD")
            .arg(format!("{prefix}schemes:{table}"))
            .arg(scheme.join(","))
            .query::<()>(con)
            .unwrap();
        redis::cmd("SADD").arg(&conj).arg(&full).query::<()>(con).unwrap();
        redis::cmd("EXPIRE")
            .arg(&conj)
            .arg(7210)
            .query::<()>(con)
            .unwrap();
    }
}

pub fn exists(con: &mut redis::Connection, key: &str) -> bool {
    redis::cmd("EXISTS").arg(key).query::<i64>(con).unwrap() == 1
}

pub fn fill_blog(con: &mut redis::Connection, prefix: &str) {
    cache(con, prefix, "q:a1", &[("articles_article", &[("id", "1")])]);
    cache(con, prefix, "q:a2", &[("articles_article", &[("id", "2")])]);
    cache(
        con,
        prefix,
        "q:pub3",
        &[(
            "articles_article",
            &[("category_id", "3"), ("is_published", "true")],
        )],
    );
    cache(con, prefix, "q:all", &[("articles_article", &[])]);
    cache(
        con,
        prefix,
        "q:tags",
        &[("articles_article_tags", &[("tag_id", "5")])],
    );
    cache(
        con,
        prefix,
        "q:join",
        &[
            ("articles_article", &[("id", "1")]),
            ("articles_category", &[("id", "3")]),
        ],
    );
    cache(con, prefix, "q:cat", &[("articles_category", &[("id", "3")])]);
    cache(con, prefix, "q:x", &[("articlesextra_thing", &[("id", "1")])]);
    redis::cmd("SET")
        .arg(format!("{prefix}session:abc"))
        .arg("not ours")
        .query::<()>(con)
        .unwrap();
}

/// Runs the binary against db `db` of `s` (`--redis` first, then `args`).
pub fn run_on(s: &RedisServer, db: i64, args: &[&str]) -> Output {
    let url = s.url(db);
    let mut full = vec!["--redis", url.as_str()];
    full.extend_from_slice(args);
    cacheops(&full)
}

/// How many times Redis ran each of these commands (INFO commandstats names,
/// e.g. "evalsha", "spop"), summed.
pub fn command_calls(con: &mut redis::Connection, names: &[&str]) -> u64 {
    let stats: String = redis::cmd("INFO").arg("commandstats").query(con).unwrap();
    stats
        .lines()
        .filter(|l| names.iter().any(|n| l.starts_with(&format!("cmdstat_{n}:"))))
        .filter_map(|l| l.split("calls=").nth(1)?.split(',').next()?.parse::<u64>().ok())
        .sum()
}

/// Real django-cacheops, driven through tests/compat/driver.py with the venv
/// that scripts/test.sh creates: TUI tests browse what cacheops itself wrote.
pub struct RealCacheops {
    dir: PathBuf,
}

impl RealCacheops {
    /// The compat project's sqlite db, created once per instance.
    pub fn new() -> RealCacheops {
        let dir = std::env::temp_dir().join(format!("cacheops-real-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        let me = RealCacheops { dir };
        me.run("", "classic", &["setup"]);
        me
    }

    fn python() -> PathBuf {
        let p = std::env::var_os("COMPAT_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/compat-venv/bin/python")
            });
        assert!(
            p.exists(),
            "{} is missing: run scripts/test.sh once (it creates the venv with django-cacheops), \
             or point COMPAT_PYTHON at a python that has tests/compat/requirements.txt",
            p.display()
        );
        p
    }

    /// Runs a driver.py subcommand against `url` ("" for none) in `layout`.
    pub fn run(&self, url: &str, layout: &str, args: &[&str]) -> String {
        let mut cmd = Command::new(Self::python());
        cmd.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/compat/driver.py"))
            .args(args)
            .env_remove("DJANGO_SETTINGS_MODULE")
            .env("COMPAT_DB", self.dir.join("db.sqlite3"))
            .env("COMPAT_LAYOUT", layout)
            .env("COMPAT_FILE_CACHE_DIR", self.dir.join("filecache"))
            // As conftest.py: one hash seed keeps cacheops' key order stable.
            .env("PYTHONHASHSEED", "2");
        if !url.is_empty() {
            cmd.env("COMPAT_REDIS_URL", url);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "driver.py {args:?} failed:\n{}\n{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn file_cache_dir(&self) -> PathBuf {
        self.dir.join("filecache")
    }

    /// The compat project's SQLite database.
    pub fn sqlite_path(&self) -> PathBuf {
        self.dir.join("db.sqlite3")
    }
}

impl Drop for RealCacheops {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Replaces db `dst` with a copy of db `src` (COPY keeps type, value and TTL).
pub fn copy_db(s: &RedisServer, src: i64, dst: i64) {
    let mut d = s.con(dst);
    redis::cmd("FLUSHDB").query::<()>(&mut d).unwrap();
    let mut con = s.con(src);
    let keys: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(&mut con).unwrap(); // test data only
    for k in keys {
        redis::cmd("COPY")
            .arg(&k)
            .arg(&k)
            .arg("DB")
            .arg(dst)
            .query::<()>(&mut con)
            .unwrap();
    }
}

/// Asserts two dbs hold the same data, naming only the keys that differ.
pub fn assert_same_db(s: &RedisServer, a: i64, b: i64) {
    let (da, db) = (dump(&mut s.con(a)), dump(&mut s.con(b)));
    if da == db {
        return;
    }
    let only_a: Vec<&String> = da.iter().filter(|e| !db.contains(e)).map(|e| &e.0).collect();
    let only_b: Vec<&String> = db.iter().filter(|e| !da.contains(e)).map(|e| &e.0).collect();
    panic!(
        "db {a} and db {b} differ:\n  only or different in {a}: {:?}\n  only or different in {b}: {:?}",
        &only_a[..only_a.len().min(20)],
        &only_b[..only_b.len().min(20)]
    );
}
