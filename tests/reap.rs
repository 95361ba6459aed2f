//! `cacheops reap` against a real redis-server. (Against real reapconjs:
//! tests/compat/test_reap.py.)

mod common;

use common::{cacheops, dump, events_during, stderr, RedisServer};
use redis::Connection;

/// `n` members in a conj set, of which those with i % every == 0 are alive.
fn conj_set(con: &mut Connection, key: &str, n: usize, every: usize) {
    let mut pipe = redis::pipe();
    for i in 0..n {
        let member = format!("q:{key}:{i}");
        pipe.cmd("SADD").arg(key).arg(&member).ignore();
        if i % every == 0 {
            pipe.cmd("SET").arg(&member).arg("v").ignore();
        }
    }
    pipe.query::<()>(con).unwrap();
}

fn card(con: &mut Connection, key: &str) -> u64 {
    redis::cmd("SCARD").arg(key).query(con).unwrap()
}

fn reap(s: &RedisServer, args: &[&str]) -> std::process::Output {
    let mut full = vec!["reap"];
    full.extend_from_slice(args);
    common::run_on(s, 0, &full)
}

#[test]
fn dead_members_go_live_ones_stay() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    conj_set(&mut con, "conj:articles_article:", 5000, 10); // 500 alive
    conj_set(&mut con, "conj:articles_article:id=1", 1500, 3); // 500 alive
    conj_set(&mut con, "conj:articles_tag:id=1", 999, 2); // below the default minimum
    conj_set(&mut con, "conj:articles_category:id=2", 2000, usize::MAX); // only member 0 alive
    redis::cmd("DEL")
        .arg("q:conj:articles_category:id=2:0")
        .query::<()>(&mut con)
        .unwrap(); // none alive

    let before = dump(&mut con);
    let o = reap(&s, &["--dry-run", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(dump(&mut con), before, "a dry run changes nothing");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["members_removed"], 4500 + 1000 + 2000);

    let o = reap(&s, &["--json", "--chunk-size", "300"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["conj_sets"], 4);
    assert_eq!(v["conj_sets_reaped"], 3);
    assert_eq!(v["members_removed"], 7500);
    assert_eq!(v["sets_emptied"], 1);
    assert_eq!(card(&mut con, "conj:articles_article:"), 500);
    assert_eq!(card(&mut con, "conj:articles_article:id=1"), 500);
    assert_eq!(
        card(&mut con, "conj:articles_tag:id=1"),
        999,
        "below --min-conj-set-size"
    );
    assert_eq!(card(&mut con, "conj:articles_category:id=2"), 0);
    let members: Vec<String> = redis::cmd("SMEMBERS")
        .arg("conj:articles_article:")
        .query(&mut con)
        .unwrap();
    for m in members {
        let alive: bool = redis::cmd("EXISTS").arg(&m).query(&mut con).unwrap();
        assert!(alive, "{m} is dead but kept");
    }

    let o = reap(&s, &["--min-conj-set-size", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["members_removed"], 499);
}

#[test]
fn reaping_emits_no_keymiss_and_works_in_bounded_steps() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    conj_set(&mut con, "conj:t:", 20_000, 10);
    redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query::<()>(&mut con)
        .unwrap();
    let events = events_during(&s, 0, || {
        let o = reap(&s, &["--chunk-size", "500"]);
        assert!(o.status.success(), "{}", stderr(&o));
    });
    assert!(
        events.iter().any(|(e, _)| e == "srem"),
        "the subscription works: {:?}",
        &events[..events.len().min(5)]
    );
    let misses: Vec<_> = events.iter().filter(|(e, _)| e == "keymiss").take(5).collect();
    assert!(misses.is_empty(), "keymiss events: {misses:?}");
    let calls = common::command_calls(&mut con, &["evalsha", "eval"]);
    assert!(
        calls >= 40,
        "20000 members in chunks of 500: {calls} script calls"
    );
    assert_eq!(common::command_calls(&mut con, &["smembers", "keys"]), 0);
    assert_eq!(card(&mut con, "conj:t:"), 2000);
}

#[test]
fn insideout_is_explained_and_legacy_sets_need_a_confirmed_layout() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    redis::cmd("SET")
        .arg("conj:t:id=1")
        .arg("stamp")
        .query::<()>(&mut con)
        .unwrap();
    conj_set(&mut con, "conj:t:id=2", 10, 2);
    let o = reap(&s, &["--legacy-sets"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let url = s.url(0);
    let legacy = |extra: &[&str]| {
        let mut args = vec!["--redis", &url, "--layout", "insideout", "reap", "--legacy-sets"];
        args.extend_from_slice(extra);
        cacheops(&args)
    };
    // Broad: off a terminal it needs --yes; a dry run only counts.
    let o = legacy(&[]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    let o = legacy(&["--dry-run", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["legacy_sets"], 1);
    assert_eq!(v["insideout_conj_keys"], 1);
    assert_eq!(card(&mut con, "conj:t:id=2"), 10, "nothing dropped yet");
    let o = legacy(&["--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(card(&mut con, "conj:t:id=2"), 0, "the classic set is gone");
    let stamp: Option<String> = redis::cmd("GET").arg("conj:t:id=1").query(&mut con).unwrap();
    assert_eq!(stamp.as_deref(), Some("stamp"), "insideout stamps stay");
    let o = reap(&s, &[]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("classic layout only"), "{}", stderr(&o));
}

#[test]
fn classic_data_is_never_taken_for_legacy_sets() {
    // A wrong --layout (or insideout: in the config) on a classic deployment:
    // dropping its conj sets would make every entry impossible to invalidate.
    let s = RedisServer::start();
    let mut con = s.con(0);
    conj_set(&mut con, "conj:t:id=1", 10, 2);
    conj_set(&mut con, "conj:t:id=2", 10, 2);
    let before = dump(&mut con);
    let url = s.url(0);
    let o = cacheops(&[
        "--redis",
        &url,
        "--layout",
        "insideout",
        "reap",
        "--legacy-sets",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("this data is classic"), "{}", stderr(&o));
    assert_eq!(dump(&mut con), before);
}

#[test]
fn a_layout_that_disagrees_with_the_data_stops_the_reap() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    conj_set(&mut con, "conj:t:id=1", 10, 2);
    let url = s.url(0);
    let before = dump(&mut con);
    let o = cacheops(&[
        "--redis",
        &url,
        "--layout",
        "insideout",
        "reap",
        "--min-conj-set-size",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("--legacy-sets"), "{}", stderr(&o));
    assert_eq!(dump(&mut con), before, "nothing reaped");

    redis::cmd("FLUSHDB").query::<()>(&mut con).unwrap();
    redis::cmd("SET")
        .arg("conj:t:id=1")
        .arg("stamp")
        .query::<()>(&mut con)
        .unwrap();
    let o = cacheops(&["--redis", &url, "--layout", "classic", "reap"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("layout conflict"), "{}", stderr(&o));
    let o = cacheops(&["--redis", &url, "reap", "--chunk-size", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn table_limits_the_reap_to_that_tables_conj_sets() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    conj_set(&mut con, "conj:articles_article:id=1", 10, 2); // 5 alive
    conj_set(&mut con, "conj:articles_article_tags:id=1", 10, 2); // a table whose name extends it
    conj_set(&mut con, "conj:articles_tag:id=1", 10, 2);
    let o = reap(
        &s,
        &[
            "--table",
            "articles_article",
            "--min-conj-set-size",
            "1",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["conj_sets"], 1);
    assert_eq!(v["members_removed"], 5);
    assert_eq!(card(&mut con, "conj:articles_article:id=1"), 5);
    assert_eq!(card(&mut con, "conj:articles_article_tags:id=1"), 10);
    assert_eq!(card(&mut con, "conj:articles_tag:id=1"), 10);
}

#[test]
fn a_dry_run_frees_no_memory_on_paper_either() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    for i in 0..5 {
        conj_set(&mut con, &format!("conj:articles_article:id={i}"), 20, 2);
    }
    let o = reap(&s, &["--min-conj-set-size", "1", "--dry-run", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["conj_sets_reaped"], 5);
    assert!(v["memory_before"].as_u64().unwrap() > 0);
    assert_eq!(v["memory_after"], v["memory_before"], "{v}");
}
