//! `cacheops invalidate` end to end against a real redis-server: what goes,
//! what stays, bounded work on large sets, and every documented error.
//! (Exactness against real django-cacheops is tests/compat/.)

mod common;

use common::{cacheops, cacheops_in, dump, exists, fill_blog, stderr, stdout, RedisServer};

fn run(s: &RedisServer, db: i64, args: &[&str]) -> std::process::Output {
    common::run_on(s, db, args)
}

#[test]
fn model_invalidation_takes_the_table_and_nothing_else() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let o = run(&s, 0, &["invalidate", "articles.ARTICLE"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for k in [
        "q:a1",
        "q:a2",
        "q:pub3",
        "q:all",
        "q:join",
        "conj:articles_article:id=1",
        "conj:articles_article:",
    ] {
        assert!(!exists(&mut con, k), "{k} should be gone");
    }
    for k in [
        "q:tags",
        "q:cat",
        "q:x",
        "conj:articles_category:id=3",
        "conj:articles_article_tags:tag_id=5",
        "schemes:articles_article",
        "session:abc",
    ] {
        assert!(exists(&mut con, k), "{k} should stay");
    }
    assert!(stdout(&o).contains("articles_article"), "{}", stdout(&o));
}

#[test]
fn app_invalidation_covers_through_tables_but_not_lookalike_apps() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let o = run(&s, 0, &["--json", "invalidate", "articles"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tables: Vec<&str> = v["results"][0]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        tables,
        ["articles_article", "articles_article_tags", "articles_category"]
    );
    for k in ["q:a1", "q:tags", "q:cat", "conj:articles_category:id=3"] {
        assert!(!exists(&mut con, k), "{k} should be gone");
    }
    assert!(exists(&mut con, "q:x"), "articlesextra_ is another app");
    assert!(exists(&mut con, "session:abc"));
}

#[test]
fn large_conj_sets_are_drained_in_bounded_steps() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    let n = 25_000;
    let mut pipe = redis::pipe();
    for i in 0..n {
        pipe.cmd("SET").arg(format!("q:{i}")).arg("v").ignore();
        pipe.cmd("SADD")
            .arg("conj:articles_article:")
            .arg(format!("q:{i}"))
            .ignore();
    }
    pipe.cmd("SADD").arg("schemes:articles_article").arg("").ignore();
    pipe.query::<()>(&mut con).unwrap();
    redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query::<()>(&mut con)
        .unwrap();

    let o = run(&s, 0, &["invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let left: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(left, 1, "only schemes:articles_article stays");
    // Each script call deletes at most MEMBER_BUDGET members: 25 calls at least.
    let calls = common::command_calls(&mut con, &["evalsha", "eval"]);
    assert!(
        calls >= (n / cacheops::invalidate::MEMBER_BUDGET) as u64,
        "{calls} script calls"
    );
    assert_eq!(
        common::command_calls(&mut con, &["keys"]),
        0,
        "KEYS must never be sent"
    );
    // The 25k-member set was popped piecewise, never read whole.
    let spops = common::command_calls(&mut con, &["spop"]);
    assert!(
        spops as usize >= n / cacheops::invalidate::MEMBER_BUDGET - 1,
        "{spops} SPOPs"
    );
}

#[test]
fn fields_invalidate_exactly_the_rows_conditions() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let o = run(
        &s,
        0,
        &[
            "invalidate",
            "articles.Article.1",
            "--fields",
            r#"{"id": 1, "category_id": 3, "is_published": true, "title": "x"}"#,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for k in [
        "q:a1",
        "q:pub3",
        "q:all",
        "q:join",
        "conj:articles_article:id=1",
        "conj:articles_article:category_id=3&is_published=true",
    ] {
        assert!(!exists(&mut con, k), "{k} should be gone");
    }
    for k in [
        "q:a2",
        "conj:articles_article:id=2",
        "q:cat",
        "conj:articles_category:id=3",
    ] {
        assert!(exists(&mut con, k), "{k} should stay");
    }
}

#[test]
fn pk_only_is_conservative_and_says_so() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let o = run(&s, 0, &["invalidate", "articles.Article.1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("conservative"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--fields"));
    for k in ["q:a1", "q:pub3", "q:all", "q:join"] {
        assert!(!exists(&mut con, k), "{k} should be gone");
    }
    assert!(exists(&mut con, "q:a2"), "id=2 contradicts pk 1");
    assert!(exists(&mut con, "conj:articles_article:id=2"));
}

#[test]
fn prefix_scopes_everything() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "site1:");
    fill_blog(&mut con, "site2:");
    let o = run(&s, 0, &["--prefix", "site1:", "invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!exists(&mut con, "site1:q:a1"));
    assert!(exists(&mut con, "site2:q:a1"));

    let o = run(&s, 0, &["--prefix", "site1:", "invalidate", "all", "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !exists(&mut con, "site1:session:abc"),
        "all takes every key under the prefix"
    );
    assert!(!exists(&mut con, "site1:schemes:articles_category"));
    assert!(exists(&mut con, "site2:q:a1"), "other prefixes stay");
}

#[test]
fn all_flushes_only_when_confirmed() {
    let s = RedisServer::start();
    let mut con = s.con(3);
    fill_blog(&mut con, "");
    let before = dump(&mut con);
    let o = run(&s, 3, &["invalidate", "all"]);
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"));
    assert_eq!(dump(&mut con), before);

    let o = run(&s, 3, &["invalidate", "all", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(dump(&mut con), before);

    let mut other = s.con(4);
    redis::cmd("SET")
        .arg("keep")
        .arg("1")
        .query::<()>(&mut other)
        .unwrap();
    let o = run(&s, 3, &["invalidate", "all", "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(redis::cmd("DBSIZE").query::<i64>(&mut con).unwrap(), 0);
    assert!(exists(&mut other, "keep"), "only the configured db is flushed");
}

#[test]
fn dry_run_changes_nothing_and_lists_keys() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let before = dump(&mut con);
    for args in [
        &["invalidate", "articles", "--dry-run", "-v"][..],
        &["invalidate", "articles.Article.1", "--dry-run", "-v"],
        &[
            "invalidate",
            "articles.Article.1",
            "--dry-run",
            "--fields",
            r#"{"id": 1}"#,
        ],
    ] {
        let o = run(&s, 0, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(dump(&mut con), before, "{args:?} changed data");
    }
    let o = run(
        &s,
        0,
        &["--json", "invalidate", "articles.Article", "--dry-run", "-v"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    // id=1, id=2, category_id=3&is_published=true and the empty conjunction.
    assert_eq!(v["results"][0]["conj_keys"], 4);
    let keys = v["results"][0]["keys"].as_array().unwrap();
    assert!(keys.iter().any(|k| k == "conj:articles_article:id=1"));
    assert!(keys.iter().any(|k| k == "q:a1"));
}

#[test]
fn insideout_data_is_detected_and_only_conj_keys_go() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    for (k, v) in [
        ("conj:articles_article:id=1", "stamp1"),
        ("conj:articles_article:id=2", "stamp2"),
        ("q:a1", "sum:pickle"),
    ] {
        redis::cmd("SET").arg(k).arg(v).query::<()>(&mut con).unwrap();
    }
    redis::cmd("SADD")
        .arg("schemes:articles_article")
        .arg("id")
        .query::<()>(&mut con)
        .unwrap();
    let o = run(
        &s,
        0,
        &[
            "--json",
            "invalidate",
            "articles.Article.1",
            "--fields",
            r#"{"id": 1, "is_published": true}"#,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["results"][0]["layout"], "insideout");
    assert!(!exists(&mut con, "conj:articles_article:id=1"));
    assert!(exists(&mut con, "conj:articles_article:id=2"));
    assert!(exists(&mut con, "q:a1"), "insideout entries die lazily");

    let o = run(&s, 0, &["invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!exists(&mut con, "conj:articles_article:id=2"));
    assert!(exists(&mut con, "q:a1"));
}

#[test]
fn layout_disagreement_is_refused_without_changes() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let before = dump(&mut con);
    for args in [
        &["--layout", "insideout", "invalidate", "articles.Article"][..],
        &[
            "--layout",
            "insideout",
            "invalidate",
            "articles.Article.1",
            "--fields",
            r#"{"id": 1}"#,
        ],
    ] {
        let o = run(&s, 0, args);
        assert_eq!(o.status.code(), Some(6), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("layout"), "{}", stderr(&o));
        assert_eq!(dump(&mut con), before);
    }
    let o = cacheops_in(
        &["--redis", &s.url(0), "invalidate", "articles.Article"],
        &[("CACHEOPS_INSIDEOUT", "true")],
    );
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));

    // Both layouts in one table: refuse.
    redis::cmd("SET")
        .arg("conj:articles_article:id=9")
        .arg("stamp")
        .query::<()>(&mut con)
        .unwrap();
    let before = dump(&mut con);
    let o = run(
        &s,
        0,
        &["invalidate", "articles.Article.9", "--fields", r#"{"id": 9}"#],
    );
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert_eq!(dump(&mut con), before);
}

#[test]
fn errors_are_one_line_with_documented_codes() {
    let s = RedisServer::start();
    let url = s.url(0);
    let dir = std::env::temp_dir().join(format!("cacheops-errs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("c.yaml");
    std::fs::write(
        &cfg,
        "models:\n  articles.LegacyThing: {db_table: legacy_things}\n",
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let dead = format!("redis://:hunter2@127.0.0.1:{}/0", common::free_port());
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["--redis", &url, "invalidate", "articles..Article"],
            2,
            "malformed label",
        ),
        (
            vec!["--redis", &url, "invalidate", "a.b.c.d"],
            2,
            "malformed label",
        ),
        (
            vec![
                "--redis",
                &url,
                "invalidate",
                "articles.Article.1",
                "--fields",
                "{nope",
            ],
            2,
            "not valid JSON",
        ),
        (
            vec![
                "--redis",
                &url,
                "invalidate",
                "articles.Article.1",
                "--fields",
                "[1]",
            ],
            2,
            "JSON object",
        ),
        (
            vec![
                "--redis",
                &url,
                "invalidate",
                "articles.Article",
                "--fields",
                "{}",
            ],
            2,
            "--fields goes with",
        ),
        (
            vec![
                "--redis",
                &url,
                "--config",
                "/nonexistent/c.yaml",
                "invalidate",
                "articles",
            ],
            3,
            "does not exist",
        ),
        (
            vec![
                "--redis",
                &url,
                "--config",
                dir.to_str().unwrap(),
                "invalidate",
                "articles",
            ],
            3,
            "is a directory, not a file",
        ),
        (
            vec!["--redis", "http://h/0", "invalidate", "articles"],
            3,
            "unsupported scheme",
        ),
        (
            vec!["--redis", &dead, "invalidate", "articles"],
            4,
            "cannot connect",
        ),
        (
            vec!["--redis", &url, "--config", cfg, "invalidate", "articles.Nope"],
            5,
            "articles.Nope",
        ),
        (
            vec!["--redis", &url, "invalidate", "nosuchapp"],
            5,
            "unknown to Redis",
        ),
        (vec!["--redis", &url, "invalidate", "all"], 6, "--yes"),
        (vec!["--redis", &url, "invalidate"], 2, "LABEL"),
    ];
    for (args, code, needle) in cases {
        let o = cacheops(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("hunter2"), "password printed: {err}");
        assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
        if code != 2 {
            assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line please: {err}");
        }
    }
}

#[test]
fn wrong_password_is_a_clear_connect_error() {
    let s = RedisServer::start_with(&["--requirepass", "right"]);
    let url = format!("redis://:wrong-secret@127.0.0.1:{}/0", s.port);
    let o = cacheops(&["--redis", &url, "invalidate", "articles"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(err.contains("credentials"), "{err}");
    assert!(!err.contains("wrong-secret"), "{err}");
    let none = format!("redis://127.0.0.1:{}/0", s.port);
    let o = cacheops(&["--redis", &none, "invalidate", "articles"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("credentials"), "{}", stderr(&o));
    let ok = format!("redis://:right@127.0.0.1:{}/0", s.port);
    assert!(
        cacheops(&["--redis", &ok, "invalidate", "articles", "--missing-ok"])
            .status
            .success()
    );
}

#[test]
fn unknown_labels_stop_everything_unless_missing_ok() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let before = dump(&mut con);
    // A typo after a good label: nothing at all is deleted.
    let o = run(&s, 0, &["invalidate", "articles.Article", "articles.Artcle"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("articles.Artcle"), "{}", stderr(&o));
    assert_eq!(dump(&mut con), before);

    let o = run(
        &s,
        0,
        &[
            "invalidate",
            "articles.Article",
            "articles.Artcle",
            "--missing-ok",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!exists(&mut con, "q:a1"));
    assert!(stderr(&o).contains("skipped"), "{}", stderr(&o));
}

#[test]
fn invalidation_emits_no_keymiss_events() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    // Conj keys that do not exist are computed and probed by every one of these.
    let events = common::events_during(&s, 0, || {
        for args in [
            &[
                "invalidate",
                "articles.Article.7",
                "--fields",
                r#"{"id": 7, "category_id": 9, "is_published": false}"#,
            ][..],
            &[
                "invalidate",
                "articles.Article.1",
                "--fields",
                r#"{"id": 1, "category_id": 3, "is_published": true}"#,
            ],
            &["invalidate", "articles.Category"],
            &["invalidate", "articles.Tag", "--missing-ok"],
            &["invalidate", "articles.Article.2"],
        ] {
            let o = run(&s, 0, args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        }
    });
    assert!(
        events.iter().any(|(e, _)| e == "del"),
        "the subscription works: {events:?}"
    );
    let misses: Vec<_> = events.iter().filter(|(e, _)| e == "keymiss").collect();
    assert!(misses.is_empty(), "keymiss events: {misses:?}");
}

/// A key of a type no layout writes (a zset at a conj: key) stops an
/// invalidation, dry run or not, with an error that names it; a schemes key
/// that is not a set does not stop a conservative pk invalidation.
#[test]
fn someone_elses_key_under_a_cacheops_name_is_named() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    common::cache(&mut con, "", "q:p1", &[("shop_product", &[("id", "1")])]);
    redis::cmd("ZADD")
        .arg("conj:shop_product:id=3")
        .arg(1)
        .arg("x")
        .query::<()>(&mut con)
        .unwrap();
    for dry in [true, false] {
        let mut args = vec!["invalidate", "shop.Product"];
        if dry {
            args.push("--dry-run");
        }
        let o = run(&s, 0, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(6), "{args:?}: {err}");
        assert!(
            err.contains("conj:shop_product:id=3 is a zset"),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(exists(&mut con, "conj:shop_product:id=1") && exists(&mut con, "q:p1"));
    }

    redis::cmd("DEL")
        .arg("conj:shop_product:id=3")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("DEL")
        .arg("schemes:shop_product")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("SET")
        .arg("schemes:shop_product")
        .arg("notaset")
        .query::<()>(&mut con)
        .unwrap();
    let o = run(&s, 0, &["invalidate", "shop.Product.1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("schemes:shop_product is not a set"),
        "{}",
        stderr(&o)
    );
    assert!(!exists(&mut con, "conj:shop_product:id=1") && !exists(&mut con, "q:p1"));
}
