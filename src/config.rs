//! Settings: a YAML file, the environment and command-line flags, flags winning.
//!
//! Names and meanings mirror the Django settings a cacheops user already has
//! (`CACHEOPS_REDIS`, `CACHEOPS_SENTINEL`, `CACHEOPS_PREFIX`, `CACHEOPS_INSIDEOUT`,
//! `FILE_CACHE_DIR`), so a config can be written by reading settings.py.
//! Every key is documented in docs/configuration.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::layout::Layout;

/// cacheops' own default for `FILE_CACHE_DIR`.
pub const DEFAULT_FILE_CACHE_DIR: &str = "/tmp/cacheops_file_cache";

/// Where Redis is: a URL, redis-py's keyword dict, or a sentinel group.
#[derive(Debug, Clone, PartialEq)]
pub enum RedisTarget {
    Url(String),
    Params(RedisParams),
    Sentinel(SentinelParams),
}

/// redis-py's `Redis(**kwargs)` form of `CACHEOPS_REDIS`. Unknown redis-py kwargs
/// (pool sizes, health checks, ...) are accepted and ignored: they do not change
/// which data we talk to.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RedisParams {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub db: Option<i64>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Seconds, as in redis-py.
    pub socket_timeout: Option<f64>,
    pub socket_connect_timeout: Option<f64>,
    pub unix_socket_path: Option<String>,
    /// TLS, as redis-py's `ssl=True`.
    pub ssl: Option<bool>,
    /// PEM file of the CA that signed the server's certificate.
    pub ssl_ca_certs: Option<String>,
}

/// `CACHEOPS_SENTINEL`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SentinelParams {
    pub locations: Vec<(String, u16)>,
    pub service_name: String,
    #[serde(default)]
    pub db: i64,
    pub socket_timeout: Option<f64>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Password of the sentinels themselves, when they require one.
    pub sentinel_password: Option<String>,
}

/// One model the registry knows: where its rows' conditions live.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelEntry {
    pub app: String,
    pub model: String,
    pub db_table: String,
    /// The primary key's attname (`id` unless the model says otherwise).
    pub pk: String,
    /// The fields cacheops serializes for the model, when the registry lists
    /// them (scripts/django-registry.py writes them); else read from the
    /// database's schema.
    pub fields: Option<Vec<FieldSpec>>,
}

/// One field of a model as cacheops' `get_obj_dict` sees it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub attname: String,
    /// The database column (`db_column`, else the attname).
    pub column: String,
    /// Django's internal type; for a relation, its target field's
    /// (`ForeignKey` to an `AutoField` is `AutoField`).
    #[serde(rename = "type")]
    pub kind: String,
    /// DecimalField's decimal_places.
    #[serde(default)]
    pub decimal_places: Option<u32>,
}

/// The `models:` registry. Models not listed follow Django's conventions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registry {
    entries: Vec<ModelEntry>,
}

impl Registry {
    pub fn new(entries: Vec<ModelEntry>) -> Registry {
        Registry { entries }
    }

    pub fn entries(&self) -> &[ModelEntry] {
        &self.entries
    }

    /// Model names match case-insensitively, as in `manage.py invalidate`.
    pub fn find(&self, app: &str, model: &str) -> Option<&ModelEntry> {
        self.entries
            .iter()
            .find(|e| e.app == app && e.model.eq_ignore_ascii_case(model))
    }

    pub fn knows_app(&self, app: &str) -> bool {
        self.entries.iter().any(|e| e.app == app)
    }

    pub fn models_of(&self, app: &str) -> impl Iterator<Item = &ModelEntry> {
        let app = app.to_string();
        self.entries.iter().filter(move |e| e.app == app)
    }

    pub fn owner_of_table(&self, table: &str) -> Option<&ModelEntry> {
        self.entries.iter().find(|e| e.db_table == table)
    }

    pub fn apps(&self) -> Vec<&str> {
        let mut apps: Vec<&str> = self.entries.iter().map(|e| e.app.as_str()).collect();
        apps.sort();
        apps.dedup();
        apps
    }
}

/// Everything the tool needs to know about one cacheops deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub redis: RedisTarget,
    /// `CACHEOPS_PREFIX` as one fixed string.
    pub prefix: String,
    /// `None`: detect from the data.
    pub layout: Option<Layout>,
    pub file_cache_dir: PathBuf,
    /// Who set `file_cache_dir` (`CACHEOPS_FILE_CACHE_DIR`, a config file);
    /// `None`: cacheops' default, which need not exist (nothing cached yet).
    pub file_cache_dir_origin: Option<String>,
    pub models: Registry,
    /// The TUI offers no action that writes (`read_only: true`, for production).
    pub read_only: bool,
    /// The application's database, for exact `invalidate app.Model.pk`
    /// (`database:`, `DATABASE_URL`, `--database`).
    pub database: Option<String>,
    /// Django's USE_TZ: datetimes serialize with `+00:00` (the default since Django 5).
    pub use_tz: bool,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
}

/// What the command line says; each field, when set, wins over env and file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub redis: Option<String>,
    pub prefix: Option<String>,
    pub layout: Option<Layout>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    redis: Option<RedisSetting>,
    sentinel: Option<SentinelParams>,
    prefix: Option<String>,
    insideout: Option<bool>,
    file_cache_dir: Option<PathBuf>,
    #[serde(default)]
    read_only: bool,
    database: Option<String>,
    use_tz: Option<bool>,
    #[serde(default)]
    models: BTreeMap<String, ModelSpec>,
}

#[derive(Debug)]
enum RedisSetting {
    Url(String),
    Params(RedisParams),
}

/// A URL or redis-py's keywords. By hand rather than `untagged`, whose only
/// error is "did not match any variant": a mistyped `port:` is named.
impl<'de> Deserialize<'de> for RedisSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(u) => Ok(RedisSetting::Url(u)),
            v @ serde_yaml::Value::Mapping(_) => serde_yaml::from_value(v)
                .map(RedisSetting::Params)
                .map_err(|e| D::Error::custom(format!("redis: {e}"))),
            _ => Err(D::Error::custom(
                "redis: a URL (redis://host:6379/1) or redis-py's keywords (host:, port:, db:, ...)",
            )),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSpec {
    db_table: Option<String>,
    pk: Option<String>,
    fields: Option<Vec<FieldSpec>>,
}

impl Settings {
    /// Loads settings from the process environment and the given overrides.
    pub fn load(over: &Overrides) -> Result<Settings> {
        Settings::load_with_env(over, &|k| std::env::var(k).ok())
    }

    /// Same as `load`, with the environment passed in (tests use this).
    pub fn load_with_env(over: &Overrides, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
        let (file, config_file) = read_config_file(over.config.as_deref(), env)?;
        let env_nonempty = |k: &str| env(k).filter(|v| !v.is_empty());

        if file.redis.is_some() && file.sentinel.is_some() {
            return Err(Error::Config(format!(
                "{}: `redis` and `sentinel` are mutually exclusive (as CACHEOPS_REDIS and CACHEOPS_SENTINEL are)",
                config_file.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
            )));
        }
        let redis = if let Some(url) = &over.redis {
            RedisTarget::Url(url.clone())
        } else if let Some(url) = env_nonempty("CACHEOPS_REDIS") {
            RedisTarget::Url(url)
        } else {
            match (file.redis, file.sentinel) {
                (Some(RedisSetting::Url(u)), _) => RedisTarget::Url(u),
                (Some(RedisSetting::Params(p)), _) => RedisTarget::Params(p),
                (None, Some(s)) => {
                    if s.locations.is_empty() || s.service_name.is_empty() {
                        return Err(Error::Config(
                            "sentinel needs `locations` and `service_name` (as CACHEOPS_SENTINEL does)"
                                .into(),
                        ));
                    }
                    RedisTarget::Sentinel(s)
                }
                (None, None) => RedisTarget::Params(RedisParams::default()),
            }
        };

        let prefix = over
            .prefix
            .clone()
            .or_else(|| env("CACHEOPS_PREFIX"))
            .or(file.prefix)
            .unwrap_or_default();

        let layout = match (over.layout, env_nonempty("CACHEOPS_INSIDEOUT")) {
            (Some(l), _) => Some(l),
            (None, Some(v)) => Some(
                if parse_bool(&v).ok_or_else(|| {
                    Error::Config(format!("CACHEOPS_INSIDEOUT must be true or false, not {v:?}"))
                })? {
                    Layout::InsideOut
                } else {
                    Layout::Classic
                },
            ),
            (None, None) => file
                .insideout
                .map(|io| if io { Layout::InsideOut } else { Layout::Classic }),
        };

        let (file_cache_dir, file_cache_dir_origin) =
            match (env_nonempty("CACHEOPS_FILE_CACHE_DIR"), file.file_cache_dir) {
                (Some(d), _) => (PathBuf::from(d), Some("CACHEOPS_FILE_CACHE_DIR".to_string())),
                (None, Some(d)) => (
                    d,
                    Some(format!(
                        "file_cache_dir in {}",
                        config_file
                            .as_deref()
                            .unwrap_or(Path::new("the config"))
                            .display()
                    )),
                ),
                (None, None) => (PathBuf::from(DEFAULT_FILE_CACHE_DIR), None),
            };

        let mut entries = Vec::new();
        for (label, spec) in file.models {
            let (app, model) = match label.split('.').collect::<Vec<_>>()[..] {
                [app, model] if !app.is_empty() && !model.is_empty() => (app.to_string(), model.to_string()),
                _ => {
                    return Err(Error::Config(format!(
                        "models: {label:?} is not of the form app_label.ModelName"
                    )))
                }
            };
            entries.push(ModelEntry {
                db_table: spec.db_table.unwrap_or_else(|| default_db_table(&app, &model)),
                pk: spec.pk.unwrap_or_else(|| "id".to_string()),
                fields: spec.fields,
                app,
                model,
            });
        }

        Ok(Settings {
            redis,
            prefix,
            layout,
            file_cache_dir,
            file_cache_dir_origin,
            models: Registry::new(entries),
            read_only: file.read_only,
            database: env_nonempty("DATABASE_URL").or(file.database),
            use_tz: file.use_tz.unwrap_or(true),
            config_file,
        })
    }
}

/// Django's default `db_table`: `<app_label>_<model name lowercased>`.
pub fn default_db_table(app: &str, model: &str) -> String {
    format!("{app}_{}", model.to_lowercase())
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Finds and parses the config file: `--config`, `$CACHEOPS_CONFIG`, `./cacheops.yaml`,
/// then `$XDG_CONFIG_HOME/cacheops/config.yaml`. A named file must exist; the
/// searched-for ones are optional.
fn read_config_file(
    named: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(FileConfig, Option<PathBuf>)> {
    let named = named.map(Path::to_path_buf).or_else(|| {
        env("CACHEOPS_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let path = match named {
        Some(p) => {
            if p.is_dir() {
                return Err(Error::Config(format!(
                    "config file {} is a directory, not a file (named by --config or CACHEOPS_CONFIG)",
                    p.display()
                )));
            }
            if !p.exists() {
                return Err(Error::Config(format!(
                    "config file {} does not exist (named by --config or CACHEOPS_CONFIG)",
                    p.display()
                )));
            }
            p
        }
        None => {
            let xdg = env("XDG_CONFIG_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".config")));
            let candidates = [
                Some(PathBuf::from("cacheops.yaml")),
                xdg.map(|d| d.join("cacheops/config.yaml")),
            ];
            match candidates.into_iter().flatten().find(|p| p.is_file()) {
                Some(p) => p,
                None => return Ok((FileConfig::default(), None)),
            }
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::Config(format!("cannot read config file {}: {e}", path.display())))?;
    let file: FileConfig = if text.trim().is_empty() {
        FileConfig::default()
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            // serde_yaml's messages carry the location; keep them on one line.
            Error::Config(format!(
                "config file {}: {}",
                path.display(),
                one_line(&e.to_string())
            ))
        })?
    };
    Ok((file, Some(path)))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(over: Overrides, vars: &[(&str, &str)]) -> Result<Settings> {
        let env: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::load_with_env(&over, &|k| env.get(k).cloned())
    }

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("c.yaml");
        std::fs::write(&p, text).unwrap();
        p
    }

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cacheops-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn defaults_match_cacheops() {
        let s = load(Overrides::default(), &[("HOME", "/nonexistent")]).unwrap();
        assert_eq!(s.redis, RedisTarget::Params(RedisParams::default()));
        assert_eq!(s.prefix, "");
        assert_eq!(s.layout, None);
        assert_eq!(s.file_cache_dir, PathBuf::from("/tmp/cacheops_file_cache"));
        assert_eq!(s.file_cache_dir_origin, None);
    }

    #[test]
    fn file_cache_dir_says_who_set_it() {
        let d = tmpdir("fcdir");
        let p = write(&d, "file_cache_dir: /srv/fc\n");
        let over = Overrides {
            config: Some(p.clone()),
            ..Default::default()
        };
        let s = load(over.clone(), &[]).unwrap();
        assert_eq!(s.file_cache_dir, PathBuf::from("/srv/fc"));
        assert_eq!(
            s.file_cache_dir_origin,
            Some(format!("file_cache_dir in {}", p.display()))
        );
        let s = load(over, &[("CACHEOPS_FILE_CACHE_DIR", "/srv/env")]).unwrap();
        assert_eq!(s.file_cache_dir, PathBuf::from("/srv/env"));
        assert_eq!(
            s.file_cache_dir_origin.as_deref(),
            Some("CACHEOPS_FILE_CACHE_DIR")
        );
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let d = tmpdir("prec");
        let p = write(
            &d,
            "redis: redis://file:1/3\nprefix: \"file:\"\ninsideout: true\n",
        );
        let over = Overrides {
            config: Some(p.clone()),
            ..Default::default()
        };
        let s = load(over.clone(), &[]).unwrap();
        assert_eq!(s.redis, RedisTarget::Url("redis://file:1/3".into()));
        assert_eq!(s.prefix, "file:");
        assert_eq!(s.layout, Some(Layout::InsideOut));

        let s = load(
            over.clone(),
            &[
                ("CACHEOPS_REDIS", "redis://env/1"),
                ("CACHEOPS_PREFIX", "env:"),
                ("CACHEOPS_INSIDEOUT", "0"),
            ],
        )
        .unwrap();
        assert_eq!(s.redis, RedisTarget::Url("redis://env/1".into()));
        assert_eq!(s.prefix, "env:");
        assert_eq!(s.layout, Some(Layout::Classic));

        let flags = Overrides {
            redis: Some("redis://flag/2".into()),
            prefix: Some("".into()),
            layout: Some(Layout::InsideOut),
            ..over
        };
        let s = load(
            flags,
            &[("CACHEOPS_REDIS", "redis://env/1"), ("CACHEOPS_PREFIX", "env:")],
        )
        .unwrap();
        assert_eq!(s.redis, RedisTarget::Url("redis://flag/2".into()));
        assert_eq!(
            s.prefix, "",
            "an explicit empty --prefix wins over the environment"
        );
        assert_eq!(s.layout, Some(Layout::InsideOut));
    }

    #[test]
    fn dict_form_and_registry() {
        let d = tmpdir("dict");
        let p = write(
            &d,
            "redis: {host: 10.0.0.5, port: 6380, db: 4, password: s3cret, socket_timeout: 0.5, max_connections: 10}\n\
             models:\n  articles.LegacyThing: {db_table: legacy_things}\n  shop.Product: {pk: sku}\n",
        );
        let s = load(
            Overrides {
                config: Some(p),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        match &s.redis {
            RedisTarget::Params(rp) => {
                assert_eq!(rp.host.as_deref(), Some("10.0.0.5"));
                assert_eq!(rp.port, Some(6380));
                assert_eq!(rp.db, Some(4));
                assert_eq!(rp.socket_timeout, Some(0.5));
            }
            other => panic!("unexpected {other:?}"),
        }
        let e = s.models.find("articles", "legacything").unwrap();
        assert_eq!(e.db_table, "legacy_things");
        assert_eq!(e.pk, "id");
        let e = s.models.find("shop", "PRODUCT").unwrap();
        assert_eq!(e.db_table, "shop_product");
        assert_eq!(e.pk, "sku");
        assert!(s.models.find("articles", "Article").is_none());
    }

    #[test]
    fn sentinel_form() {
        let d = tmpdir("sent");
        let p = write(
            &d,
            "sentinel: {locations: [[10.0.0.1, 26379], [10.0.0.2, 26379]], service_name: mymaster, db: 2}\n",
        );
        let s = load(
            Overrides {
                config: Some(p),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        match s.redis {
            RedisTarget::Sentinel(sp) => {
                assert_eq!(sp.locations.len(), 2);
                assert_eq!(sp.service_name, "mymaster");
                assert_eq!(sp.db, 2);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Settings from a config file holding `text`, no environment.
    fn load_text(d: &Path, text: &str) -> Result<Settings> {
        let over = Overrides {
            config: Some(write(d, text)),
            ..Default::default()
        };
        load(over, &[])
    }

    #[test]
    fn config_errors_are_one_line() {
        let err = load(
            Overrides {
                config: Some("/nonexistent/x.yaml".into()),
                ..Default::default()
            },
            &[],
        )
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        assert!(err.to_string().contains("/nonexistent/x.yaml"));

        let d = tmpdir("bad");
        for text in [
            "redis: [1, 2\n",
            "unknown_key: 1\n",
            "models:\n  nodot: {}\n",
            "redis: x\nsentinel: {locations: [[a, 1]], service_name: m}\n",
        ] {
            let err = load_text(&d, text).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{text}: {err:?}");
            assert!(!err.to_string().contains('\n'), "{err}");
        }
        let err = load(
            Overrides::default(),
            &[("CACHEOPS_INSIDEOUT", "maybe"), ("HOME", "/nonexistent")],
        )
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)));

        // The redis setting's own mistakes are said, not "no variant matched".
        for (text, said) in [
            (
                "redis:\n  host: h\n  port: notaport\n",
                "\"notaport\", expected u16",
            ),
            ("redis: 5\n", "a URL (redis://"),
        ] {
            let err = load_text(&d, text).unwrap_err();
            assert!(err.to_string().contains(said), "{text}: {err}");
        }
    }

    #[test]
    fn searched_files_are_optional_but_read() {
        let d = tmpdir("xdg");
        std::fs::create_dir_all(d.join("cacheops")).unwrap();
        std::fs::write(d.join("cacheops/config.yaml"), "prefix: \"xdg:\"\n").unwrap();
        let s = load(Overrides::default(), &[("XDG_CONFIG_HOME", d.to_str().unwrap())]).unwrap();
        assert_eq!(s.prefix, "xdg:");
        assert_eq!(s.config_file, Some(d.join("cacheops/config.yaml")));
    }
}
