//! `invalidate app.Model.pk --database URL`: what goes wrong before a row is
//! read. The rows themselves are checked against real django-cacheops on real
//! SQLite, PostgreSQL and MariaDB servers by tests/compat/test_database.py.

mod common;

use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const SECRET: &str = "s3cretPW";

fn invalidate_with(s: &RedisServer, database_url: &str) -> std::process::Output {
    cacheops_in(
        &[
            "--redis",
            &s.url(1),
            "invalidate",
            "articles.Article.1",
            "--dry-run",
        ],
        &[("DATABASE_URL", database_url)],
    )
}

#[test]
fn database_passwords_are_never_printed() {
    let s = RedisServer::start();
    for url in [
        // Rejected by the URL parsers: masked by position.
        "postgres://u:s3cretPW@h:99999/db",
        "postgres://u:s3cretPW@h:abc/db",
        "postgresql://u:s3cretPW@[::1/db",
        "mysql://u:s3cretPW@h:99999/db",
        "mariadb://u:s3cretPW@h:99999/db",
        "mysql://u:s3cretPW@h:3306/db?foo=bar",
        // A password as a query parameter.
        "postgres://u@h/db?password=s3cretPW&sslmode=require",
        // A sqlite URL with a host is refused without being echoed.
        "sqlite://u:s3cretPW@h/db",
    ] {
        let out = invalidate_with(&s, url);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{url}: {err}");
        assert!(!err.contains(SECRET), "{url}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{url}: {err}");
    }
    let out = invalidate_with(&s, "postgres://u:s3cretPW@h:99999/db");
    assert!(
        stderr(&out).contains("postgres://u:***@h:99999/db"),
        "the URL is still shown, masked: {}",
        stderr(&out)
    );
}

#[test]
fn a_server_that_never_answers_is_given_up_on() {
    // Another service on the database's port: it accepts the connection and
    // says nothing. Both drivers must give up (exit 4) rather than hang.
    let s = RedisServer::start();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            held.push(c);
        }
    });
    let runs: Vec<_> = ["postgres", "mysql"]
        .into_iter()
        .map(|scheme| {
            let url = format!("{scheme}://u:{SECRET}@127.0.0.1:{port}/db");
            let redis = s.url(1);
            std::thread::spawn(move || {
                let out = run_or_kill(&["--redis", &redis, "invalidate", "articles.Article.1"], &url);
                (scheme, out)
            })
        })
        .collect();
    for run in runs {
        let (scheme, out) = run.join().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{scheme}: {err}");
        assert!(!err.contains(SECRET), "{scheme}: {err}");
    }
}

/// Runs the binary, killing it if it is still there after a minute (a hang
/// must fail this test, not stall the whole suite).
fn run_or_kill(args: &[&str], database_url: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cacheops"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("CACHEOPS_CONFIG")
        .env("HOME", "/nonexistent")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("cacheops {args:?} with DATABASE_URL={database_url} still waiting after 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}
