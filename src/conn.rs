//! Connecting to the cacheops Redis: URLs (redis-py's forms included), the
//! redis-py dict form, sentinel, TLS and ACL users. Passwords never appear in
//! anything this module prints: `Target::describe()` is the only name we show.

use std::time::Duration;

use redis::{ConnectionAddr, ConnectionInfo, IntoConnectionInfo, RedisConnectionInfo};

use crate::config::{RedisParams, RedisTarget, SentinelParams};
use crate::error::{Error, Result};

/// How long to wait for a TCP connect when nothing says otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A resolved connection target: where, how, and a printable name. No
/// `Debug`: it holds the password.
#[derive(Clone)]
pub struct Target {
    kind: TargetKind,
    /// PEM file of the CA to trust instead of the system's (redis-py's `ssl_ca_certs`).
    ca_certs: Option<std::path::PathBuf>,
    connect_timeout: Duration,
    io_timeout: Option<Duration>,
}

#[derive(Clone)]
enum TargetKind {
    Direct(ConnectionInfo),
    Sentinel { params: SentinelParams },
}

impl Target {
    pub fn from_setting(t: &RedisTarget) -> Result<Target> {
        match t {
            RedisTarget::Url(u) => {
                let (info, io_timeout, ca_certs) = parse_url(u)?;
                Ok(Target {
                    kind: TargetKind::Direct(info),
                    ca_certs,
                    connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                    io_timeout,
                })
            }
            RedisTarget::Params(p) => Ok(Target {
                kind: TargetKind::Direct(params_info(p)?),
                ca_certs: p.ssl_ca_certs.clone().map(Into::into),
                connect_timeout: secs("socket_connect_timeout", p.socket_connect_timeout)?
                    .or(secs("socket_timeout", p.socket_timeout)?)
                    .unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                io_timeout: secs("socket_timeout", p.socket_timeout)?,
            }),
            RedisTarget::Sentinel(s) => Ok(Target {
                kind: TargetKind::Sentinel { params: s.clone() },
                ca_certs: None,
                connect_timeout: secs("socket_timeout", s.socket_timeout)?.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                io_timeout: secs("socket_timeout", s.socket_timeout)?,
            }),
        }
    }

    /// The db number that cacheops uses on this target.
    pub fn db(&self) -> i64 {
        match &self.kind {
            TargetKind::Direct(info) => info.redis_settings().db(),
            TargetKind::Sentinel { params } => params.db,
        }
    }

    /// A name for messages: scheme, user, host, port and db, never the password.
    pub fn describe(&self) -> String {
        match &self.kind {
            TargetKind::Direct(info) => describe_info(info),
            TargetKind::Sentinel { params } => {
                let locs: Vec<String> = params.locations.iter().map(|(h, p)| format!("{h}:{p}")).collect();
                format!(
                    "sentinel {} via {} db {}",
                    params.service_name,
                    locs.join(","),
                    params.db
                )
            }
        }
    }

    /// How `redis-cli` reaches the same server (`-h HOST -p PORT [--tls]`,
    /// `-s PATH`), for commands printed as advice; credentials are left for the
    /// user to add. `None` behind a sentinel (the master changes).
    pub fn redis_cli_args(&self) -> Option<String> {
        let TargetKind::Direct(info) = &self.kind else {
            return None;
        };
        let user = info
            .redis_settings()
            .username()
            .map(|u| format!(" --user {u}"))
            .unwrap_or_default();
        let needs_pass = info.redis_settings().password().is_some();
        let pass = if needs_pass { " -a PASSWORD" } else { "" };
        let addr = match info.addr() {
            ConnectionAddr::Tcp(h, p) => format!("-h {h} -p {p}"),
            ConnectionAddr::TcpTls { host, port, .. } => format!("-h {host} -p {port} --tls"),
            ConnectionAddr::Unix(path) => format!("-s {}", path.display()),
            _ => return None,
        };
        Some(format!("{addr}{user}{pass}"))
    }

    pub fn connect(&self) -> Result<redis::Connection> {
        install_tls_provider();
        let client = match &self.kind {
            TargetKind::Direct(info) => match &self.ca_certs {
                Some(path) => {
                    let pem = std::fs::read(path).map_err(|e| {
                        Error::Config(format!(
                            "cannot read the CA file ssl_ca_certs={}: {e}",
                            path.display()
                        ))
                    })?;
                    let certs = redis::TlsCertificates {
                        client_tls: None,
                        root_cert: Some(pem),
                    };
                    redis::Client::build_with_tls(info.clone(), certs).map_err(|e| self.connect_error(e))?
                }
                None => redis::Client::open(info.clone()).map_err(|e| self.connect_error(e))?,
            },
            TargetKind::Sentinel { params } => self.sentinel_client(params)?,
        };
        let con = client
            .get_connection_with_timeout(self.connect_timeout)
            .map_err(|e| self.connect_error(e))?;
        con.set_read_timeout(self.io_timeout)
            .map_err(|e| self.connect_error(e))?;
        con.set_write_timeout(self.io_timeout)
            .map_err(|e| self.connect_error(e))?;
        // A server that wants a password accepts the connection and refuses the
        // first command: ask now, so that the error names the credentials.
        let mut con = con;
        redis::cmd("PING")
            .query::<()>(&mut con)
            .map_err(|e| self.connect_error(e))?;
        Ok(con)
    }

    /// How many dbs the server has (`CONFIG GET databases`, over db 0), if it says.
    fn databases(&self) -> Option<i64> {
        let mut t = self.clone();
        match &mut t.kind {
            TargetKind::Direct(info) => {
                *info = info
                    .clone()
                    .set_redis_settings(info.redis_settings().clone().set_db(0));
            }
            TargetKind::Sentinel { params } => params.db = 0,
        }
        let mut con = t.connect().ok()?;
        // A managed Redis may refuse CONFIG: then we do not know.
        let reply: Vec<String> = redis::cmd("CONFIG")
            .arg("GET")
            .arg("databases")
            .query(&mut con)
            .ok()?;
        reply.get(1)?.parse().ok()
    }

    fn sentinel_client(&self, p: &SentinelParams) -> Result<redis::Client> {
        use redis::sentinel::{SentinelClientBuilder, SentinelServerType};
        let addrs = p
            .locations
            .iter()
            .map(|(h, port)| ConnectionAddr::Tcp(h.clone(), *port));
        let mut b = SentinelClientBuilder::new(addrs, &p.service_name, SentinelServerType::Master)
            .map_err(|e| self.connect_error(e))?
            .set_client_to_redis_db(p.db);
        if let Some(u) = &p.username {
            b = b.set_client_to_redis_username(u);
        }
        if let Some(pw) = &p.password {
            b = b.set_client_to_redis_password(pw);
        }
        if let Some(pw) = &p.sentinel_password {
            b = b.set_client_to_sentinel_password(pw);
        }
        let mut sc = b.build().map_err(|e| self.connect_error(e))?;
        sc.get_client().map_err(|e| self.connect_error(e))
    }

    /// Turns a failure to connect into one line that says what to check.
    fn connect_error(&self, e: redis::RedisError) -> Error {
        let target = self.describe();
        let code = e.code().unwrap_or("");
        let detail = e.to_string();
        let auth = e.kind() == redis::ErrorKind::AuthenticationFailed
            || matches!(code, "WRONGPASS" | "NOAUTH" | "NOPERM")
            || detail.contains("WRONGPASS")
            || detail.contains("NOAUTH");
        if auth {
            return Error::Connect(format!(
                "Redis at {target} refused the credentials: check the user and password in --redis, CACHEOPS_REDIS or the config file"
            ));
        }
        if e.is_timeout() {
            // A TLS client and a plain-text server both wait for the other to speak.
            let hint = if target.starts_with("rediss://") {
                " (rediss:// speaks TLS: if this server is plain-text, use redis://)"
            } else {
                ""
            };
            return Error::Connect(format!(
                "Redis at {target} did not answer in time: is the host reachable?{hint}"
            ));
        }
        // SELECT of a db the server does not have: the URL or config is wrong,
        // not the server's state.
        if detail.contains("DB index is out of range") {
            let db = self.db();
            return Error::Config(match self.databases() {
                Some(n) if n > 0 => format!(
                    "db {db} does not exist on Redis at {target} (it has {n} dbs: 0-{}); check the db in --redis, CACHEOPS_REDIS or the config file",
                    n - 1
                ),
                _ => format!(
                    "db {db} is out of range on Redis at {target}; check the db in --redis, CACHEOPS_REDIS or the config file"
                ),
            });
        }
        Error::Connect(format!(
            "cannot connect to Redis at {target}: {}; is redis-server running there? (set --redis or CACHEOPS_REDIS)",
            strip_secrets(&detail)
        ))
    }
}

/// A timeout setting in seconds; infinite, NaN, negative or huge values are
/// configuration errors (they would panic in `Duration`).
fn secs(name: &str, s: Option<f64>) -> Result<Option<Duration>> {
    s.map(|v| crate::units::seconds(v).map_err(|why| Error::Config(format!("{name} {why}"))))
        .transpose()
}

/// Parses `redis://`, `rediss://` and `unix://` URLs as redis-py does: the db
/// comes from the path or `?db=N`; unix sockets take `?db=`, `?password=`.
type ParsedUrl = (ConnectionInfo, Option<Duration>, Option<std::path::PathBuf>);

fn parse_url(raw: &str) -> Result<ParsedUrl> {
    let bad = |why: &str| Error::Config(format!("invalid Redis URL {}: {why}", redact_url(raw)));
    let url = url::Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
    let query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let q = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let decode = |s: &str| percent_decode(s);

    let addr = match url.scheme() {
        "redis" | "rediss" => {
            let host = match url.host() {
                Some(url::Host::Domain(d)) => d.to_string(),
                Some(url::Host::Ipv4(a)) => a.to_string(),
                Some(url::Host::Ipv6(a)) => a.to_string(),
                None => "127.0.0.1".to_string(),
            };
            let port = url.port().unwrap_or(6379);
            if url.scheme() == "rediss" {
                let insecure = q("ssl_cert_reqs").is_some_and(|v| v.eq_ignore_ascii_case("none"));
                ConnectionAddr::TcpTls {
                    host,
                    port,
                    insecure,
                    tls_params: None,
                }
            } else {
                ConnectionAddr::Tcp(host, port)
            }
        }
        "unix" | "redis+unix" => ConnectionAddr::Unix(url.path().into()),
        other => {
            return Err(bad(&format!(
                "unsupported scheme {other:?} (use redis://, rediss:// or unix://)"
            )))
        }
    };

    let db = match q("db") {
        Some(db) => Some(db),
        None if url.scheme().starts_with("redis") && !url.scheme().contains("unix") => {
            let p = url.path().trim_matches('/');
            (!p.is_empty()).then(|| p.to_string())
        }
        None => None,
    };
    let db: i64 = match db {
        Some(d) => d
            .parse()
            .map_err(|_| bad(&format!("database {d:?} is not a number")))?,
        None => 0,
    };
    let mut redis = RedisConnectionInfo::default().set_db(db);
    let user = if url.username().is_empty() {
        q("username").or(q("user"))
    } else {
        Some(decode(url.username()))
    };
    if let Some(u) = user {
        redis = redis.set_username(u);
    }
    let password = url.password().map(decode).or(q("password")).or(q("pass"));
    if let Some(p) = password {
        redis = redis.set_password(p);
    }
    let io_timeout = match q("socket_timeout") {
        Some(t) => {
            let v = t.parse().map_err(|_| bad("socket_timeout is not a number"))?;
            Some(crate::units::seconds(v).map_err(|why| bad(&format!("socket_timeout {why}")))?)
        }
        None => None,
    };
    let info = addr
        .into_connection_info()
        .map_err(|e| bad(&e.to_string()))?
        .set_redis_settings(redis);
    Ok((info, io_timeout, q("ssl_ca_certs").map(Into::into)))
}

fn params_info(p: &RedisParams) -> Result<ConnectionInfo> {
    let addr = if let Some(path) = &p.unix_socket_path {
        ConnectionAddr::Unix(path.into())
    } else {
        let host = p.host.clone().unwrap_or_else(|| "127.0.0.1".to_string());
        let port = p.port.unwrap_or(6379);
        if p.ssl.unwrap_or(false) {
            ConnectionAddr::TcpTls {
                host,
                port,
                insecure: false,
                tls_params: None,
            }
        } else {
            ConnectionAddr::Tcp(host, port)
        }
    };
    let mut redis = RedisConnectionInfo::default().set_db(p.db.unwrap_or(0));
    if let Some(u) = &p.username {
        redis = redis.set_username(u);
    }
    if let Some(pw) = &p.password {
        redis = redis.set_password(pw);
    }
    Ok(addr
        .into_connection_info()
        .map_err(|e| Error::Config(format!("invalid redis settings: {e}")))?
        .set_redis_settings(redis))
}

fn describe_info(info: &ConnectionInfo) -> String {
    let r = info.redis_settings();
    let user = r.username().map(|u| format!("{u}@")).unwrap_or_default();
    match info.addr() {
        ConnectionAddr::Tcp(h, p) => format!("redis://{user}{}:{p}/{}", bracket_v6(h), r.db()),
        ConnectionAddr::TcpTls { host, port, .. } => {
            format!("rediss://{user}{}:{port}/{}", bracket_v6(host), r.db())
        }
        ConnectionAddr::Unix(path) => format!("unix://{user}{}?db={}", path.display(), r.db()),
        other => format!("{other:?}"),
    }
}

fn bracket_v6(h: &str) -> String {
    if h.contains(':') {
        format!("[{h}]")
    } else {
        h.to_string()
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The URL with any password replaced by `***`; unparseable input is not echoed.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let secret = matches!(k.as_ref(), "password" | "pass");
                    (
                        k.into_owned(),
                        if secret { "***".to_string() } else { v.into_owned() },
                    )
                })
                .collect();
            if !pairs.is_empty() {
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => redact_unparsed(raw),
    }
}

/// A URL the url crate cannot parse (a bad port, a stray bracket) is still
/// worth showing, so the password is masked by its place in the text:
/// `scheme://user:***@rest`, and `password=***` in the query.
fn redact_unparsed(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else {
        return "(unparseable URL, not shown)".to_string();
    };
    // The last '@' ends the user info: a password may hold '@' itself.
    let rest = match rest.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => rest.to_string(),
    };
    let masked: Vec<String> = rest
        .split('&')
        .map(|part| {
            for key in ["password=", "pass="] {
                if let Some(i) = part.find(key) {
                    let at = i + key.len();
                    let before = &part[..i];
                    if i == 0 || before.ends_with('?') {
                        return format!("{}***", &part[..at]);
                    }
                }
            }
            part.to_string()
        })
        .collect();
    format!("{scheme}://{}", masked.join("&"))
}

/// redis-rs errors do not carry passwords, but a URL echoed by a lower layer might.
fn strip_secrets(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            if w.contains("://") {
                redact_url(w.trim_matches(|c| c == '"' || c == '\''))
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn install_tls_provider() {
    // rustls needs a process-wide crypto provider; a second install is a no-op error.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_target(u: &str) -> Target {
        Target::from_setting(&RedisTarget::Url(u.into())).unwrap()
    }

    #[test]
    fn url_forms() {
        assert_eq!(
            url_target("redis://127.0.0.1:6379/1").describe(),
            "redis://127.0.0.1:6379/1"
        );
        assert_eq!(url_target("redis://h").describe(), "redis://h:6379/0");
        assert_eq!(url_target("redis://h:7000?db=5").describe(), "redis://h:7000/5");
        assert_eq!(
            url_target("rediss://alice:pw@h:6380/2").describe(),
            "rediss://alice@h:6380/2"
        );
        assert_eq!(
            url_target("unix:///run/redis.sock?db=3&password=pw").describe(),
            "unix:///run/redis.sock?db=3"
        );
        assert_eq!(
            url_target("redis://[::1]:6379/0").describe(),
            "redis://[::1]:6379/0"
        );
        assert_eq!(url_target("redis://h/4").db(), 4);
    }

    #[test]
    fn redis_cli_reaches_the_same_server_without_the_password() {
        let args = |u: &str| url_target(u).redis_cli_args().unwrap();
        assert_eq!(args("redis://h:7000/3"), "-h h -p 7000");
        assert_eq!(
            args("rediss://alice:pw@h:6380/2"),
            "-h h -p 6380 --tls --user alice -a PASSWORD"
        );
        assert_eq!(args("unix:///run/redis.sock?db=1"), "-s /run/redis.sock");
    }

    #[test]
    fn passwords_never_shown() {
        let t = url_target("redis://:hunter2@h:1/0");
        assert!(!t.describe().contains("hunter2"));
        assert_eq!(redact_url("redis://u:hunter2@h/0"), "redis://u:***@h/0");
        assert!(!redact_url("unix:///s?password=hunter2").contains("hunter2"));
        for bad in [
            "redis://:hunter2@h/notadb",
            "ftp://:hunter2@h",
            "redis://:hunter2@h:99999/0",
        ] {
            let e = Target::from_setting(&RedisTarget::Url(bad.into()))
                .err()
                .expect(bad);
            assert!(matches!(e, Error::Config(_)), "{bad}");
            assert!(!e.to_string().contains("hunter2"), "{e}");
        }
        // URLs the url crate rejects are masked by position, not hidden.
        for (raw, shown) in [
            ("postgres://u:hun@ter2@h:99999/db", "postgres://u:***@h:99999/db"),
            ("postgresql://u:hunter2@[::1/db", "postgresql://u:***@[::1/db"),
            (
                "mysql://u@h:99999/db?password=hunter2&x=1",
                "mysql://u@h:99999/db?password=***&x=1",
            ),
            (
                "mysql://h:99999/db?a=1&pass=hunter2",
                "mysql://h:99999/db?a=1&pass=***",
            ),
            ("not a url hunter2", "(unparseable URL, not shown)"),
        ] {
            assert_eq!(redact_url(raw), shown);
        }
    }

    #[test]
    fn dict_form() {
        let p = RedisParams {
            host: Some("cache".into()),
            port: Some(6380),
            db: Some(2),
            password: Some("pw".into()),
            ..Default::default()
        };
        let t = Target::from_setting(&RedisTarget::Params(p)).unwrap();
        assert_eq!(t.describe(), "redis://cache:6380/2");
        let d = Target::from_setting(&RedisTarget::Params(RedisParams::default())).unwrap();
        assert_eq!(d.describe(), "redis://127.0.0.1:6379/0");
    }
}
