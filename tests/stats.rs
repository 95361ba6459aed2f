//! `cacheops stats` against a real redis-server: events produced by commands
//! shaped as cacheops issues them. (Against real cacheops: tests/compat/test_stats.py.)

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{cache, stderr, RedisServer};

fn spawn_stats(s: &RedisServer, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_cacheops"))
        .args(["--redis", &s.url(0), "--json", "stats", "--enable-events"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn final_line(o: &std::process::Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&o.stdout);
    let last = text
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no output: {}", stderr(o)));
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(v["final"], true, "{last}");
    v
}

#[test]
fn counts_misses_fills_and_invalidations_per_table() {
    let s = RedisServer::start();
    let child = spawn_stats(&s, &["--duration", "2.5", "--interval", "0.5"]);
    std::thread::sleep(Duration::from_millis(800));
    let mut con = s.con(0);
    let k = |i: u32| format!("q:{i:032x}");
    // Three misses, each followed by its fill; one fill spans two tables.
    for i in 0..3 {
        let _: Option<String> = redis::cmd("GET").arg(k(i)).query(&mut con).unwrap();
    }
    cache(&mut con, "", &k(0)[..], &[("articles_article", &[("id", "1")])]);
    cache(&mut con, "", &k(1)[..], &[("articles_article", &[("id", "2")])]);
    cache(
        &mut con,
        "",
        &k(2)[..],
        &[("articles_article", &[]), ("articles_category", &[("id", "3")])],
    );
    // Two hits.
    let _: Option<String> = redis::cmd("GET").arg(k(0)).query(&mut con).unwrap();
    let _: Option<String> = redis::cmd("GET").arg(k(1)).query(&mut con).unwrap();
    // An invalidation as cacheops' script does it: conj keys, then cache keys.
    redis::cmd("UNLINK")
        .arg("conj:articles_article:id=1")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("DEL").arg(k(0)).query::<()>(&mut con).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v = final_line(&o);
    let t = &v["totals"];
    assert_eq!(
        (t["misses"].as_u64(), t["fills"].as_u64()),
        (Some(3), Some(3)),
        "{v}"
    );
    assert_eq!(t["hits"], 2, "GETs minus misses: {v}");
    assert_eq!(t["hits_exact"], false);
    assert_eq!(t["invalidations"], 1);
    assert_eq!(t["deleted"], 1);
    let a = &v["tables"]["articles_article"];
    assert_eq!(
        (a["misses"].as_u64(), a["fills"].as_u64()),
        (Some(3), Some(3)),
        "{v}"
    );
    assert_eq!(
        (a["invalidations"].as_u64(), a["deleted"].as_u64()),
        (Some(1), Some(1))
    );
    let c = &v["tables"]["articles_category"];
    assert_eq!(
        (c["misses"].as_u64(), c["fills"].as_u64()),
        (Some(1), Some(1)),
        "{v}"
    );
}

#[test]
fn sigterm_and_count_end_with_the_totals() {
    let s = RedisServer::start();
    let child = spawn_stats(&s, &["--interval", "0.2"]);
    std::thread::sleep(Duration::from_millis(700));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v = final_line(&o);
    assert!(v["ts"].as_f64().unwrap() > 1.7e9);
    assert!(
        String::from_utf8_lossy(&o.stdout).lines().count() >= 3,
        "interval lines before the final one"
    );

    let o = spawn_stats(&s, &["--interval", "0.2", "--count", "2"])
        .wait_with_output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        3,
        "2 intervals + final"
    );

    // As head -n 0: no report at all, not even the totals of nothing.
    let o = spawn_stats(&s, &["--interval", "0.2", "--count", "0"])
        .wait_with_output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
}

#[test]
fn missing_event_flags_are_explained_and_enabled_on_request() {
    let s = RedisServer::start();
    let o = common::run_on(&s, 0, &["stats", "--count", "1"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("--enable-events"), "{}", stderr(&o));
    let o = common::run_on(
        &s,
        0,
        &[
            "stats",
            "--count",
            "1",
            "--interval",
            "0.1",
            "--enable-events",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("revert with"), "{}", stderr(&o));
    // The revert command reaches this server, not redis-cli's default one.
    let revert = format!("redis-cli -h 127.0.0.1 -p {} CONFIG SET", s.port);
    assert!(stderr(&o).contains(&revert), "{}", stderr(&o));
    let mut con = s.con(0);
    let flags: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("notify-keyspace-events")
        .query(&mut con)
        .unwrap();
    assert!(
        cacheops::stats::missing_event_flags(&flags[1]).is_empty(),
        "{flags:?}"
    );
}

#[test]
fn serves_prometheus_metrics() {
    let s = RedisServer::start();
    let port = common::free_port();
    let child = spawn_stats(
        &s,
        &[
            "--duration",
            "2",
            "--interval",
            "0.2",
            "--serve",
            &port.to_string(),
        ],
    );
    std::thread::sleep(Duration::from_millis(700));
    let mut con = s.con(0);
    let key = format!("q:{:032x}", 7);
    let _: Option<String> = redis::cmd("GET").arg(&key).query(&mut con).unwrap();
    cache(&mut con, "", &key, &[("shop_product", &[("id", "7")])]);
    std::thread::sleep(Duration::from_millis(600));
    use std::io::{Read, Write};
    let mut http = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    http.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut body = String::new();
    http.read_to_string(&mut body).unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("cacheops_misses_total 1\n"), "{body}");
    assert!(
        body.contains("cacheops_table_fills_total{table=\"shop_product\"} 1\n"),
        "{body}"
    );
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn survives_a_redis_restart_and_says_events_were_lost() {
    let mut s = RedisServer::start();
    let child = spawn_stats(&s, &["--duration", "4", "--interval", "0.3"]);
    std::thread::sleep(Duration::from_millis(700));
    s.restart();
    let mut con = s.con(0);
    // The restart forgot the flags: they are part of the server's config.
    redis::cmd("CONFIG")
        .arg("SET")
        .arg("notify-keyspace-events")
        .arg("Eg$slxem")
        .query::<()>(&mut con)
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let key = format!("q:{:032x}", 9);
    let _: Option<String> = redis::cmd("GET").arg(&key).query(&mut con).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.lines().any(|l| l.contains("\"events_lost\":true")), "{text}");
    let v = final_line(&o);
    assert_eq!(
        v["totals"]["misses"], 1,
        "events after the restart are counted: {v}"
    );
}

#[test]
fn exact_hits_per_table_with_monitor() {
    let s = RedisServer::start();
    let child = spawn_stats(&s, &["--duration", "2.5", "--interval", "0.5", "--exact"]);
    std::thread::sleep(Duration::from_millis(800));
    let mut con = s.con(0);
    let k = |i: u32| format!("q:{i:032x}");
    for i in 0..2 {
        let _: Option<String> = redis::cmd("GET").arg(k(i)).query(&mut con).unwrap();
    }
    cache(&mut con, "", &k(0), &[("articles_article", &[("id", "1")])]);
    cache(
        &mut con,
        "",
        &k(1),
        &[("articles_article", &[]), ("articles_category", &[("id", "3")])],
    );
    for i in [0, 0, 1] {
        let _: Option<String> = redis::cmd("GET").arg(k(i)).query(&mut con).unwrap();
    }
    let _: Option<String> = redis::cmd("GET").arg("session:1").query(&mut con).unwrap(); // not a cache key
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("MONITOR"), "warns about MONITOR's cost");
    let v = final_line(&o);
    assert_eq!(v["totals"]["hits_exact"], true);
    assert_eq!(v["totals"]["hits"], 3, "{v}");
    assert_eq!(v["tables"]["articles_article"]["hits"], 3, "{v}");
    assert_eq!(v["tables"]["articles_category"]["hits"], 1, "{v}");
}

/// Intervals as short as can be: one ends after nearly every event, so
/// between a miss and its fill, a fill's `set` and its `sadd`s, a read (INFO,
/// MONITOR) and its `keymiss`. The counts must come out the same.
#[test]
fn intervals_cut_anywhere_count_the_same() {
    for exact in [false, true] {
        let s = RedisServer::start();
        let mut args = vec!["--duration", "3", "--interval", "0.001"];
        if exact {
            args.push("--exact");
        }
        let child = spawn_stats(&s, &args);
        std::thread::sleep(Duration::from_millis(800));
        let mut con = s.con(0);
        let k = |i: u32| format!("q:{i:032x}");
        for i in 0..20 {
            let _: Option<String> = redis::cmd("GET").arg(k(i)).query(&mut con).unwrap();
            let id = i.to_string();
            cache(&mut con, "", &k(i), &[("articles_article", &[("id", &id)])]);
            for _ in 0..2 {
                let _: Option<String> = redis::cmd("GET").arg(k(i)).query(&mut con).unwrap();
            }
        }
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let v = final_line(&o);
        let t = &v["totals"];
        let a = &v["tables"]["articles_article"];
        assert_eq!(
            (t["hits"].as_u64(), t["misses"].as_u64(), t["fills"].as_u64()),
            (Some(40), Some(20), Some(20)),
            "exact: {exact}: {v}"
        );
        assert_eq!(
            (a["misses"].as_u64(), a["fills"].as_u64()),
            (Some(20), Some(20)),
            "exact: {exact}: {v}"
        );
        if exact {
            assert_eq!(a["hits"], 40, "{v}");
        }
    }
}

/// `Duration::from_secs_f64` panics on these: they must be refused as a bad
/// command line (exit 2, one line) before anything connects.
#[test]
fn seconds_no_duration_can_hold_are_usage_errors() {
    let s = RedisServer::start();
    for flag in ["--interval", "--duration"] {
        for v in ["inf", "nan", "1e300", "-1", "0", "soon"] {
            let arg = format!("{flag}={v}");
            let o = common::run_on(&s, 0, &["stats", "--enable-events", "--count", "1", &arg]);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{arg}: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "{arg}: {err}");
            assert!(
                err.starts_with("error: invalid value") && err.contains(flag),
                "{arg}: {err}"
            );
        }
    }
}
