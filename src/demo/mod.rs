//! `cacheops demo`: a throwaway redis-server holding what django-cacheops
//! writes for a small blog, and a file cache directory beside it.
//!
//! The data (blog.jsonl) is real cacheops' output: tests/compat/driver.py
//! `populate` then `demo-data` wrote it, and tests/compat/test_demo.py checks
//! that real cacheops still writes the same keys for the same queries.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::error::{Error, Result};

/// Keys and files as cacheops wrote them, one JSON object a line.
const BLOG: &str = include_str!("blog.jsonl");

pub struct Demo {
    pub port: u16,
    pub dir: PathBuf,
    server: Child,
}

/// What the demo holds once loaded.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub keys: u64,
    pub files: u64,
}

impl Demo {
    /// Starts `redis-server` on a free loopback port, in a directory of its
    /// own, with the keyspace events `cacheops stats` needs.
    pub fn start() -> Result<Demo> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| Error::Io(format!("no free loopback port: {e}")))?;
        let dir = std::env::temp_dir().join(format!("cacheops-demo-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Error::Io(format!("{}: {e}", dir.display())))?;
        let server = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(["--notify-keyspace-events", crate::stats::NEEDED_FLAGS])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let server = match server {
            Ok(s) => s,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(if e.kind() == std::io::ErrorKind::NotFound {
                    Error::Connect(
                        "redis-server is not installed: `sudo apt-get install redis-server` (Debian, Ubuntu), \
                         `brew install redis` (macOS)"
                            .into(),
                    )
                } else {
                    Error::Connect(format!("cannot start redis-server: {e}"))
                });
            }
        };
        let demo = Demo { port, dir, server };
        demo.wait_ready()?;
        Ok(demo)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn file_cache_dir(&self) -> PathBuf {
        self.dir.join("filecache")
    }

    /// A config file naming the demo's Redis and file cache.
    pub fn config_path(&self) -> PathBuf {
        self.dir.join("cacheops.yaml")
    }

    fn wait_ready(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let ok = redis::Client::open(self.url())
                .and_then(|c| c.get_connection_with_timeout(Duration::from_millis(200)))
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            if ok.is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Error::Connect(format!(
                    "redis-server did not start on port {}",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Writes the blog's keys into Redis and its files into the file cache,
    /// TTLs and expiry times counted from now, and the config file.
    pub fn load(&self) -> Result<Loaded> {
        let mut con = redis::Client::open(self.url())?.get_connection()?;
        let mut pipe = redis::pipe();
        let mut loaded = Loaded::default();
        let now = SystemTime::now();
        for line in BLOG.lines().filter(|l| !l.trim().is_empty()) {
            let rec: Value = serde_json::from_str(line).map_err(|e| Error::Io(format!("demo data: {e}")))?;
            if let Some(file) = rec["file"].as_str() {
                write_file(&self.file_cache_dir(), file, &rec, now)?;
                loaded.files += 1;
                continue;
            }
            let key = rec["key"].as_str().unwrap_or_default();
            let strs = |f: &str| -> Vec<String> {
                rec[f]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default()
            };
            match rec["type"].as_str().unwrap_or_default() {
                "string" => {
                    pipe.cmd("SET")
                        .arg(key)
                        .arg(hex(rec["value"].as_str().unwrap_or_default()))
                        .ignore();
                }
                "set" => {
                    pipe.cmd("SADD").arg(key).arg(strs("members")).ignore();
                }
                "list" => {
                    pipe.cmd("RPUSH").arg(key).arg(strs("items")).ignore();
                }
                "hash" => {
                    let fields: Vec<(String, String)> = rec["fields"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                                .collect()
                        })
                        .unwrap_or_default();
                    pipe.cmd("HSET").arg(key).arg(fields).ignore();
                }
                "zset" => {
                    let mut c = redis::cmd("ZADD");
                    c.arg(key);
                    for p in rec["scores"].as_array().into_iter().flatten() {
                        c.arg(p[1].as_f64().unwrap_or(0.0))
                            .arg(p[0].as_str().unwrap_or_default());
                    }
                    pipe.add_command(c).ignore();
                }
                other => return Err(Error::Io(format!("demo data: unknown type {other}"))),
            }
            if let Some(ttl) = rec["ttl"].as_i64().filter(|t| *t > 0) {
                pipe.cmd("EXPIRE").arg(key).arg(ttl).ignore();
            }
            loaded.keys += 1;
        }
        pipe.query::<()>(&mut con)?;
        let config = format!(
            "# cacheops demo: delete with the demo\nredis: {}\nfile_cache_dir: {}\n",
            self.url(),
            self.file_cache_dir().display()
        );
        std::fs::write(self.config_path(), config).map_err(|e| Error::Io(e.to_string()))?;
        Ok(loaded)
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// A file cache entry as cacheops writes it: the pickle, its mtime the expiry time.
fn write_file(root: &Path, rel: &str, rec: &Value, now: SystemTime) -> Result<()> {
    let path = root.join(rel);
    let io = |e: std::io::Error| Error::Io(format!("{}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&path, hex(rec["data"].as_str().unwrap_or_default())).map_err(io)?;
    let secs = rec["expires_in"].as_i64().unwrap_or(0);
    let when = if secs >= 0 {
        now + Duration::from_secs(secs as u64)
    } else {
        now - Duration::from_secs(secs.unsigned_abs())
    };
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(when))
        .map_err(io)
}
