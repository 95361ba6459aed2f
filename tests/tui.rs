//! The TUI's screens, rendered with ratatui's TestBackend against a real
//! redis-server holding what real django-cacheops wrote (plus hand-made
//! states where a test needs one), and driven by key events; after each
//! action the Redis state is checked, against cacheops' own where it has one.

mod common;

use std::time::Duration;

use cacheops::config::{RedisTarget, Registry};
use cacheops::conn::Target;
use cacheops::keys::Namespace;
use cacheops::tui::{draw, worker, App, AppConfig, WorkerConfig};
use common::{assert_same_db, cache, copy_db, dump, exists, RealCacheops, RedisServer};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

struct Opts {
    db: i64,
    database: Option<String>,
    registry: Registry,
    read_only: bool,
    stats: bool,
    file_cache_dir: std::path::PathBuf,
}

impl Default for Opts {
    fn default() -> Opts {
        Opts {
            db: 0,
            database: None,
            registry: Registry::default(),
            read_only: false,
            stats: false,
            file_cache_dir: "/nonexistent/cacheops-file-cache".into(),
        }
    }
}

fn app_with(s: &RedisServer, o: Opts) -> App {
    let target = Target::from_setting(&RedisTarget::Url(s.url(o.db))).unwrap();
    let mut app = App::new(
        worker::spawn(WorkerConfig {
            target,
            ns: Namespace::new(""),
            layout: None,
            file_cache_dir: o.file_cache_dir,
            database: o.database,
            use_tz: true,
            stats: o.stats,
        }),
        AppConfig {
            registry: o.registry,
            read_only: o.read_only,
        },
    );
    app.settle(Duration::from_secs(5));
    app
}

fn app_for(s: &RedisServer) -> App {
    app_with(s, Opts::default())
}

/// db 0 filled by real cacheops (the compat project's reads), classic layout.
fn real(s: &RedisServer) -> RealCacheops {
    let rc = RealCacheops::new();
    rc.run(&s.url(0), "classic", &["populate"]);
    rc
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Moves the selection to the first row whose first column contains `what`.
fn select(app: &mut App, what: &str) {
    let i = app
        .rows()
        .iter()
        .position(|(cols, _)| cols[0].contains(what))
        .unwrap_or_else(|| panic!("no row with {what:?}: {:?}", app.rows()));
    press(app, KeyCode::Char('g'));
    for _ in 0..i {
        press(app, KeyCode::Char('j'));
    }
}

fn screen(app: &App) -> String {
    screen_sized(app, 120, 30)
}

/// The app told of a terminal of this size, as the run loop tells it.
fn resize(app: &mut App, width: u16, height: u16) {
    app.term_size = (width, height);
    app.page_rows = height.saturating_sub(6) as usize;
}

fn screen_sized(app: &App, width: u16, height: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
    term.draw(|f| draw::draw(f, app, draw::Theme { color: false }))
        .unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
    app.settle(Duration::from_secs(5));
}

/// A key held with modifiers (Ctrl, Alt).
fn chord(app: &mut App, c: char, modifiers: KeyModifiers) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), modifiers));
    app.settle(Duration::from_secs(5));
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/pickles/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn fill(con: &mut redis::Connection) {
    let entry = "q:0123456789abcdef0123456789abcdef";
    cache(
        con,
        "",
        entry,
        &[
            ("articles_article", &[("id", "34")]),
            ("articles_category", &[("id", "3")]),
        ],
    );
    redis::cmd("SET")
        .arg(entry)
        .arg(fixture("article_single.pickle"))
        .query::<()>(con)
        .unwrap();
    cache(
        con,
        "",
        "q:11111111111111111111111111111111",
        &[(
            "articles_article",
            &[("category_id", "3"), ("is_published", "true")],
        )],
    );
    cache(
        con,
        "",
        "q:22222222222222222222222222222222",
        &[("shop_product", &[])],
    );
}

#[test]
fn browse_tables_conditions_entries_and_values() {
    let s = RedisServer::start();
    fill(&mut s.con(0));
    let mut app = app_for(&s);

    let text = screen(&app);
    assert!(text.contains("tables with cached data: 3"), "{text}");
    assert!(
        text.contains("articles_article") && text.contains("shop_product"),
        "{text}"
    );

    // Tables are sorted: articles_article first. Open it.
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains(" › articles_article"), "breadcrumbs: {text}");
    assert!(text.contains("id = 34"), "{text}");
    assert!(text.contains("category_id = 3 AND is_published = true"), "{text}");

    // Filter the conditions, open the one left: its entries.
    press(&mut app, KeyCode::Char('/'));
    for c in "id = 34".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("filter: id = 34"), "{text}");
    assert!(!text.contains("is_published = true"), "filtered out: {text}");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("condition id = 34"), "{text}");
    assert!(text.contains("q:0123456789abcdef0123456789abcdef"), "{text}");

    // The entry: decoded value and the conj sets holding it.
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("articles.Article("), "{text}");
    assert!(text.contains("pk=34"), "{text}");
    assert!(text.contains("held by 2 conj sets"), "{text}");

    // Back to the Tables view, step by step: entry, condition, then the
    // table view's filter is cleared before leaving it.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let text = screen(&app);
    assert!(text.contains("conditions of articles_article"), "{text}");
    assert!(text.contains("is_published = true"), "the filter is gone: {text}");
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("tables with cached data"));
}

#[test]
fn help_lists_every_binding_and_q_quits() {
    let s = RedisServer::start();
    fill(&mut s.con(0));
    let mut app = app_for(&s);
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&app);
    for b in cacheops::tui::keymap::BINDINGS {
        assert!(text.contains(b.help), "help lacks {:?}: {text}", b.help);
    }
    press(&mut app, KeyCode::Char('x')); // any other key closes help
    assert!(!screen(&app).contains("any other key closes"));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.view().selected, 1);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.view().selected, 2);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.view().selected, 0);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn a_redis_that_goes_away_shows_a_banner_and_the_view_reloads_when_it_is_back() {
    let mut s = RedisServer::start();
    fill(&mut s.con(0));
    let mut app = app_for(&s);
    assert!(screen(&app).contains("tables with cached data: 3"));
    s.kill();
    // An action says why it cannot run, instead of showing nothing: first
    // when its dry run finds Redis gone, then before it is even tried.
    press(&mut app, KeyCode::Char('i'));
    assert!(app.dialog.is_none());
    let text = screen(&app);
    assert!(text.contains("Redis unreachable"), "{text}");
    assert!(
        text.contains("invalidate table articles_article: cannot run, Redis is unreachable"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('i'));
    assert!(app.dialog.is_none());
    let text = screen(&app);
    assert!(
        text.contains("Redis is unreachable: actions cannot run now"),
        "{text}"
    );
    // Back (empty, as after `shutdown nosave`): no key is pressed, the
    // banner goes and the view shows what Redis holds now.
    s.restart();
    wait_until(&mut app, "the view to reload by itself", |a| {
        a.banner.is_none() && a.tables_done && a.tables.is_empty()
    });
    let text = screen(&app);
    assert!(!text.contains("Redis unreachable"), "{text}");
    assert!(text.contains("tables with cached data: 0"), "{text}");
}

#[test]
fn a_busy_redis_is_retried_and_the_view_reloads_when_the_script_ends() {
    // BUSY after 50 ms of script instead of 5 s.
    let s = RedisServer::start_with(&["--busy-reply-threshold", "50"]);
    fill(&mut s.con(0));
    let mut app = app_for(&s);
    press(&mut app, KeyCode::Tab);
    assert!(
        screen(&app).contains("keys matching every key: 10 (all scanned)"),
        "{}",
        screen(&app)
    );
    let mut script_con = s.con(0);
    let script = std::thread::spawn(move || {
        // Ends (with an error) when SCRIPT KILL stops it.
        let _ = redis::cmd("EVAL")
            .arg("while true do end")
            .arg(0)
            .query::<()>(&mut script_con);
    });
    let mut con = s.con(0);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while redis::cmd("PING").query::<String>(&mut con).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the script never made Redis busy"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    press(&mut app, KeyCode::Char('r'));
    let text = screen(&app);
    assert!(
        text.contains("Redis unreachable") && text.contains("BUSY"),
        "{text}"
    );
    let _: () = redis::cmd("SCRIPT").arg("KILL").query(&mut con).unwrap();
    script.join().unwrap();
    wait_until(&mut app, "the Keys view to reload by itself", |a| {
        a.banner.is_none() && a.keys_done && a.keys_rows.len() == 10
    });
    let text = screen(&app);
    assert!(
        text.contains("keys matching every key: 10 (all scanned)"),
        "{text}"
    );
    assert!(!text.contains("BUSY"), "{text}");
}

fn wait_until(app: &mut App, what: &str, mut done: impl FnMut(&App) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !done(app) {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        app.settle(Duration::from_millis(100));
        app.wait_stats(app.stats.history.len() + 1, Duration::from_millis(200));
    }
}

#[test]
fn every_view_shows_what_real_cacheops_wrote() {
    let s = RedisServer::start();
    let rc = real(&s);
    rc.run("", "classic", &["fc-set", "live", "v", "3600", "old", "v", "-60"]);
    let mut app = app_with(
        &s,
        Opts {
            stats: true,
            file_cache_dir: rc.file_cache_dir(),
            ..Opts::default()
        },
    );

    // Tables: every table cacheops cached, with counts and the stats columns.
    let text = screen(&app);
    assert!(text.contains("tables with cached data: 10"), "{text}");
    for t in [
        "articles_article_tags",
        "legacy_things",
        "shop_extra_widget",
        "invalidations",
    ] {
        assert!(text.contains(t), "{t}: {text}");
    }
    // `s` sorts by the next column: conj keys, articles_article (31) first.
    press(&mut app, KeyCode::Char('s'));
    assert!(screen(&app).contains("by conj keys"));
    assert_eq!(app.rows()[0].0[0], "articles_article");

    // Table -> condition -> entry.
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("conditions of articles_category"), "{text}");
    assert!(text.contains("schemes: ()  id  title"), "{text}");
    assert!(text.contains("title = "), "{text}");
    select(&mut app, "id = ");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("condition id = "), "{text}");
    assert!(text.contains("members:"), "{text}");
    // Each entry with its family, size and TTL.
    let row = &app.rows()[0].0;
    assert_eq!(row[1], "q", "{row:?}");
    assert!(row[2].ends_with(" B"), "{row:?}");
    assert!(row[3].ends_with(" s"), "{row:?}");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("held by"), "{text}");
    assert!(text.contains("value"), "{text}");

    // Keys: a SCAN browser with a glob filter.
    press(&mut app, KeyCode::Tab);
    let text = screen(&app);
    assert!(text.contains("keys matching every key: 179"), "{text}");
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "unrelated:*");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(
        text.contains("keys matching unrelated:*: 6 (all scanned)"),
        "{text}"
    );
    assert!(text.contains("unrelated:zset") && text.contains("zset"), "{text}");
    assert!(!text.contains("conj:"), "{text}");
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "hash");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.rows().len(), 1, "a plain word is *word*");

    // Stats: warns that events are off, enables them on request, counts misses.
    press(&mut app, KeyCode::Tab);
    wait_until(&mut app, "the events check", |a| a.stats.events_missing.is_some());
    let text = screen(&app);
    assert!(text.contains("notify-keyspace-events lacks"), "{text}");
    press(&mut app, KeyCode::Char('e'));
    let text = screen(&app);
    assert!(text.contains("CONFIG SET notify-keyspace-events"), "{text}");
    press(&mut app, KeyCode::Char('y'));
    let flags: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("notify-keyspace-events")
        .query(&mut s.con(0))
        .unwrap();
    assert!(
        cacheops::stats::missing_event_flags(&flags[1]).is_empty(),
        "{flags:?}"
    );
    assert!(!screen(&app).contains("notify-keyspace-events lacks"));
    let mut con = s.con(0);
    for i in 0..3 {
        let _: Option<String> = redis::cmd("GET")
            .arg(format!("q:{i:032x}"))
            .query(&mut con)
            .unwrap();
    }
    wait_until(&mut app, "three misses", |a| {
        a.stats.cumulative.tally.totals.misses >= 3
    });
    let text = screen(&app);
    assert!(text.contains("misses per interval"), "{text}");
    assert!(text.contains("3 misses"), "{text}");

    // File cache: the directory's entries, expired ones counted.
    press(&mut app, KeyCode::Tab);
    let text = screen(&app);
    assert!(text.contains("2 entries"), "{text}");
    assert!(text.contains("expired: 1 entries"), "{text}");
    let when: Vec<String> = app.rows().iter().map(|(cols, _)| cols[2].clone()).collect();
    assert!(when.iter().any(|w| w.ends_with("s ago")), "{when:?}");
    assert!(
        when.iter().any(|w| w.starts_with("in ") && w.ends_with('m')),
        "{when:?}"
    );

    // Tab wraps around; Shift-Tab goes back.
    press(&mut app, KeyCode::Tab);
    assert!(screen(&app).contains("tables with cached data"));
    press(&mut app, KeyCode::BackTab);
    assert!(screen(&app).contains("file cache"));
}

/// db 0 and db 1 filled alike by real cacheops; the TUI acts on db 0,
/// cacheops itself on db 1: the two must end up identical.
fn twin(s: &RedisServer) -> RealCacheops {
    let rc = real(s);
    copy_db(s, 0, 1);
    rc
}

#[test]
fn invalidating_a_table_asks_for_its_name_and_equals_invalidate_model() {
    let s = RedisServer::start();
    let rc = twin(&s);
    rc.run(&s.url(1), "classic", &["reference", "model:articles.Category"]);
    let before = dump(&mut s.con(0));
    let mut app = app_for(&s);
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Char('i'));
    let text = screen(&app);
    assert!(
        text.contains("would delete 6 conj keys and 10 cache keys"),
        "{text}"
    );
    assert!(text.contains("Type articles_category and Enter"), "{text}");
    typed(&mut app, "articles");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("type articles_category exactly"));
    assert!(
        dump(&mut s.con(0)) == before,
        "nothing goes before the name is typed"
    );
    typed(&mut app, "_category");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("deleted 6 conj keys"), "{text}");
    assert_same_db(&s, 0, 1);
    assert!(
        !text.contains("articles_category "),
        "the table is gone from the list: {text}"
    );
}

#[test]
fn invalidating_an_object_with_its_fields_equals_invalidate_obj() {
    let s = RedisServer::start();
    let rc = twin(&s);
    rc.run(&s.url(1), "classic", &["reference", "obj:articles.Article:1"]);
    let fields = rc.run("", "classic", &["fields", "articles.Article", "1"]);
    let mut app = app_for(&s);
    select(&mut app, "articles_article");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('o'));
    assert!(screen(&app).contains("id (the pk) ="));
    typed(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("field values as JSON"));
    typed(&mut app, fields.trim());
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("would delete"), "{text}");
    assert!(text.contains("y: go ahead"), "{text}");
    press(&mut app, KeyCode::Char('y'));
    assert_same_db(&s, 0, 1);
}

#[test]
fn invalidating_a_label_equals_manage_py_invalidate() {
    let s = RedisServer::start();
    let rc = twin(&s);
    rc.run(&s.url(1), "classic", &["reference", "cmd:shop"]);
    // As manage.py, the TUI knows the project's apps from the registry
    // (`shop_extra` is an app of its own, not part of `shop`).
    let yaml = std::env::temp_dir().join(format!("cacheops-tui-registry-{}.yaml", s.port));
    std::fs::write(&yaml, rc.run("", "classic", &["registry"])).unwrap();
    let settings = cacheops::config::Settings::load_with_env(
        &cacheops::config::Overrides {
            config: Some(yaml.clone()),
            ..Default::default()
        },
        &|_| None,
    )
    .unwrap();
    std::fs::remove_file(&yaml).unwrap();
    let mut app = app_with(
        &s,
        Opts {
            registry: settings.models,
            ..Opts::default()
        },
    );
    press(&mut app, KeyCode::Char('I'));
    typed(&mut app, "shop");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("Type shop and Enter"), "{text}");
    typed(&mut app, "shop");
    press(&mut app, KeyCode::Enter);
    assert_same_db(&s, 0, 1);
    // A malformed label is refused before anything is asked.
    press(&mut app, KeyCode::Char('I'));
    typed(&mut app, "a..b");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("malformed label"));
}

#[test]
fn dropping_a_conj_set_deleting_a_key_and_reaping_change_only_what_they_say() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut con = s.con(0);
    let mut app = app_for(&s);

    // Drop one condition of articles_category with its entries.
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Enter);
    select(&mut app, "title = ");
    let conj = match &app.rows()[app.view().selected].1 {
        Some(cacheops::tui::app::Screen::Key(k)) => k.clone(),
        other => panic!("{other:?}"),
    };
    let members: Vec<String> = redis::cmd("SMEMBERS").arg(&conj).query(&mut con).unwrap();
    assert!(!members.is_empty());
    let keys_before: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    press(&mut app, KeyCode::Char('d'));
    let text = screen(&app);
    let cache_keys = match members.len() {
        1 => "1 cache key".to_string(),
        n => format!("{n} cache keys"),
    };
    assert!(
        text.contains(&format!("would delete 1 conj key and {cache_keys}")),
        "{text}"
    );
    press(&mut app, KeyCode::Char('n'));
    assert!(exists(&mut con, &conj), "n cancels");
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(!exists(&mut con, &conj));
    for m in &members {
        assert!(!exists(&mut con, m), "{m}");
    }
    let keys_after: i64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(keys_after, keys_before - 1 - members.len() as i64);

    // Delete one raw key from the Keys view.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "unrelated:s*");
    press(&mut app, KeyCode::Enter);
    select(&mut app, "unrelated:string");
    press(&mut app, KeyCode::Char('d'));
    let text = screen(&app);
    assert!(
        text.contains("would delete unrelated:string (family other)"),
        "{text}"
    );
    assert!(!text.contains("upper bound"), "one key has no conj set: {text}");
    press(&mut app, KeyCode::Char('y'));
    assert!(!exists(&mut con, "unrelated:string"));
    assert!(exists(&mut con, "unrelated:set"));

    // Reap: entries deleted behind cacheops' back leave dead members.
    let big = "conj:articles_article:";
    let members: Vec<String> = redis::cmd("SMEMBERS").arg(big).query(&mut con).unwrap();
    let _: () = redis::cmd("DEL").arg(&members[..3]).query(&mut con).unwrap();
    // The dropped condition above took entries this set shares: dead too.
    let (dead, live): (Vec<String>, Vec<String>) = members.into_iter().partition(|m| !exists(&mut con, m));
    assert!(dead.len() >= 3);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    select(&mut app, "articles_article");
    press(&mut app, KeyCode::Char('R'));
    let text = screen(&app);
    assert!(
        text.contains(&format!("would remove {} dead members", dead.len())),
        "{text}"
    );
    press(&mut app, KeyCode::Char('y'));
    for m in &dead {
        let is: bool = redis::cmd("SISMEMBER").arg(big).arg(m).query(&mut con).unwrap();
        assert!(!is, "{m} reaped");
    }
    for m in &live {
        let is: bool = redis::cmd("SISMEMBER").arg(big).arg(m).query(&mut con).unwrap();
        assert!(is, "{m} kept");
    }
    assert!(screen(&app).contains(&format!("removed {} dead members", dead.len())));
}

#[test]
fn read_only_offers_no_action_that_writes() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let before = dump(&mut s.con(0));
    let mut app = app_with(
        &s,
        Opts {
            read_only: true,
            ..Opts::default()
        },
    );
    assert!(screen(&app).contains("[read-only]"));
    for k in ['i', 'o', 'I', 'd', 'R'] {
        press(&mut app, KeyCode::Char(k));
        assert!(app.dialog.is_none(), "{k} opened a dialog");
        assert!(screen(&app).contains("read-only: actions that write are off"));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.dialog.is_none());
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&app);
    assert!(!text.contains("invalidate"), "{text}");
    assert!(text.contains("filter the rows"), "{text}");
    assert!(dump(&mut s.con(0)) == before, "read-only changed Redis");
}

#[test]
fn mouse_scroll_and_page_keys_move_the_selection() {
    use crossterm::event::{MouseEvent, MouseEventKind};
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut app = app_for(&s);
    let scroll = |kind| MouseEvent {
        kind,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    };
    app.on_mouse(scroll(MouseEventKind::ScrollDown));
    app.on_mouse(scroll(MouseEventKind::ScrollDown));
    assert_eq!(app.view().selected, 2);
    app.on_mouse(scroll(MouseEventKind::ScrollUp));
    assert_eq!(app.view().selected, 1);
    app.page_rows = 4;
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.view().selected, 5);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.view().selected, 9, "stops at the last row");
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.view().selected, 5);
}

#[test]
fn paging_through_every_key_keeps_memory_bounded() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    let n = 2 * cacheops::tui::app::ROWS_KEPT + 1234;
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let mut pipe = redis::pipe();
        for i in chunk {
            pipe.cmd("SET").arg(format!("q:{i:032x}")).arg("v").ignore();
        }
        pipe.query::<()>(&mut con).unwrap();
    }
    let mut app = app_for(&s);
    press(&mut app, KeyCode::Tab);
    app.page_rows = 500;
    let mut steps = 0;
    while !app.keys_done || app.view().selected + 1 < app.keys_rows.len() {
        press(&mut app, KeyCode::PageDown);
        assert!(app.keys_rows.len() <= cacheops::tui::app::ROWS_KEPT);
        steps += 1;
        assert!(steps < 1000, "paging never reached the end");
    }
    assert_eq!(app.keys_seen(), n, "every key listed once");
    assert!(app.keys_dropped > 0);
    let text = screen(&app);
    assert!(text.contains(&format!("{n}, the last")), "{text}");
    // The selection is on the last key.
    assert_eq!(app.view().selected, app.keys_rows.len() - 1);

    // With a glob too, paging down loads on by itself.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "q:*");
    press(&mut app, KeyCode::Enter);
    let mut steps = 0;
    while !app.keys_done || app.view().selected + 1 < app.keys_rows.len() {
        press(&mut app, KeyCode::PageDown);
        steps += 1;
        assert!(steps < 1000, "paging with a glob never reached the end");
    }
    assert_eq!(app.keys_seen(), n, "every key listed once");
}

#[test]
fn an_object_without_fields_is_read_from_the_database() {
    let s = RedisServer::start();
    let rc = twin(&s);
    rc.run(&s.url(1), "classic", &["reference", "obj:articles.Category:1"]);
    let mut app = app_with(
        &s,
        Opts {
            database: Some(format!("sqlite:///{}", rc.sqlite_path().display())),
            ..Opts::default()
        },
    );
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // no field values: the database has them
    let text = screen(&app);
    assert!(text.contains("read from the database: exact"), "{text}");
    press(&mut app, KeyCode::Char('y'));
    assert_same_db(&s, 0, 1);
}

#[test]
fn ctrl_and_alt_chords_never_act_as_letters_and_ctrl_c_cancels_first() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut con = s.con(0);
    // Dead members, so that a reap would change something.
    let members: Vec<String> = redis::cmd("SMEMBERS")
        .arg("conj:articles_article:")
        .query(&mut con)
        .unwrap();
    let _: () = redis::cmd("DEL").arg(&members[..3]).query(&mut con).unwrap();
    let before = dump(&mut con);
    let mut app = app_for(&s);

    // Keys: Ctrl-D and Alt-D are not `d`.
    press(&mut app, KeyCode::Tab);
    chord(&mut app, 'd', KeyModifiers::CONTROL);
    chord(&mut app, 'd', KeyModifiers::ALT);
    assert!(app.dialog.is_none(), "a chord opened the delete dialog");

    // The reap dialog: Ctrl-Y does not confirm; Ctrl-C cancels it, not the TUI.
    press(&mut app, KeyCode::BackTab);
    select(&mut app, "articles_article");
    press(&mut app, KeyCode::Char('R'));
    assert!(screen(&app).contains("y: go ahead"), "{}", screen(&app));
    chord(&mut app, 'y', KeyModifiers::CONTROL);
    chord(&mut app, 'y', KeyModifiers::ALT);
    assert!(
        screen(&app).contains("y: go ahead"),
        "still asking: {}",
        screen(&app)
    );
    assert!(dump(&mut con) == before, "a chord confirmed the reap");
    chord(&mut app, 'c', KeyModifiers::CONTROL);
    assert!(app.dialog.is_none() && !app.quit);
    assert!(screen(&app).contains("cancelled; nothing was changed"));

    // Text fields: Ctrl-C types no `c`, it cancels.
    press(&mut app, KeyCode::Char('I'));
    typed(&mut app, "ab");
    chord(&mut app, 'c', KeyModifiers::CONTROL);
    assert!(app.dialog.is_none() && !app.quit);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "art");
    chord(&mut app, 'c', KeyModifiers::CONTROL);
    assert!(!app.editing_filter && app.view().filter.is_empty() && !app.quit);
    assert!(dump(&mut con) == before);

    // With nothing open, Ctrl-C quits.
    chord(&mut app, 'c', KeyModifiers::CONTROL);
    assert!(app.quit);
}

#[test]
fn deleting_a_schemes_key_names_its_family_warns_and_asks_for_the_name() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut con = s.con(0);
    let mut app = app_for(&s);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('/'));
    // A glob for this key alone (a plain word would match _tags too).
    typed(&mut app, "schemes:articles_articl[e]");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.rows().len(), 1, "{:?}", app.rows());
    press(&mut app, KeyCode::Char('d'));
    let text = screen(&app);
    assert!(
        text.contains("the schemes set of table articles_article"),
        "{text}"
    );
    assert!(text.contains("stale"), "{text}");
    assert!(!text.contains("other key"), "{text}");
    assert!(text.contains("Type schemes:articles_article and Enter"), "{text}");
    // `y` is only a letter of the name here.
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Enter);
    assert!(exists(&mut con, "schemes:articles_article"), "y deleted it");
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "schemes:articles_article");
    press(&mut app, KeyCode::Enter);
    assert!(!exists(&mut con, "schemes:articles_article"));
}

#[test]
fn a_pk_only_invalidation_is_conservative_and_asks_for_the_table_name() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut con = s.con(0);
    let before = dump(&mut con);
    let mut app = app_for(&s);
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Char('o'));
    typed(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // no field values, no database
    let text = screen(&app);
    assert!(text.contains("CONSERVATIVE"), "{text}");
    assert!(text.contains("o on the table, then the values as JSON"), "{text}");
    assert!(
        !text.contains("--fields"),
        "a CLI flag the TUI cannot take: {text}"
    );
    assert!(text.contains("Type articles_category and Enter"), "{text}");
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Enter);
    assert!(dump(&mut con) == before, "y ran a conservative drop");
    press(&mut app, KeyCode::Esc);

    // The label form says the same.
    press(&mut app, KeyCode::Char('I'));
    typed(&mut app, "articles.Category.1");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("CONSERVATIVE"), "{text}");
    assert!(text.contains("Type articles_category and Enter"), "{text}");
    typed(&mut app, "articles_category");
    press(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains("articles.Category.1: deleted"),
        "{}",
        screen(&app)
    );
    assert!(dump(&mut con) != before);
}

#[test]
fn an_action_that_would_change_nothing_says_so_instead_of_asking() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let before = dump(&mut s.con(0));
    let mut app = app_for(&s);
    // Nothing is dead yet: the reap has nothing to remove.
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Char('R'));
    let text = screen(&app);
    assert!(text.contains("Nothing to do"), "{text}");
    assert!(!text.contains("y: go ahead"), "{text}");
    press(&mut app, KeyCode::Char('y'));
    assert!(app.dialog.is_none());
    assert!(screen(&app).contains("nothing to do; nothing was changed"));
    assert!(dump(&mut s.con(0)) == before);
}

#[test]
fn a_long_value_scrolls_and_says_which_lines_are_shown() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    let entry = "q:33333333333333333333333333333333";
    cache(&mut con, "", entry, &[("articles_article", &[("id", "1")])]);
    // pickle.dumps(list(range(80)), 2): one line per item when decoded.
    let mut value = b"\x80\x02]q\x00(".to_vec();
    for i in 0..80u8 {
        value.extend([b'K', i]);
    }
    value.extend(b"e.");
    let _: () = redis::cmd("SET").arg(entry).arg(value).query(&mut con).unwrap();
    let mut app = app_for(&s);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "q:3333*");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("  0,") && !text.contains("  79"), "{text}");
    assert!(text.contains("(lines 1-26 of "), "says it is cut: {text}");
    press(&mut app, KeyCode::Char('j'));
    assert!(screen(&app).contains("(lines 2-27 of "), "{}", screen(&app));
    press(&mut app, KeyCode::PageDown);
    assert!(screen(&app).contains("(lines 28-53 of "), "{}", screen(&app));
    press(&mut app, KeyCode::Char('G'));
    let text = screen(&app);
    assert!(text.contains("  79"), "the end: {text}");
    let shown = |text: &str| -> (usize, usize) {
        let at = text.find("(lines ").expect("a range in the title") + 7;
        let range = text[at..].split(' ').next().unwrap();
        let (a, b) = range.split_once('-').unwrap();
        let total: usize = text[at..]
            .split(' ')
            .nth(2)
            .unwrap()
            .trim_end_matches(';')
            .parse()
            .unwrap();
        assert!(b.parse::<usize>().unwrap() <= total);
        (a.parse().unwrap(), b.parse().unwrap())
    };
    let (_, last) = shown(&text);
    assert!(
        text.contains(&format!("of {last};")),
        "G shows the last line: {text}"
    );
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(shown(&screen(&app)).1, last - 1, "k moves up at once after G");
    press(&mut app, KeyCode::Char('g'));
    assert!(screen(&app).contains("(lines 1-26 of "));
}

#[test]
fn narrow_terminals_keep_names_whole_and_the_help_scrolls() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut app = app_for(&s);
    let names = ["articles_article_tags", "articles_uuiditem", "shop_extra_widget"];
    for (w, h) in [(80, 24), (60, 15), (40, 15)] {
        resize(&mut app, w, h);
        let text = screen_sized(&app, w, h);
        for t in names {
            assert!(text.contains(t), "{w}x{h}: {t} cut: {text}");
        }
    }
    let text = screen_sized(&app, 80, 24);
    assert!(
        text.contains("invalidations") && !text.contains("narrow:"),
        "{text}"
    );
    let text = screen_sized(&app, 40, 15);
    assert!(text.contains("(narrow: "), "says columns are hidden: {text}");

    // Keys: whole keys at 60 and 40 columns (cache keys are 34 characters).
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "q:*");
    press(&mut app, KeyCode::Enter);
    let first = app.rows()[0].0[0].clone();
    for w in [60, 40] {
        resize(&mut app, w, 15);
        let text = screen_sized(&app, w, 15);
        assert!(text.contains(&first), "{w} columns cut {first}: {text}");
    }

    // Help at 60x15: j scrolls (it used to close it) down to the action keys.
    resize(&mut app, 60, 15);
    press(&mut app, KeyCode::Char('?'));
    let text = screen_sized(&app, 60, 15);
    assert!(text.contains("(lines 1-13 of"), "{text}");
    assert!(!text.contains("reap the dead members"), "{text}");
    press(&mut app, KeyCode::Char('j'));
    assert!(app.help, "j closed the help");
    assert!(screen_sized(&app, 60, 15).contains("(lines 2-14 of"));
    press(&mut app, KeyCode::Char('G'));
    let text = screen_sized(&app, 60, 15);
    assert!(
        text.contains("reap the dead members") && text.contains("quit"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('x'));
    assert!(!app.help);
}

#[test]
fn file_cache_expiry_is_compact_and_never_cut() {
    let s = RedisServer::start();
    let rc = RealCacheops::new();
    rc.run(
        "",
        "classic",
        &["fc-set", "day", "v", "-86400", "soon", "v", "180"],
    );
    let mut app = app_with(
        &s,
        Opts {
            file_cache_dir: rc.file_cache_dir(),
            ..Opts::default()
        },
    );
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    for w in [120, 80, 60] {
        resize(&mut app, w, 24);
        let text = screen_sized(&app, w, 24);
        assert!(
            text.contains("24h ago") && text.contains("in 3m"),
            "{w} columns: {text}"
        );
    }
}

#[test]
fn a_table_filter_searches_every_condition_not_only_those_loaded() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    let n = 2 * cacheops::tui::app::ROWS_KEPT;
    let _: () = redis::cmd("SADD")
        .arg("schemes:articles_article")
        .arg("id")
        .query(&mut con)
        .unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let mut pipe = redis::pipe();
        for i in chunk {
            pipe.cmd("SADD")
                .arg(format!("conj:articles_article:id={i}"))
                .arg(format!("q:{i:032x}"))
                .ignore();
        }
        pipe.query::<()>(&mut con).unwrap();
    }
    let mut app = app_for(&s);
    press(&mut app, KeyCode::Enter);
    assert!(app.conj_rows.len() < n / 10, "only a page is loaded at first");
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "id = 9876");
    assert!(screen(&app).contains("Enter searches every condition"));
    press(&mut app, KeyCode::Enter);
    wait_until(&mut app, "the filtered walk to end", |a| a.conj_done);
    let rows = app.rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0[0], "id = 9876");
    let text = screen(&app);
    assert!(
        text.contains("matching \"id = 9876\": 1 (every condition searched)"),
        "{text}"
    );
    // Esc clears the filter and walks again without it.
    press(&mut app, KeyCode::Esc);
    assert!(app.conj_filter.is_empty());
    assert!(app.rows().len() > 1);
}

/// The footer line.
fn footer(app: &App) -> String {
    screen(app).lines().last().unwrap().trim_end().to_string()
}

#[test]
fn the_footer_offers_what_the_view_does_and_messages_name_the_right_thing() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut app = app_for(&s);
    // The footer: only what acts here.
    assert!(footer(&app).contains("i invalidate"), "{}", footer(&app));
    assert!(!footer(&app).contains("d delete"), "{}", footer(&app));
    press(&mut app, KeyCode::Tab);
    assert!(!footer(&app).contains("i invalidate"), "{}", footer(&app));
    assert!(footer(&app).contains("d delete"), "{}", footer(&app));
    press(&mut app, KeyCode::BackTab);

    // d on Tables says where d acts, not that nothing is selected.
    press(&mut app, KeyCode::Char('d'));
    assert!(
        footer(&app).contains("open the table (Enter) first"),
        "{}",
        footer(&app)
    );

    // The Tables title counts the filtered rows.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "shop_");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(
        text.contains("tables with cached data: 3 of 10 matching \"shop_\""),
        "{text}"
    );
    press(&mut app, KeyCode::Esc);

    // i, o, R in a condition: the table the breadcrumbs name.
    select(&mut app, "articles_category");
    press(&mut app, KeyCode::Enter);
    select(&mut app, "title = News");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('i'));
    let text = screen(&app);
    assert!(text.contains("invalidate table articles_category"), "{text}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('R'));
    assert!(screen(&app).contains("reap the conj sets of articles_category"));
    press(&mut app, KeyCode::Esc);

    // Delete an entry from the condition: Esc back, the views below reload.
    let member = app.rows()[0].0[0].clone();
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(exists(&mut s.con(0), "conj:articles_category:title=News"));
    // The member is listed as gone now; Enter on it says why nothing opens.
    let row = app
        .rows()
        .into_iter()
        .position(|(cols, _)| cols[0] == member)
        .expect("a dead member stays in its set");
    assert_eq!(app.rows()[row].0.last().unwrap(), "gone");
    select(&mut app, &member);
    press(&mut app, KeyCode::Enter);
    assert!(
        footer(&app).contains("no longer exists: a dead member"),
        "{}",
        footer(&app)
    );

    // The Keys view lists what is there now, after an action elsewhere.
    press(&mut app, KeyCode::Tab);
    assert!(app.rows().iter().all(|(cols, _)| cols[0] != member));
    // A key deleted behind the TUI's back opens as gone.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "unrelated:string");
    press(&mut app, KeyCode::Enter);
    let _: () = redis::cmd("DEL")
        .arg("unrelated:string")
        .query(&mut s.con(0))
        .unwrap();
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("no longer exists"), "{text}");
    assert!(!text.contains("type none"), "{text}");
}

#[test]
fn read_only_stats_offer_no_action() {
    let s = RedisServer::start();
    let _rc = real(&s);
    let mut app = app_with(
        &s,
        Opts {
            read_only: true,
            stats: true,
            ..Opts::default()
        },
    );
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    wait_until(&mut app, "the events check", |a| a.stats.events_missing.is_some());
    let text = screen(&app);
    assert!(text.contains("notify-keyspace-events lacks"), "{text}");
    assert!(!text.contains("e enables"), "{text}");
    assert!(!text.contains("i invalidates"), "{text}");
    assert!(!text.contains("invalidate"), "{text}");
}
