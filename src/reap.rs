//! Reaping: dropping dead members from conj sets, as `manage.py reapconjs` does.
//!
//! A conj set keeps the key of every cache entry written under its condition,
//! long after the entry expired; busy sets grow to millions of dead members and
//! make the next invalidation block Redis. Reaping removes members whose cache
//! key no longer exists, a bounded chunk per script call.

use std::time::Instant;

use redis::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::invalidate::Progress;
use crate::keys::Namespace;
use crate::layout::Layout;
use crate::lua::Lua;
use crate::scan::Scan;

/// Members one script call checks at most, whatever `--chunk-size` says: each
/// OBJECT probe costs Redis a few microseconds, and a call must stay near a
/// millisecond so that no other client waits on it.
const MEMBERS_PER_CALL: usize = 250;

#[derive(Debug, Clone)]
pub struct ReapOptions {
    /// Members looked at per step (one script call); capped at MEMBERS_PER_CALL.
    pub chunk_size: usize,
    /// Sets smaller than this are left alone, as in reapconjs.
    pub min_conj_set_size: u64,
    pub dry_run: bool,
    /// Only this db_table's conj sets.
    pub table: Option<String>,
    /// The layout the config or `--layout` names: a conj key of the other
    /// layout stops the run (as `invalidate` refuses), before it is touched.
    pub layout: Option<Layout>,
}

impl Default for ReapOptions {
    fn default() -> Self {
        // reapconjs' defaults.
        ReapOptions {
            chunk_size: 1000,
            min_conj_set_size: 1000,
            dry_run: false,
            table: None,
            layout: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReapReport {
    /// Conj sets found.
    pub conj_sets: u64,
    /// Conj sets large enough to be reaped.
    pub conj_sets_reaped: u64,
    pub members_checked: u64,
    /// Dead members removed (in a dry run: found).
    pub members_removed: u64,
    /// Sets whose every member was dead: Redis drops a set when its last member goes.
    pub sets_emptied: u64,
    /// MEMORY USAGE of the reaped sets before and after (Redis' own sampled estimate).
    pub memory_before: u64,
    pub memory_after: u64,
    /// Conj keys of the insideout layout (strings): not reapable.
    pub insideout_conj_keys: u64,
    pub duration_s: f64,
    pub dry_run: bool,
}

/// Reaps every conj set under the namespace.
pub fn reap(
    con: &mut Connection,
    ns: &Namespace,
    opts: &ReapOptions,
    progress: &dyn Progress,
) -> Result<ReapReport> {
    let started = Instant::now();
    let mut report = ReapReport {
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let chunk = opts.chunk_size.clamp(1, 10_000);
    let mut scan = Scan::new(match &opts.table {
        Some(t) => ns.conj_pattern(t),
        None => format!("{}conj:*", crate::keys::glob_escape(&ns.prefix)),
    });
    while let Some(page) = scan.next_page(con)? {
        let fraction = page.fraction;
        let (keys, _) = page.utf8_keys();
        let keys: Vec<String> = keys
            .into_iter()
            .filter(|k| ns.family(k) == Some(crate::keys::Family::Conj))
            .collect();
        if !keys.is_empty() {
            let types = crate::probe::types(con, &keys)?;
            let mut sets = Vec::new();
            for (k, t) in keys.into_iter().zip(types) {
                let found = Layout::from_conj_type(&t);
                if let (Some(f), Some(said)) = (found, opts.layout) {
                    if f != said {
                        return Err(layout_conflict(said, &k, &t));
                    }
                }
                match found {
                    Some(Layout::Classic) => sets.push(k),
                    Some(Layout::InsideOut) => report.insideout_conj_keys += 1,
                    None => {}
                }
            }
            report.conj_sets += sets.len() as u64;
            let mut pipe = redis::pipe();
            for k in &sets {
                pipe.cmd("SCARD").arg(k);
            }
            let cards: Vec<u64> = if sets.is_empty() {
                Vec::new()
            } else {
                pipe.query(con)?
            };
            for (k, card) in sets.iter().zip(cards) {
                if card >= opts.min_conj_set_size && card > 0 {
                    reap_set(con, k, chunk, opts.dry_run, &mut report)?;
                }
            }
        }
        progress.update(
            fraction,
            &format!(
                "{} sets reaped, {} dead members",
                report.conj_sets_reaped, report.members_removed
            ),
        );
    }
    if report.members_removed > 0 && !opts.dry_run {
        // As reapconjs: hand freed pages back to the allocator.
        let _: redis::RedisResult<()> = redis::cmd("MEMORY").arg("PURGE").query(con);
    }
    report.duration_s = started.elapsed().as_secs_f64();
    Ok(report)
}

fn layout_conflict(said: Layout, key: &str, found_type: &str) -> Error {
    let advice = match said {
        // Sets left from before a switch to insideout are what --legacy-sets is for.
        Layout::InsideOut => {
            "if this deployment switched to insideout, drop the sets left from classic with \
                              `reap --legacy-sets`; otherwise fix CACHEOPS_INSIDEOUT / insideout: / --layout"
        }
        Layout::Classic => "fix CACHEOPS_INSIDEOUT / insideout: / --layout",
    };
    Error::Refused(format!(
        "layout conflict: the config says {said} but {key} is a {found_type}; nothing was reaped from it ({advice})"
    ))
}

fn memory_usage(con: &mut Connection, key: &str) -> Result<u64> {
    let m: Option<u64> = redis::cmd("MEMORY").arg("USAGE").arg(key).query(con)?;
    Ok(m.unwrap_or(0))
}

fn reap_set(
    con: &mut Connection,
    key: &str,
    chunk: usize,
    dry_run: bool,
    report: &mut ReapReport,
) -> Result<()> {
    report.conj_sets_reaped += 1;
    let before = memory_usage(con, key)?;
    report.memory_before += before;
    let mut cursor = "0".to_string();
    let mut dead_here = 0u64;
    let mut checked_here = 0u64;
    loop {
        let (next, checked, dead): (String, u64, u64) = Lua::ReapMembers
            .script()
            .key(key)
            .arg(&cursor)
            .arg(chunk.min(MEMBERS_PER_CALL))
            .arg(if dry_run { "1" } else { "0" })
            .invoke(con)
            .map_err(|e| Error::Redis(format!("reaping {key}: {e}")))?;
        checked_here += checked;
        dead_here += dead;
        if next == "0" {
            break;
        }
        cursor = next;
    }
    report.members_checked += checked_here;
    report.members_removed += dead_here;
    let after = if dry_run {
        None
    } else {
        Some(memory_usage(con, key)?)
    };
    match after {
        Some(0) => report.sets_emptied += 1,
        Some(m) => report.memory_after += m,
        None => {
            report.memory_after += before; // dry run: nothing freed
            if dead_here == checked_here {
                report.sets_emptied += 1;
            }
        }
    }
    Ok(())
}

/// Conj keys by layout: classic sets and insideout stamps (strings).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ConjLayouts {
    pub sets: u64,
    pub stamps: u64,
}

/// Counts the conj keys of each layout under the namespace, one SCAN walk.
/// `--legacy-sets` needs it before it drops anything: sets without a single
/// stamp beside them are a classic deployment, not one left from a switch.
pub fn conj_layouts(con: &mut Connection, ns: &Namespace, progress: &dyn Progress) -> Result<ConjLayouts> {
    let mut found = ConjLayouts::default();
    let mut scan = Scan::new(format!("{}conj:*", crate::keys::glob_escape(&ns.prefix)));
    while let Some(page) = scan.next_page(con)? {
        let fraction = page.fraction;
        let (keys, _) = page.utf8_keys();
        if !keys.is_empty() {
            for t in crate::probe::types(con, &keys)? {
                match Layout::from_conj_type(&t) {
                    Some(Layout::Classic) => found.sets += 1,
                    Some(Layout::InsideOut) => found.stamps += 1,
                    None => {}
                }
            }
        }
        progress.update(
            fraction,
            &format!(
                "{} classic conj sets, {} insideout stamps",
                found.sets, found.stamps
            ),
        );
    }
    Ok(found)
}

/// In the insideout layout, classic conj sets left from before a switch make
/// cacheops fail with WRONGTYPE: drop them, a batch at a time. (Callers check
/// `conj_layouts` first; a dry run is that count.)
pub fn drop_legacy_sets(con: &mut Connection, ns: &Namespace, progress: &dyn Progress) -> Result<u64> {
    let mut dropped = 0u64;
    let mut scan = Scan::new(format!("{}conj:*", crate::keys::glob_escape(&ns.prefix))).of_type("set");
    while let Some(page) = scan.next_page(con)? {
        let fraction = page.fraction;
        let (keys, _) = page.utf8_keys();
        for batch in keys.chunks(100) {
            let n: u64 = redis::cmd("UNLINK").arg(batch).query(con)?;
            dropped += n;
        }
        progress.update(fraction, &format!("{dropped} legacy conj sets"));
    }
    Ok(dropped)
}
