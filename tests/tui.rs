//! The TUI's screens, rendered with ratatui's TestBackend against a real
//! redis-server, and driven by key events.

mod common;

use std::time::Duration;

use cacheops::config::RedisTarget;
use cacheops::conn::Target;
use cacheops::keys::Namespace;
use cacheops::tui::{draw, worker, App};
use common::{cache, RedisServer};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn app_for(s: &RedisServer) -> App {
    let target = Target::from_setting(&RedisTarget::Url(s.url(0))).unwrap();
    let mut app = App::new(worker::spawn(target, Namespace::new("")));
    app.settle(Duration::from_secs(5));
    app
}

fn screen(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(120, 30)).unwrap();
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
    assert!(text.contains("Tables › articles_article"), "breadcrumbs: {text}");
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
    assert!(!text.contains("is_published"), "filtered out: {text}");
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
    assert!(text.contains("is_published"), "the filter is gone: {text}");
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
    press(&mut app, KeyCode::Char('x')); // any key closes help
    assert!(!screen(&app).contains("any key closes"));
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
fn a_redis_that_goes_away_shows_a_banner_and_comes_back() {
    let mut s = RedisServer::start();
    fill(&mut s.con(0));
    let mut app = app_for(&s);
    s.kill();
    press(&mut app, KeyCode::Char('r'));
    let text = screen(&app);
    assert!(text.contains("Redis unreachable"), "{text}");
    s.restart();
    fill(&mut s.con(0));
    press(&mut app, KeyCode::Char('r'));
    let text = screen(&app);
    assert!(!text.contains("Redis unreachable"), "{text}");
    assert!(text.contains("tables with cached data: 3"), "{text}");
}
