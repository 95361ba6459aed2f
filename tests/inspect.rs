//! `cacheops keys` (and, as they land, the other inspection commands) against
//! a real redis-server.

mod common;

use common::{cacheops, fill_blog, stderr, stdout, RedisServer};

fn run(s: &RedisServer, args: &[&str]) -> std::process::Output {
    let url = s.url(0);
    let mut full = vec!["--redis", url.as_str()];
    full.extend_from_slice(args);
    cacheops(&full)
}

fn lines(o: &std::process::Output) -> Vec<String> {
    let mut v: Vec<String> = stdout(o).lines().map(str::to_string).collect();
    v.sort();
    v
}

#[test]
fn keys_by_family_table_and_glob() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    fill_blog(&mut con, "site1:");
    redis::cmd("SET")
        .arg("q:0123456789abcdef0123456789abcdef")
        .arg("LOCK")
        .query::<()>(&mut con)
        .unwrap();

    let o = run(&s, &["keys", "--family", "conj", "--table", "articles_category"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o), ["conj:articles_category:id=3"]);

    let o = run(&s, &["--prefix", "site1:", "keys", "--family", "schemes"]);
    assert_eq!(
        lines(&o),
        [
            "site1:schemes:articles_article",
            "site1:schemes:articles_article_tags",
            "site1:schemes:articles_category",
            "site1:schemes:articlesextra_thing"
        ]
    );

    let o = run(&s, &["keys", "--family", "lock"]);
    assert_eq!(lines(&o), ["q:0123456789abcdef0123456789abcdef"]);

    let o = run(&s, &["keys", "--family", "other"]);
    assert!(lines(&o).contains(&"session:abc".to_string()), "{:?}", lines(&o));
    // Without a prefix, another site's keys are "other" too; conj keys never are.
    assert!(lines(&o).contains(&"site1:conj:articles_category:id=3".to_string()));
    assert!(!lines(&o)
        .iter()
        .any(|k| k.starts_with("conj:") || k.starts_with("schemes:")));

    let o = run(&s, &["--json", "keys", "--match", "conj:articles_article:id=*"]);
    let rows: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r["family"] == "conj" && r["table"] == "articles_article"));

    let o = run(&s, &["keys", "--limit", "3"]);
    assert_eq!(lines(&o).len(), 3);

    let o = run(&s, &["keys", "--family", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}
