//! Invalidation: what `manage.py invalidate` and cacheops' `invalidate_*`
//! functions do, without Django and without blocking Redis.
//!
//! - a row (`invalidate_object`): cacheops' own invalidate_dict, atomically, in a
//!   Lua script of ours (src/lua/invalidate_dict.lua);
//! - a row known only by pk (`invalidate_pk_conservative`): every conj key of the
//!   table that `pk=<value>` does not contradict;
//! - a table, an app (`invalidate_tables`): SCAN (never KEYS) and bounded drains
//!   (src/lua/drain_conj.lua);
//! - everything (`invalidate_all`): FLUSHDB, or the prefix's keys only.

mod all;
mod object;
mod plan;
mod scripts;
mod stream;
mod tables;

pub use object::Row;
pub use plan::{model_for_table, Step};
pub use stream::{parse_change, Change};

use redis::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::keys::Namespace;
use crate::layout::Layout;

/// Cache-key members one script call may delete: keeps each call near a
/// millisecond of server time, however large a conj set has grown.
pub const MEMBER_BUDGET: usize = 250;
/// Conj keys handed to one drain call.
const KEYS_PER_CALL: usize = 25;

/// Receives progress of long operations (a progress bar, or nothing).
pub trait Progress {
    fn update(&self, fraction: f64, message: &str);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: f64, _: &str) {}
}

/// What one label did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub label: String,
    pub tables: Vec<String>,
    /// The layout the data showed, when any conj key was seen.
    pub layout: Option<&'static str>,
    pub conj_keys: u64,
    /// Cache keys deleted. In a dry run: members of the conj sets that would go
    /// (an upper bound: members may overlap or be gone already).
    pub cache_keys: u64,
    /// Keys deleted by `all` under a prefix.
    pub other_keys: u64,
    /// `all` flushed the db.
    pub flushed: bool,
    /// false when the pk-only fallback removed more than cacheops would.
    pub exact: bool,
    pub notes: Vec<String>,
    /// Keys that would go, listed in a verbose dry run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

impl Outcome {
    pub fn new(label: &str) -> Outcome {
        Outcome {
            label: label.to_string(),
            exact: true,
            ..Default::default()
        }
    }

    /// One line on what went (or, in a dry run, would go).
    pub fn sentence(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would delete" } else { "deleted" };
        let count = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        if self.flushed {
            let verb = if dry_run { "would FLUSHDB" } else { "FLUSHDB" };
            return format!("{}: {verb}: {}", self.label, count(self.other_keys, "key"));
        }
        let mut parts = Vec::new();
        if self.conj_keys > 0 || self.cache_keys > 0 || self.other_keys == 0 {
            parts.push(count(self.conj_keys, "conj key"));
            parts.push(count(self.cache_keys, "cache key"));
        }
        if self.other_keys > 0 {
            parts.push(count(self.other_keys, "other key"));
        }
        let layout = self.layout.map(|l| format!(" ({l})")).unwrap_or_default();
        format!("{}: {verb} {}{layout}", self.label, parts.join(" and "))
    }
}

/// One invalidation session on one connection.
pub struct Invalidator<'a> {
    con: &'a mut Connection,
    /// A second connection for SCAN, so that walking and dropping overlap.
    scan_con: Option<Connection>,
    ns: Namespace,
    /// The layout the config or flags name, if any.
    configured: Option<Layout>,
    /// The layout the data has shown so far.
    seen: Option<Layout>,
    dry_run: bool,
    list_keys: bool,
    progress: &'a dyn Progress,
}

impl<'a> Invalidator<'a> {
    pub fn new(con: &'a mut Connection, ns: Namespace, configured: Option<Layout>) -> Invalidator<'a> {
        Invalidator {
            con,
            scan_con: None,
            ns,
            configured,
            seen: None,
            dry_run: false,
            list_keys: false,
            progress: &NoProgress,
        }
    }

    /// Report what would go, change nothing; `list_keys` also names the keys.
    pub fn dry_run(mut self, dry_run: bool, list_keys: bool) -> Self {
        self.dry_run = dry_run;
        self.list_keys = list_keys;
        self
    }

    /// A second connection to the same db: model and app walks then SCAN on
    /// it while dropping on the first.
    pub fn scan_connection(mut self, con: Connection) -> Self {
        self.scan_con = Some(con);
        self
    }

    pub fn progress(mut self, p: &'a dyn Progress) -> Self {
        self.progress = p;
        self
    }

    pub fn namespace(&self) -> &Namespace {
        &self.ns
    }

    /// The layout to apply, given what a batch of keys shows. Refuses when the
    /// data disagrees with the config, with itself, or with earlier batches.
    fn settle_layout(&mut self, found: Option<Layout>, evidence: &str) -> Result<Option<Layout>> {
        let Some(found) = found else {
            return Ok(self.seen.or(self.configured));
        };
        if let Some(c) = self.configured {
            if c != found {
                return Err(Error::Refused(format!(
                    "the config says the {c} layout but Redis holds {found} data ({evidence}); \
                     fix CACHEOPS_INSIDEOUT / insideout: / --layout, nothing was changed"
                )));
            }
        }
        if let Some(s) = self.seen {
            if s != found {
                return Err(Error::Refused(format!(
                    "Redis holds both classic and insideout conj keys ({evidence}); stopped. \
                     Old-style keys left from a layout switch: see `cacheops doctor`"
                )));
            }
        }
        self.seen = Some(found);
        Ok(Some(found))
    }
}
