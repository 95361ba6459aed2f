//! `cacheops doctor`: checks a deployment's Redis for what silently breaks
//! cacheops, with plain advice; and reads SLOWLOG for cacheops' own scripts.

use std::collections::HashSet;

use redis::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::inspect::{inventory, Inventory};
use crate::invalidate::Progress;
use crate::keys::{glob_escape, Family, Namespace};
use crate::layout::Layout;
use crate::scan::Scan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Critical,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub check: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DoctorOptions {
    /// The layout the config names, if any.
    pub configured_layout: Option<Layout>,
    /// Conj sets at least this large are reported.
    pub big_set: u64,
    /// Members read at most when looking for cache keys no conj set references.
    pub reference_budget: u64,
}

impl Default for DoctorOptions {
    fn default() -> Self {
        DoctorOptions {
            configured_layout: None,
            big_set: 10_000,
            reference_budget: 1_000_000,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub redis_version: String,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub inventory: Inventory,
}

impl Diagnosis {
    pub fn worst(&self) -> Severity {
        self.findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Ok)
    }
}

fn finding(severity: Severity, check: &'static str, message: String, advice: Option<&str>) -> Finding {
    Finding {
        severity,
        check,
        message,
        advice: advice.map(str::to_string),
    }
}

fn config_get(con: &mut Connection, name: &str) -> Option<String> {
    let v: redis::RedisResult<Vec<String>> = redis::cmd("CONFIG").arg("GET").arg(name).query(con);
    v.ok().and_then(|v| v.get(1).cloned())
}

fn info_field(info: &str, name: &str) -> Option<String> {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(|v| v.trim().to_string()))
}

/// Runs every check. CONFIG may be refused (managed Redis): those checks
/// then say they could not look.
pub fn diagnose(
    con: &mut Connection,
    ns: &Namespace,
    opts: &DoctorOptions,
    progress: &dyn Progress,
) -> Result<Diagnosis> {
    let mut f = Vec::new();
    let info: String = redis::cmd("INFO").query(con)?;
    let version = info_field(&info, "redis_version").unwrap_or_default();
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    f.push(if major >= 6 {
        finding(
            Severity::Ok,
            "redis-version",
            format!("Redis {version}: Lua, UNLINK and keymiss events available"),
            None,
        )
    } else {
        finding(
            Severity::Warning,
            "redis-version",
            format!("Redis {version}: no keymiss events (stats cannot count misses); UNLINK needs 4.0"),
            Some("upgrade to Redis 6 or later"),
        )
    });

    let maxmemory: u64 = config_get(con, "maxmemory")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    match config_get(con, "maxmemory-policy") {
        None => f.push(finding(
            Severity::Info,
            "eviction",
            "CONFIG GET is not allowed here: eviction policy not checked".into(),
            Some("check maxmemory-policy in your provider's parameter group"),
        )),
        Some(p) if p.starts_with("allkeys-") && maxmemory > 0 => f.push(finding(
            Severity::Critical,
            "eviction",
            format!("maxmemory-policy is {p} with maxmemory {maxmemory}: Redis may evict a conj key before the cache entries it guards, and those entries can then never be invalidated (stale data)"),
            Some("use volatile-ttl (cache entries expire before their conj keys), or noeviction with enough memory"),
        )),
        Some(p) if p.starts_with("volatile-") && p != "volatile-ttl" && maxmemory > 0 => f.push(finding(
            Severity::Warning,
            "eviction",
            format!("maxmemory-policy is {p}: conj keys have TTLs, so they can be evicted before their entries"),
            Some("volatile-ttl evicts the shortest-lived keys first: cache entries before their conj keys"),
        )),
        Some(p) => f.push(finding(Severity::Ok, "eviction", format!("maxmemory-policy {p}, maxmemory {maxmemory}"), None)),
    }

    let aof = info_field(&info, "aof_enabled").unwrap_or_default() == "1";
    let save = config_get(con, "save").unwrap_or_default();
    if aof || !save.trim().is_empty() {
        f.push(finding(
            Severity::Info,
            "persistence",
            format!("persistence on (aof {}, save \"{save}\"): a cache rarely needs it, and each RDB fork of a large db stalls Redis", if aof { "yes" } else { "no" }),
            Some("for a cacheops-only Redis: CONFIG SET save \"\" and appendonly no"),
        ));
    }

    match config_get(con, "notify-keyspace-events") {
        Some(flags) => {
            let needed = crate::stats::missing_event_flags(&flags);
            if needed.is_empty() {
                f.push(finding(
                    Severity::Ok,
                    "keyspace-events",
                    format!("notify-keyspace-events \"{flags}\" covers cacheops stats"),
                    None,
                ));
            } else {
                f.push(finding(
                    Severity::Info,
                    "keyspace-events",
                    format!(
                        "notify-keyspace-events \"{flags}\" lacks \"{}\": `cacheops stats` cannot see everything",
                        needed.iter().collect::<String>()
                    ),
                    Some("cacheops stats --enable-events, or CONFIG SET notify-keyspace-events with those flags added"),
                ));
            }
        }
        None => f.push(finding(
            Severity::Info,
            "keyspace-events",
            "CONFIG GET not allowed: keyspace events not checked".into(),
            None,
        )),
    }

    let inv = inventory(con, ns, progress)?;
    let ours: u64 = inv
        .families
        .iter()
        .filter(|(n, _)| **n != "other")
        .map(|(_, s)| s.keys)
        .sum();
    if inv.not_cacheops > 0 {
        f.push(if ns.prefix.is_empty() {
            finding(
                Severity::Warning,
                "foreign-keys",
                format!("{} of {} keys in this db are not recognisably cacheops': `invalidate all` (FLUSHDB) would delete them too", inv.not_cacheops, inv.db_keys),
                Some("give cacheops a db of its own, or set a prefix so that `invalidate all` deletes only its keys"),
            )
        } else {
            // With a prefix this tool's `invalidate all` keeps other keys, but
            // cacheops' own invalidate_all() still flushes the whole db.
            finding(
                Severity::Warning,
                "foreign-keys",
                format!(
                    "{} of {} keys in this db are not cacheops keys under prefix {:?}: cacheops' own invalidate_all() \
                     and `manage.py invalidate all` (FLUSHDB) would delete them too (`cacheops invalidate all` \
                     deletes only the prefix's keys unless --flushdb)",
                    inv.not_cacheops, inv.db_keys, ns.prefix
                ),
                Some("give each site's cacheops a db of its own if the other keys matter"),
            )
        });
    }
    if inv.db_keys == 0 {
        // Nothing to diagnose is itself worth a word: a wrong db number is the usual cause.
        f.push(finding(
            Severity::Info,
            "empty-db",
            "this db holds no keys at all: nothing cached here".into(),
            Some("check the db number in --redis / CACHEOPS_REDIS against your Django settings' CACHEOPS_REDIS"),
        ));
    }
    if ours == 0 && inv.db_keys > 0 {
        let seen = other_prefixes(con)?;
        f.push(finding(
            Severity::Critical,
            "prefix",
            if seen.is_empty() {
                format!(
                    "no cacheops keys under prefix {:?} in a db of {} keys",
                    ns.prefix, inv.db_keys
                )
            } else {
                format!(
                    "no cacheops keys under prefix {:?}, but cacheops keys under {}",
                    ns.prefix,
                    seen.join(", ")
                )
            },
            Some("set --prefix / CACHEOPS_PREFIX / prefix: to the string your CACHEOPS_PREFIX returns"),
        ));
    }

    match (inv.layout, opts.configured_layout) {
        (Some("mixed"), _) => f.push(finding(
            Severity::Critical,
            "layout",
            "conj keys of both layouts: classic sets left from before a switch to CACHEOPS_INSIDEOUT make cacheops fail with WRONGTYPE".into(),
            Some("cacheops --layout insideout reap --legacy-sets"),
        )),
        (Some(found), Some(c)) if found != c.name() => f.push(finding(
            Severity::Critical,
            "layout",
            format!("the config says {c} but Redis holds {found} conj keys"),
            Some("fix insideout: in the config (or CACHEOPS_INSIDEOUT / --layout)"),
        )),
        (Some(found), _) => f.push(finding(Severity::Ok, "layout", format!("{found} layout"), None)),
        (None, _) => {}
    }

    let big: Vec<&(u64, String)> = inv
        .largest_conj_sets
        .iter()
        .filter(|(n, _)| *n >= opts.big_set)
        .collect();
    if !big.is_empty() {
        f.push(finding(
            Severity::Warning,
            "big-conj-sets",
            format!(
                "{} conj sets have {}+ members (largest: {} with {}): invalidating them blocks Redis",
                big.len(),
                opts.big_set,
                big[0].1,
                big[0].0
            ),
            Some("cacheops reap, on a schedule"),
        ));
    }
    for (table, t) in &inv.tables {
        if t.conj_without_ttl > 0 {
            f.push(finding(
                Severity::Warning,
                "conj-without-ttl",
                format!("{}: {} conj keys have no TTL and will never expire", table, t.conj_without_ttl),
                Some("cacheops sets a TTL on every conj key it writes: something else wrote these; cacheops invalidate the model to drop them"),
            ));
        }
        // Sets kept alive by traffic: cacheops re-extends a conj key's TTL on every
        // write, so a busy condition never expires while its dead members pile up.
        if t.dead_sampled >= 10
            && t.dead_found * 2 > t.dead_sampled
            && t.largest_conj_set >= opts.big_set / 10
        {
            f.push(finding(
                Severity::Warning,
                "conj-kept-alive",
                format!(
                    "{}: about {} of {} references are dead ({} of {} sampled); writes keep re-extending these conj sets, so they never expire",
                    table, t.dead_estimate, t.references, t.dead_found, t.dead_sampled
                ),
                Some("cacheops reap, on a schedule"),
            ));
        }
    }

    // Entries no conj set holds can only be told in the classic layout. With
    // no conj key at all the layout cannot be read off the conj keys, but a
    // classic deployment whose conj keys are all gone (evicted, deleted by hand)
    // is exactly when this matters most: check unless insideout is configured
    // or the entries' values carry insideout checksums.
    let classic = match (inv.layout, opts.configured_layout) {
        (Some(found), _) => found == "classic",
        (None, Some(c)) => c == Layout::Classic,
        (None, None) => true,
    };
    if classic {
        f.extend(unreferenced_entries(con, ns, opts.reference_budget)?);
    }
    Ok(Diagnosis {
        redis_version: version,
        findings: f,
        inventory: inv,
    })
}

/// Prefixes under which cacheops keys exist (looks at a few SCAN pages only).
fn other_prefixes(con: &mut Connection) -> Result<Vec<String>> {
    let mut seen = HashSet::new();
    let mut scan = Scan::new("*schemes:*");
    for _ in 0..50 {
        let Some(page) = scan.next_page(con)? else { break };
        let (keys, _) = page.utf8_keys();
        for k in keys {
            if let Some(i) = k.find("schemes:") {
                seen.insert(format!("{:?}", &k[..i]));
            }
        }
        if seen.len() >= 5 {
            break;
        }
    }
    let mut v: Vec<String> = seen.into_iter().collect();
    v.sort();
    Ok(v)
}

/// Classic layout: cache entries (q:/as:/asp:) that no conj set references can
/// never be invalidated. A sample of entries is looked up in every conj set,
/// reading at most `budget` members.
/// Those of `keys` whose value is cacheops' `LOCK` marker (STRLEN first: only
/// four-byte values are read).
fn lock_markers(con: &mut Connection, keys: &[String]) -> Result<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut pipe = redis::pipe();
    for k in keys {
        pipe.cmd("STRLEN").arg(k);
    }
    // A key of another type under a cache key's name fails on its own, not the batch.
    let lens: Vec<redis::RedisResult<u64>> = pipe.ignore_errors().query(con)?;
    let short: Vec<&String> = keys
        .iter()
        .zip(lens)
        .filter(|(_, l)| matches!(l, Ok(4)))
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    for k in short {
        let v: Option<Vec<u8>> = redis::cmd("GET").arg(k).query(con)?;
        if v.as_deref() == Some(b"LOCK") {
            out.push(k.clone());
        }
    }
    Ok(out)
}

/// Whether most of a few sampled entries carry an insideout checksum
/// (`<sha1 hex>:<pickle>`): classic values are bare pickles.
fn entries_look_insideout(con: &mut Connection, sample: &HashSet<String>) -> Result<bool> {
    let keys: Vec<&String> = sample.iter().take(5).collect();
    let mut pipe = redis::pipe();
    for k in &keys {
        // 41 bytes: the checksum and its colon, whatever the size of the value.
        pipe.cmd("GETRANGE").arg(*k).arg(0).arg(40);
    }
    // A key of another type under a cache key's name fails on its own, not the batch.
    let heads: Vec<redis::RedisResult<Vec<u8>>> = pipe.ignore_errors().query(con)?;
    let insideout = heads
        .iter()
        .filter(|h| matches!(h, Ok(h) if crate::pickle::split_insideout(h).0.is_some()))
        .count();
    Ok(insideout * 2 > heads.len())
}

fn unreferenced_entries(con: &mut Connection, ns: &Namespace, budget: u64) -> Result<Vec<Finding>> {
    let mut sample: HashSet<String> = HashSet::new();
    let mut scan = Scan::new(format!("{}*", glob_escape(&ns.prefix)));
    while sample.len() < 200 {
        let Some(page) = scan.next_page(con)? else { break };
        let (keys, _) = page.utf8_keys();
        for k in keys {
            if matches!(
                ns.family(&k),
                Some(Family::Query | Family::CachedAs | Family::Precall)
            ) && sample.len() < 200
            {
                sample.insert(k);
            }
        }
    }
    if sample.is_empty() {
        return Ok(Vec::new());
    }
    if entries_look_insideout(con, &sample)? {
        return Ok(Vec::new());
    }
    let total = sample.len();
    let mut read = 0u64;
    let mut scan = Scan::new(format!("{}conj:*", glob_escape(&ns.prefix))).of_type("set");
    'walk: while let Some(page) = scan.next_page(con)? {
        let (keys, _) = page.utf8_keys();
        for k in keys {
            let mut cursor: u64 = 0;
            loop {
                let (next, members): (u64, Vec<String>) = redis::cmd("SSCAN")
                    .arg(&k)
                    .arg(cursor)
                    .arg("COUNT")
                    .arg(1000)
                    .query(con)?;
                read += members.len() as u64;
                for m in &members {
                    sample.remove(m);
                }
                if sample.is_empty() || read >= budget {
                    break 'walk;
                }
                if next == 0 {
                    break;
                }
                cursor = next;
            }
        }
    }
    let complete = read < budget;
    // Dog-pile lock markers are cache keys that no conj set holds, by design.
    let left: Vec<String> = sample.iter().cloned().collect();
    for lock in lock_markers(con, &left)? {
        sample.remove(&lock);
    }
    if sample.is_empty() {
        return Ok(vec![finding(
            Severity::Ok,
            "unreferenced-entries",
            format!("all {total} sampled cache entries are referenced by a conj set"),
            None,
        )]);
    }
    let example = sample.iter().next().cloned().unwrap_or_default();
    Ok(vec![if complete {
        finding(
            Severity::Warning,
            "unreferenced-entries",
            format!("{} of {total} sampled cache entries are in no conj set (e.g. {example}): no invalidation can reach them until they expire", sample.len()),
            Some("usually a conj key evicted or deleted by hand: check the eviction policy; `cacheops invalidate` the model, or wait for the TTL"),
        )
    } else {
        finding(
            Severity::Info,
            "unreferenced-entries",
            format!("{} of {total} sampled cache entries were not found in the first {budget} conj set members read (the check stopped there)", sample.len()),
            None,
        )
    }])
}

// ---------------------------------------------------------------- slowlog

/// cacheops' Lua scripts by the SHA1 that EVALSHA names, for every 7.x release
/// and Redis-version variant (cacheops strips REDIS_4/REDIS_7 blocks before
/// loading). Computed from the released packages; hashes only, not the code.
const CACHEOPS_SCRIPTS: &[(&str, &str)] = &[
    ("1880dea5c524f6a37a650f715fa630416a2fe1fd", "cache_thing"),
    ("43c56897fe581fb7eefdc1f00d6db8bc0ed5318e", "cache_thing"),
    ("584808dc8ea8d370057a553be46a8404371a3943", "cache_thing"),
    ("6e829bdf16da88c0651734416322bf406a856b2e", "cache_thing"),
    ("8661ee8a6eebce058183c5fc3c68b4a5635964a1", "cache_thing"),
    ("bfed57da6c77721caa94c95162a30f9da98f82d8", "cache_thing"),
    (
        "af393c71b4185a7601811a87f5d196d767921270",
        "cache_thing_insideout",
    ),
    (
        "0ddead8550435c11fe4c969ce05d86595a096d97",
        "cache_thing_insideout",
    ),
    (
        "76f365ace541416bbf41c63396d6f65797ca54e7",
        "cache_thing_insideout",
    ),
    (
        "92143cfceff4022e1b15e58dbc883b44171a638a",
        "cache_thing_insideout",
    ),
    (
        "8c4dafdf9b6b7bcf511a0d1ec0518bed9260e16d",
        "cache_thing_insideout",
    ),
    (
        "93caee718597fa57f2c358b06f9d7f5cb05a233d",
        "cache_thing_insideout",
    ),
    (
        "f8195e277f9f2c2fe7d26010d530f3707042c761",
        "cache_thing_insideout",
    ),
    ("0605214935a9ffcd4b9e5779300302540ff08da4", "invalidate"),
    ("3fc258d735c924d5652fceb90b41bea1f1f29e4b", "invalidate_insideout"),
];

#[derive(Debug, Clone, Serialize)]
pub struct SlowEntry {
    pub id: i64,
    pub timestamp: i64,
    pub duration_us: i64,
    /// cacheops' script or command, as recognised; `None`: not cacheops'.
    pub cacheops: Option<String>,
    pub tables: Vec<String>,
    pub command: String,
}

/// SLOWLOG entries, each recognised as cacheops' (its Lua scripts by SHA1,
/// its KEYS/SUNION/UNLINK/FLUSHDB of invalidate_model and invalidate_all, and
/// this tool's own scripts) and mapped to the tables involved.
pub fn slowlog(con: &mut Connection, ns: &Namespace, ours: &[(String, &str)]) -> Result<Vec<SlowEntry>> {
    // Bounded by the server's own slowlog-max-len.
    let raw: Vec<redis::Value> = redis::cmd("SLOWLOG").arg("GET").arg(1_000_000).query(con)?;
    let mut out = Vec::new();
    for e in raw {
        let redis::Value::Array(fields) = e else { continue };
        let int = |i: usize| match fields.get(i) {
            Some(redis::Value::Int(n)) => *n,
            _ => 0,
        };
        let args: Vec<String> = match fields.get(3) {
            Some(redis::Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    redis::Value::BulkString(b) => String::from_utf8_lossy(b).into_owned(),
                    redis::Value::SimpleString(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .collect(),
            _ => Vec::new(),
        };
        let (cacheops, tables) = recognise(&args, ns, ours);
        out.push(SlowEntry {
            id: int(0),
            timestamp: int(1),
            duration_us: int(2),
            cacheops,
            tables,
            command: args
                .iter()
                .take(6)
                .map(|a| shorten(a, 60))
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
    Ok(out)
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn recognise(args: &[String], ns: &Namespace, ours: &[(String, &str)]) -> (Option<String>, Vec<String>) {
    let cmd = args.first().map(|c| c.to_ascii_uppercase()).unwrap_or_default();
    let conj_tables = |keys: &[String]| {
        let mut t: Vec<String> = keys
            .iter()
            .filter_map(|k| ns.table_of(k))
            .map(str::to_string)
            .collect();
        t.sort();
        t.dedup();
        t
    };
    match cmd.as_str() {
        "EVALSHA" => {
            let sha = args.get(1).map(|s| s.to_ascii_lowercase()).unwrap_or_default();
            if let Some((_, name)) = CACHEOPS_SCRIPTS.iter().find(|(h, _)| *h == sha) {
                let tables = match *name {
                    // EVALSHA sha numkeys prefix db_table obj
                    "invalidate" | "invalidate_insideout" => args.get(4).cloned().into_iter().collect(),
                    // EVALSHA sha 3 prefix key precall data dnfs timeout: dnfs maps tables
                    "cache_thing" => json_keys(args.get(7)),
                    // EVALSHA sha 2 prefix key data schemes conj_keys timeout ...: schemes maps tables
                    _ => json_keys(args.get(6)),
                };
                return (Some(format!("cacheops {name}")), tables);
            }
            if let Some((_, name)) = ours.iter().find(|(h, _)| *h == sha) {
                return (
                    Some(format!("cacheops tool: {name}")),
                    conj_tables(&args[3.min(args.len())..]),
                );
            }
            (None, Vec::new())
        }
        // Recognising cacheops' own KEYS in SLOWLOG entries; this tool never sends it.
        "KEYS"
            if args
                .get(1)
                .is_some_and(|p| ns.strip(p).is_some_and(|r| r.starts_with("conj:"))) =>
        {
            (
                Some("cacheops invalidate_model (KEYS)".into()),
                conj_tables(&args[1..]),
            )
        }
        "SUNION" | "UNLINK" | "DEL" => {
            let t = conj_tables(&args[1..]);
            if t.is_empty() {
                (None, t)
            } else {
                (Some(format!("cacheops invalidate_model ({cmd})")), t)
            }
        }
        "FLUSHDB" => (Some("invalidate all (FLUSHDB)".into()), Vec::new()),
        _ => (None, Vec::new()),
    }
}

/// Top-level keys of a JSON object (a slowlog argument may be cut short: the
/// keys read before the cut are kept).
fn json_keys(arg: Option<&String>) -> Vec<String> {
    let Some(s) = arg else { return Vec::new() };
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(s) {
        return m.keys().cloned().collect();
    }
    // Truncated: pick "name": at depth 1 by hand.
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            '"' => {
                let start = i + 1;
                let mut end = start;
                for (j, c2) in chars.by_ref() {
                    if c2 == '"' {
                        end = j;
                        break;
                    }
                }
                if depth == 1 && s[end..].trim_start_matches('"').trim_start().starts_with(':') {
                    out.push(s[start..end].to_string());
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_flags() {
        use crate::stats::missing_event_flags;
        assert!(missing_event_flags("KEA").contains(&'m'));
        assert!(missing_event_flags("KEAm").is_empty());
        assert!(missing_event_flags("Eg$slxem").is_empty());
        assert_eq!(
            missing_event_flags(""),
            vec!['E', 'g', '$', 's', 'l', 'x', 'e', 'm']
        );
    }

    #[test]
    fn truncated_json_keeps_the_tables_it_has() {
        let s = r#"{"articles_article": [{"id": 1}], "articles_category": [{"id"#.to_string();
        assert_eq!(json_keys(Some(&s)), vec!["articles_article", "articles_category"]);
        let s = r#"{"a": [{"x": 1}], "b": []}"#.to_string();
        let mut k = json_keys(Some(&s));
        k.sort();
        assert_eq!(k, vec!["a", "b"]);
    }

    #[test]
    fn recognises_cacheops_commands() {
        let ns = Namespace::new("");
        let a: Vec<String> = [
            "EVALSHA",
            "0605214935a9ffcd4b9e5779300302540ff08da4",
            "1",
            "",
            "articles_article",
            "{}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (name, tables) = recognise(&a, &ns, &[]);
        assert_eq!(name.as_deref(), Some("cacheops invalidate"));
        assert_eq!(tables, vec!["articles_article"]);
        let a: Vec<String> = ["KEYS", "conj:shop_product:*"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(recognise(&a, &ns, &[]).1, vec!["shop_product"]);
        let a: Vec<String> = ["GET", "x"].iter().map(|s| s.to_string()).collect();
        assert_eq!(recognise(&a, &ns, &[]).0, None);
    }
}
