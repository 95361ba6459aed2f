//! `cacheops doctor` finds the states it must flag, created deliberately on a
//! real redis-server. (SLOWLOG recognition of real cacheops scripts:
//! tests/compat/test_doctor.py.)

mod common;

use common::{cacheops, fill_blog, stderr, RedisServer};
use serde_json::Value;

fn doctor(s: &RedisServer, extra: &[&str]) -> (Option<i32>, Value) {
    let url = s.url(0);
    let mut args = vec!["--redis", url.as_str()];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--json", "doctor"]);
    let o = cacheops(&args);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", stderr(&o)));
    (o.status.code(), v)
}

fn severity_of(v: &Value, check: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == check)
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect()
}

fn md5ish(i: usize) -> String {
    format!("q:{i:032x}")
}

#[test]
fn a_healthy_cache_is_not_flagged() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    for i in 0..50 {
        redis::cmd("SETEX")
            .arg(md5ish(i))
            .arg(600)
            .arg("x")
            .query::<()>(&mut con)
            .unwrap();
        redis::cmd("SADD")
            .arg("conj:articles_article:id=1")
            .arg(md5ish(i))
            .query::<()>(&mut con)
            .unwrap();
    }
    redis::cmd("EXPIRE")
        .arg("conj:articles_article:id=1")
        .arg(1210)
        .query::<()>(&mut con)
        .unwrap();
    // A dog-pile lock, as cacheops sets it: in no conj set, and rightly so.
    redis::cmd("SET")
        .arg(md5ish(999))
        .arg("LOCK")
        .arg("EX")
        .arg(60)
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("SADD")
        .arg("schemes:articles_article")
        .arg("id")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("CONFIG")
        .arg("SET")
        .arg("notify-keyspace-events")
        .arg("KEA$m")
        .query::<()>(&mut con)
        .unwrap();
    let (code, v) = doctor(&s, &[]);
    assert_eq!(code, Some(0), "{v}");
    for f in v["findings"].as_array().unwrap() {
        assert!(["ok", "info"].contains(&f["severity"].as_str().unwrap()), "{f}");
    }
    assert_eq!(severity_of(&v, "unreferenced-entries"), ["ok"]);
    assert_eq!(severity_of(&v, "keyspace-events"), ["ok"]);
}

#[test]
fn allkeys_eviction_is_critical() {
    let s = RedisServer::start_with(&["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"]);
    let (code, v) = doctor(&s, &[]);
    assert_eq!(code, Some(8));
    assert_eq!(severity_of(&v, "eviction"), ["critical"]);
    let mut con = s.con(0);
    redis::cmd("CONFIG")
        .arg("SET")
        .arg("maxmemory-policy")
        .arg("volatile-ttl")
        .query::<()>(&mut con)
        .unwrap();
    let (_, v) = doctor(&s, &[]);
    assert_eq!(severity_of(&v, "eviction"), ["ok"]);
}

#[test]
fn layout_and_prefix_mismatches_are_critical() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let (code, v) = doctor(&s, &["--layout", "insideout"]);
    assert_eq!(code, Some(8));
    assert_eq!(severity_of(&v, "layout"), ["critical"]);

    redis::cmd("SET")
        .arg("conj:articles_article:id=77")
        .arg("stamp")
        .query::<()>(&mut con)
        .unwrap();
    let (code, v) = doctor(&s, &[]);
    assert_eq!(code, Some(8));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "layout")
        .unwrap()
        .clone();
    assert!(f["message"].as_str().unwrap().contains("WRONGTYPE"), "{f}");

    let (code, v) = doctor(&s, &["--prefix", "site9:"]);
    assert_eq!(code, Some(8));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "prefix")
        .unwrap()
        .clone();
    assert!(
        f["message"].as_str().unwrap().contains("\"\""),
        "names the prefix the data has: {f}"
    );
}

#[test]
fn conj_set_problems_are_warned_about() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    // A big set, 90% dead, kept alive; a conj key without TTL; an unreferenced entry;
    // a foreign key.
    let mut pipe = redis::pipe();
    for i in 0..12_000 {
        pipe.cmd("SADD")
            .arg("conj:articles_article:")
            .arg(md5ish(i))
            .ignore();
        if i % 10 == 0 {
            pipe.cmd("SETEX").arg(md5ish(i)).arg(600).arg("x").ignore();
        }
    }
    pipe.query::<()>(&mut con).unwrap();
    redis::cmd("EXPIRE")
        .arg("conj:articles_article:")
        .arg(1210)
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("SADD")
        .arg("conj:articles_tag:id=1")
        .arg(md5ish(0))
        .query::<()>(&mut con)
        .unwrap();
    // 600 unreferenced among 1,800 entries: the 200-entry sample cannot miss them all.
    for i in 0..600 {
        redis::cmd("SETEX")
            .arg(format!("as:{i:032x}"))
            .arg(600)
            .arg("x")
            .query::<()>(&mut con)
            .unwrap();
    }
    redis::cmd("SET")
        .arg("session:1")
        .arg("not cacheops")
        .query::<()>(&mut con)
        .unwrap();
    let (code, v) = doctor(&s, &[]);
    assert_eq!(code, Some(0), "warnings only: {v}");
    assert_eq!(severity_of(&v, "big-conj-sets"), ["warning"]);
    assert_eq!(severity_of(&v, "conj-without-ttl"), ["warning"]);
    assert_eq!(severity_of(&v, "conj-kept-alive"), ["warning"]);
    assert_eq!(severity_of(&v, "unreferenced-entries"), ["warning"]);
    assert_eq!(severity_of(&v, "foreign-keys"), ["warning"]);
}

#[test]
fn entries_whose_conj_keys_are_all_gone_are_flagged_unless_insideout() {
    // Classic data after every conj set was dropped (a wrong `reap
    // --legacy-sets`, eviction, a hand-made DEL): nothing can invalidate these.
    let s = RedisServer::start();
    let mut con = s.con(0);
    for i in 0..50 {
        let pickle = b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00]\x94.";
        redis::cmd("SETEX")
            .arg(md5ish(i))
            .arg(600)
            .arg(&pickle[..])
            .query::<()>(&mut con)
            .unwrap();
    }
    // Someone else's list under a cache key's name fails alone, not the check.
    redis::cmd("RPUSH")
        .arg(md5ish(999))
        .arg("x")
        .query::<()>(&mut con)
        .unwrap();
    let (_, v) = doctor(&s, &[]);
    assert_eq!(severity_of(&v, "unreferenced-entries"), ["warning"], "{v}");

    // The same after an insideout invalidate_model: entries stay until read
    // or expired, and that is fine. Their checksums tell the layout.
    redis::cmd("FLUSHDB").query::<()>(&mut con).unwrap();
    for i in 0..50 {
        redis::cmd("SETEX")
            .arg(md5ish(i))
            .arg(600)
            .arg(format!("{:040x}:\u{80}\u{4}N.", i))
            .query::<()>(&mut con)
            .unwrap();
    }
    let (_, v) = doctor(&s, &[]);
    assert!(severity_of(&v, "unreferenced-entries").is_empty(), "{v}");
    let (_, v) = doctor(&s, &["--layout", "insideout"]);
    assert!(severity_of(&v, "unreferenced-entries").is_empty(), "{v}");
}

#[test]
fn with_a_prefix_foreign_keys_are_explained_without_advising_a_prefix() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "site1:");
    redis::cmd("SET")
        .arg("session:1")
        .arg("not cacheops")
        .query::<()>(&mut con)
        .unwrap();
    let (_, v) = doctor(&s, &["--prefix", "site1:"]);
    let found: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "foreign-keys")
        .collect();
    assert_eq!(found.len(), 1, "{v}");
    let text = found[0].to_string();
    assert!(text.contains("invalidate_all()"), "{text}");
    assert!(!text.contains("set a prefix"), "{text}");
}

#[test]
fn an_empty_db_says_so() {
    let s = RedisServer::start();
    let (code, v) = doctor(&s, &[]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(severity_of(&v, "empty-db"), ["info"], "{v}");
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let (_, v) = doctor(&s, &[]);
    assert!(severity_of(&v, "empty-db").is_empty(), "{v}");
}
