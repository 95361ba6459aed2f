//! `cacheops demo` without a terminal: it starts a redis-server with the blog
//! data and a file cache, says where, and removes everything when it stops.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn demo_serves_the_blog_then_cleans_up() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cacheops"))
        .args(["demo", "--no-tui", "--for", "30"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("redis://"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_string();
    let config: String = lines
        .map_while(|l| l.ok())
        .find_map(|l| {
            l.split_whitespace()
                .skip_while(|w| *w != "--config")
                .nth(1)
                .map(str::to_string)
        })
        .unwrap();
    let dir = std::path::Path::new(&config).parent().unwrap().to_path_buf();

    let mut con = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let n: u64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(n, 177, "the keys of src/demo/blog.jsonl");
    // The commands it suggests work against it.
    let o = common::cacheops(&["--config", &config, "--json", "inspect"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tables"].as_object().unwrap().len(), 10, "{v}");
    let o = common::cacheops(&[
        "--config",
        &config,
        "--json",
        "reap",
        "--min-conj-set-size",
        "1",
        "--dry-run",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Three entries gone behind cacheops' back, some held by several conj sets.
    assert!(
        v["members_removed"].as_u64().unwrap() >= 3,
        "the demo's dead members: {v}"
    );
    let o = common::cacheops(&["--config", &config, "--json", "filecache", "stats"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["entries"].as_u64(), v["expired"].as_u64()),
        (Some(4), Some(2)),
        "{v}"
    );

    // SIGTERM stops it: the server and the files go.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "demo did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(!dir.exists(), "{} left behind", dir.display());
    assert!(
        redis::Client::open(url.as_str())
            .unwrap()
            .get_connection()
            .is_err(),
        "the server is gone"
    );
}

#[test]
fn a_for_no_clock_can_reach_is_a_usage_error() {
    // Instant::now() + this many seconds overflows (a panic): refused at parse time.
    let o = common::cacheops(&["demo", "--no-tui", "--for", "18446744073709551615"]);
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains("--for"), "{}", common::stderr(&o));
}
