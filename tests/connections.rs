//! Every way of reaching Redis that cacheops users configure: ACL users, unix
//! sockets, TLS, sentinel, redis-py's dict form. Real servers only.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{cacheops, free_port, stderr, RedisServer};

fn seed(con: &mut redis::Connection) {
    redis::cmd("SET").arg("q:1").arg("v").query::<()>(con).unwrap();
    redis::cmd("SADD")
        .arg("conj:articles_article:id=1")
        .arg("q:1")
        .query::<()>(con)
        .unwrap();
    redis::cmd("SADD")
        .arg("schemes:articles_article")
        .arg("id")
        .query::<()>(con)
        .unwrap();
}

fn gone(con: &mut redis::Connection) -> bool {
    redis::cmd("EXISTS")
        .arg("q:1")
        .arg("conj:articles_article:id=1")
        .query::<i64>(con)
        .unwrap()
        == 0
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("cacheops-conn-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn acl_user_and_password() {
    let s = RedisServer::start();
    let mut con = s.con(0);
    redis::cmd("ACL")
        .arg(&["SETUSER", "ops", "on", ">ops-pw", "~*", "+@all"][..])
        .query::<()>(&mut con)
        .unwrap();
    seed(&mut con);
    let bad = format!("redis://ops:nope@127.0.0.1:{}/0", s.port);
    let o = cacheops(&["--redis", &bad, "invalidate", "articles.Article"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(!stderr(&o).contains("nope"));
    let good = format!("redis://ops:ops-pw@127.0.0.1:{}/0", s.port);
    let o = cacheops(&["--redis", &good, "invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(gone(&mut con));
}

/// A db the server does not have is a configuration error (exit 3) that says
/// which dbs there are, or only that it is out of range when CONFIG is refused.
#[test]
fn a_db_out_of_range_is_a_config_error() {
    let s = RedisServer::start_with(&["--databases", "4"]);
    let mut con = s.con(0);
    redis::cmd("ACL")
        .arg(&["SETUSER", "ops", "on", ">ops-pw", "~*", "+@all"][..])
        .query::<()>(&mut con)
        .unwrap();
    redis::cmd("ACL")
        .arg(&["SETUSER", "app", "on", ">app-pw", "~*", "+@all", "-config"][..])
        .query::<()>(&mut con)
        .unwrap();
    let url = format!("redis://ops:ops-pw@127.0.0.1:{}/9", s.port);
    let o = cacheops(&["--redis", &url, "keys"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("db 9 does not exist") && err.contains("4 dbs: 0-3"),
        "{err}"
    );
    assert!(
        !err.contains("ops-pw") && err.trim_end().lines().count() == 1,
        "{err}"
    );
    let url = format!("redis://app:app-pw@127.0.0.1:{}/9", s.port);
    let o = cacheops(&["--redis", &url, "inspect"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("db 9 is out of range"), "{err}");
}

#[test]
fn unix_socket_with_db() {
    let dir = tempdir("unix");
    let sock = dir.join("redis.sock");
    let s = RedisServer::start_with(&["--unixsocket", sock.to_str().unwrap(), "--unixsocketperm", "700"]);
    let mut con = s.con(2);
    seed(&mut con);
    let url = format!("unix://{}?db=2", sock.display());
    let o = cacheops(&["--redis", &url, "invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(gone(&mut con));
}

#[test]
fn dict_form_from_the_config_file() {
    let s = RedisServer::start();
    let mut con = s.con(5);
    seed(&mut con);
    let dir = tempdir("dict");
    let cfg = dir.join("cacheops.yaml");
    std::fs::write(
        &cfg,
        format!(
            "redis: {{host: 127.0.0.1, port: {}, db: 5, socket_timeout: 2}}\n",
            s.port
        ),
    )
    .unwrap();
    let o = cacheops(&[
        "--config",
        cfg.to_str().unwrap(),
        "invalidate",
        "articles.Article",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(gone(&mut con));
}

/// Timeouts `Duration` cannot hold (they panicked in `from_secs_f64`) are
/// configuration errors, in a URL and in the config's dict and sentinel forms.
#[test]
fn timeouts_no_duration_holds_are_config_errors() {
    let s = RedisServer::start();
    for t in ["inf", "nan", "1e300", "-1", "0"] {
        let url = format!("{}?socket_timeout={t}", s.url(0));
        let o = cacheops(&["--redis", &url, "keys"]);
        assert_eq!(o.status.code(), Some(3), "{t}: {}", stderr(&o));
        assert!(stderr(&o).contains("socket_timeout must be"), "{}", stderr(&o));
    }
    let dir = tempdir("timeouts");
    let cfg = dir.join("cacheops.yaml");
    for yaml in [
        format!(
            "redis: {{host: 127.0.0.1, port: {}, socket_timeout: .inf}}\n",
            s.port
        ),
        format!(
            "redis: {{host: 127.0.0.1, port: {}, socket_connect_timeout: 1e300}}\n",
            s.port
        ),
        "sentinel: {locations: [[127.0.0.1, 1]], service_name: m, socket_timeout: -.inf}\n".to_string(),
    ] {
        std::fs::write(&cfg, &yaml).unwrap();
        let o = cacheops(&["--config", cfg.to_str().unwrap(), "keys"]);
        assert_eq!(o.status.code(), Some(3), "{yaml}: {}", stderr(&o));
        assert!(stderr(&o).contains("timeout must be"), "{}", stderr(&o));
    }
}

fn make_certs(dir: &Path) {
    let run = |args: &[&str]| {
        let st = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=cacheops test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
}

#[test]
fn tls_verified_with_a_ca_and_insecure_on_request() {
    let dir = tempdir("tls");
    make_certs(&dir);
    let tls_port = free_port();
    let p = |f: &str| dir.join(f).to_str().unwrap().to_string();
    let s = RedisServer::start_with(&[
        "--tls-port",
        &tls_port.to_string(),
        "--tls-cert-file",
        &p("server.pem"),
        "--tls-key-file",
        &p("server.key"),
        "--tls-ca-cert-file",
        &p("ca.pem"),
        "--tls-auth-clients",
        "no",
    ]);
    let mut con = s.con(0);

    // The system store does not know our CA: refused, exit 4.
    let o = cacheops(&[
        "--redis",
        &format!("rediss://127.0.0.1:{tls_port}/0"),
        "invalidate",
        "articles.Article",
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));

    seed(&mut con);
    let url = format!("rediss://127.0.0.1:{tls_port}/0?ssl_ca_certs={}", p("ca.pem"));
    let o = cacheops(&["--redis", &url, "invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(gone(&mut con));

    seed(&mut con);
    let url = format!("rediss://127.0.0.1:{tls_port}/0?ssl_cert_reqs=none");
    let o = cacheops(&["--redis", &url, "invalidate", "articles.Article"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(gone(&mut con));
}

#[test]
fn sentinel_finds_the_master() {
    let master = RedisServer::start();
    let mut con = master.con(1);
    seed(&mut con);
    let dir = tempdir("sentinel");
    let sport = free_port();
    let conf = dir.join("sentinel.conf");
    std::fs::write(
        &conf,
        format!(
            "port {sport}\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 {} 1\n",
            master.port
        ),
    )
    .unwrap();
    let mut sentinel = Command::new(std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into()))
        .arg(&conf)
        .arg("--sentinel")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let cfg = dir.join("cacheops.yaml");
    std::fs::write(
        &cfg,
        format!("sentinel: {{locations: [[127.0.0.1, {sport}]], service_name: mymaster, db: 1, socket_timeout: 2}}\n"),
    )
    .unwrap();
    // The sentinel needs a moment to learn its master.
    let mut last = None;
    for _ in 0..50 {
        let o = cacheops(&[
            "--config",
            cfg.to_str().unwrap(),
            "invalidate",
            "articles.Article",
        ]);
        if o.status.success() {
            last = None;
            break;
        }
        last = Some(stderr(&o));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = sentinel.kill();
    let _ = sentinel.wait();
    assert_eq!(last, None);
    assert!(gone(&mut con));
}

#[test]
fn tls_against_a_plain_text_server_says_which_is_which() {
    // Client and server each wait for the other to speak: a timeout, with a hint.
    let s = RedisServer::start();
    let url = format!("rediss://127.0.0.1:{}/0", s.port);
    let o = cacheops(&["--redis", &url, "keys", "--limit", "1"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("use redis://"), "{}", stderr(&o));
}
