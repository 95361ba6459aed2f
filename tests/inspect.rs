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
    // As head -n 0: nothing, successfully.
    let o = run(&s, &["keys", "--limit", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");

    let o = run(&s, &["keys", "--family", "nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn inspect_counts_families_tables_and_dead_members() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    // 100 references in one set, 60 of them dead.
    for i in 0..100 {
        let key = format!("q:{i:032x}");
        redis::cmd("SADD")
            .arg("conj:articles_tag:id=1")
            .arg(&key)
            .query::<()>(&mut con)
            .unwrap();
        if i % 5 < 2 {
            redis::cmd("SET")
                .arg(&key)
                .arg("x")
                .query::<()>(&mut con)
                .unwrap();
        }
    }
    redis::cmd("SADD")
        .arg("schemes:articles_tag")
        .arg("id")
        .query::<()>(&mut con)
        .unwrap();
    let o = run(&s, &["--json", "inspect"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["layout"], "classic");
    assert_eq!(v["families"]["conj"]["keys"], 8);
    assert_eq!(v["families"]["schemes"]["keys"], 5);
    assert_eq!(v["families"]["q"]["keys"], 40, "md5-shaped q: keys");
    let tag = &v["tables"]["articles_tag"];
    assert_eq!(tag["conj_keys"], 1);
    assert_eq!(tag["references"], 100);
    assert_eq!(tag["largest_conj_set"], 100);
    assert_eq!(tag["dead_sampled"], 20);
    let dead = tag["dead_estimate"].as_u64().unwrap();
    assert!(
        (20..=100).contains(&dead),
        "60 of 100 are dead, estimated from 20: {dead}"
    );
    assert_eq!(
        v["tables"]["articles_article"]["schemes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(v["largest_conj_sets"][0][1], "conj:articles_tag:id=1");
    // fill_blog's q:/session keys are not md5-shaped: not cacheops'.
    assert_eq!(v["not_cacheops"], v["db_keys"].as_u64().unwrap() - 40 - 8 - 5);
    assert!(v["families"]["conj"]["memory_estimate"].as_u64().unwrap() > 0);
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/pickles/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn show_explains_entries_conditions_and_schemes() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    let entry = "q:0123456789abcdef0123456789abcdef";
    redis::cmd("SETEX")
        .arg(entry)
        .arg(900)
        .arg(fixture("article_single.pickle"))
        .query::<()>(&mut con)
        .unwrap();
    for conj in [
        "conj:articles_article:id=34",
        "conj:articles_article:category_id=3&is_published=true",
    ] {
        redis::cmd("SADD")
            .arg(conj)
            .arg(entry)
            .query::<()>(&mut con)
            .unwrap();
    }
    redis::cmd("SADD")
        .arg("conj:articles_article:category_id=3&is_published=true")
        .arg("q:gone")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("SADD")
        .arg("conj:articles_article:published_on=userdata: (nil)")
        .arg(entry)
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("SADD")
        .arg("schemes:articles_article")
        .arg(&["id", "category_id,is_published", "published_on"][..])
        .query::<()>(&mut con)
        .unwrap();

    let o = run(&s, &["show", entry]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("articles.Article(") && text.contains("pk=34,"),
        "{text}"
    );
    assert!(text.contains("held by   3 conj sets"), "{text}");
    assert!(text.contains("conj:articles_article:id=34"), "{text}");

    let o = run(
        &s,
        &["show", "conj:articles_article:category_id=3&is_published=true"],
    );
    let text = stdout(&o);
    assert!(
        text.contains("condition category_id = 3 AND is_published = true"),
        "{text}"
    );
    assert!(text.contains("q:gone  (gone: a dead member)"), "{text}");
    assert!(text.contains(&format!("{entry}  (ttl")), "{text}");

    let o = run(
        &s,
        &["show", "conj:articles_article:published_on=userdata: (nil)"],
    );
    assert!(
        stdout(&o).contains("condition published_on IS NULL"),
        "{}",
        stdout(&o)
    );

    let o = run(&s, &["--json", "show", "schemes:articles_article"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["members"].as_array().unwrap().len(), 3);

    // Entries no conj set holds, locks and insideout values.
    let lonely = "q:ffffffffffffffffffffffffffffffff";
    redis::cmd("SET")
        .arg(lonely)
        .arg(fixture("count.pickle"))
        .query::<()>(&mut con)
        .unwrap();
    let o = run(&s, &["show", lonely]);
    assert!(stdout(&o).contains("held by   no conj set"), "{}", stdout(&o));
    redis::cmd("SET")
        .arg("q:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
        .arg("LOCK")
        .query::<()>(&mut con)
        .unwrap();
    let o = run(&s, &["show", "q:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"]);
    assert!(stdout(&o).contains("dog-pile lock"), "{}", stdout(&o));
    let mut io = b"da39a3ee5e6b4b0d3255bfef95601890afd80709:".to_vec();
    io.extend(fixture("count.pickle"));
    redis::cmd("SET")
        .arg("q:dddddddddddddddddddddddddddddddd")
        .arg(io)
        .query::<()>(&mut con)
        .unwrap();
    let o = run(&s, &["--json", "show", "q:dddddddddddddddddddddddddddddddd"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["checksum"], "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert!(v["referenced_by"].is_null(), "insideout entries are not in sets");

    let o = run(&s, &["show", "q:nope"]);
    assert_eq!(o.status.code(), Some(5));
}

/// Each type's size is its own count (HLEN, ZCARD, LLEN, XLEN, SCARD), and a
/// large collection is shown a bounded page at a time.
#[test]
fn show_counts_the_elements_of_every_type() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    let q = |args: &[&str], con: &mut redis::Connection| {
        let mut c = redis::cmd(args[0]);
        for a in &args[1..] {
            c.arg(*a);
        }
        c.query::<redis::Value>(con).unwrap();
    };
    q(&["HSET", "unrelated:hash", "a", "1", "b", "2"], &mut con);
    q(
        &["ZADD", "unrelated:zset", "1", "x", "2", "y", "3", "z"],
        &mut con,
    );
    q(&["RPUSH", "unrelated:list", "1", "2", "3", "4"], &mut con);
    q(&["XADD", "unrelated:stream", "*", "f", "v"], &mut con);
    q(&["XADD", "unrelated:stream", "*", "f", "w"], &mut con);
    for i in 0..300 {
        q(&["HSET", "unrelated:big", &format!("f{i}"), "v"], &mut con);
    }
    for (key, size, shown) in [
        ("unrelated:hash", 2, 2),
        ("unrelated:zset", 3, 3),
        ("unrelated:list", 4, 4),
        ("unrelated:stream", 2, 0),
        ("unrelated:big", 300, 50),
    ] {
        let o = run(&s, &["--json", "show", key]);
        assert!(o.status.success(), "{key}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["size"], size, "{key}: {v}");
        let members = v["members"].as_array().map_or(0, |m| m.len());
        assert_eq!(members, shown, "{key}: {v}");
    }
    let text = stdout(&run(&s, &["show", "unrelated:hash"]));
    assert!(text.contains("hash (listpack), 2 fields"), "{text}");
    assert!(text.contains("a = 1"), "{text}");
    let text = stdout(&run(&s, &["show", "unrelated:zset"]));
    assert!(
        text.contains("3 members") && text.contains("y (score 2)"),
        "{text}"
    );
    let text = stdout(&run(&s, &["show", "unrelated:big"]));
    assert!(text.contains("fields (first 50, 250 more)"), "{text}");
}

/// Someone else's keys under cacheops names (a string at schemes:, a hash at
/// conj:, a list at q:) do not fail the read commands: they count as not
/// cacheops', and each command names the ones it skips.
#[test]
fn keys_of_another_type_under_cacheops_names_are_skipped_and_named() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    let entry = "q:0123456789abcdef0123456789abcdef";
    common::cache(&mut con, "", entry, &[("shop_product", &[("id", "1")])]);
    let odd_list = "q:ffffffffffffffffffffffffffffffff";
    redis::cmd("DEL")
        .arg("schemes:shop_product")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("SET")
        .arg("schemes:shop_product")
        .arg("notaset")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("HSET")
        .arg("conj:articles_category:id=9")
        .arg("a")
        .arg("b")
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("RPUSH")
        .arg(odd_list)
        .arg("x")
        .query::<()>(&mut con)
        .unwrap();

    let o = run(&s, &["--json", "inspect"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["odd_keys_total"], 3, "{v}");
    let mut odd: Vec<String> = v["odd_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                o["key"].as_str().unwrap(),
                o["redis_type"].as_str().unwrap()
            )
        })
        .collect();
    odd.sort();
    assert_eq!(
        odd,
        [
            "conj:articles_category:id=9 hash".to_string(),
            format!("{odd_list} list"),
            "schemes:shop_product string".to_string()
        ]
    );
    assert_eq!(
        v["families"]["conj"]["keys"], 8,
        "the hash is not counted as conj"
    );
    assert_eq!(v["tables"]["shop_product"]["conj_keys"], 1);
    for key in ["schemes:shop_product", "conj:articles_category:id=9", odd_list] {
        assert!(stderr(&o).contains(key), "{}", stderr(&o));
    }

    let o = run(&s, &["keys", "--family", "lock"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains(&format!("skipped {odd_list}: a list")),
        "{}",
        stderr(&o)
    );
    let o = run(&s, &["keys", "--family", "conj", "--table", "articles_category"]);
    assert_eq!(lines(&o), ["conj:articles_category:id=3"]);
    assert!(
        stderr(&o).contains("skipped conj:articles_category:id=9: a hash"),
        "{}",
        stderr(&o)
    );
    let o = run(&s, &["--json", "keys", "--family", "other"]);
    let other = stdout(&o);
    assert!(
        other.contains(r#"{"key":"conj:articles_category:id=9","family":"other"}"#),
        "{other}"
    );
    assert!(other.contains(r#""key":"schemes:shop_product""#), "{other}");

    let o = run(&s, &["--json", "show", "conj:shop_product:id=1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["size"], 1);
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("schemes:shop_product is not a set"),
        "{v}"
    );
    let o = run(&s, &["show", "conj:articles_category:id=9"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("family    other\n"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("a hash, not a cacheops conj key"),
        "{}",
        stderr(&o)
    );

    // The TUI's walks over conj keys leave the hash out instead of failing.
    let ns = cacheops::keys::Namespace::new("");
    let mut walk = cacheops::inspect::TablesWalk::new(&ns);
    while !walk.done {
        walk.step(&mut con).unwrap();
    }
    assert_eq!(walk.tables["articles_category"].conj_keys, 1);
    let mut conj = cacheops::inspect::ConjWalk::new(&mut con, &ns, "articles_category").unwrap();
    let rows = conj.more(&mut con, 100).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let mut conj = cacheops::inspect::ConjWalk::new(&mut con, &ns, "shop_product").unwrap();
    assert_eq!(conj.more(&mut con, 100).unwrap().len(), 1);
}

#[test]
fn show_takes_keys_as_keys_prints_them() {
    // `keys` prints whole Redis keys, prefix included; `show` puts the prefix
    // in front of what it is given, unless that is not a key and the input is.
    let s = RedisServer::start();
    let mut con = s.con(0);
    common::fill_blog(&mut con, "site1:");
    let listed = lines(&run(
        &s,
        &["--prefix", "site1:", "keys", "--family", "conj", "--limit", "1"],
    ));
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].starts_with("site1:conj:"), "{listed:?}");
    let whole = run(&s, &["--prefix", "site1:", "--json", "show", &listed[0]]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let bare = run(
        &s,
        &[
            "--prefix",
            "site1:",
            "--json",
            "show",
            &listed[0]["site1:".len()..],
        ],
    );
    assert!(bare.status.success(), "{}", stderr(&bare));
    let key = |o: &std::process::Output| {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["key"].clone()
    };
    assert_eq!(key(&whole), key(&bare));
    assert_eq!(key(&whole), listed[0].as_str());
}

#[test]
fn keys_says_how_many_keys_were_not_utf8() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    fill_blog(&mut con, "");
    redis::cmd("SET")
        .arg(&b"q:\xffbad"[..])
        .arg("x")
        .query::<()>(&mut con)
        .unwrap();
    let o = run(&s, &["keys"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 keys are not UTF-8"), "{}", stderr(&o));
    let o = run(&s, &["keys", "--family", "conj"]);
    assert!(
        !stderr(&o).contains("UTF-8"),
        "the pattern leaves it out: {}",
        stderr(&o)
    );
}
