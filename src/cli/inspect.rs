//! `cacheops inspect`: what cacheops keeps in Redis, per family and per table.

use clap::Args;

use cacheops::error::{exit, Result};
use cacheops::inspect::{inventory, Spread};
use cacheops::keys::Namespace;

use super::{connect, load_settings, GlobalArgs, Output};
use cacheops::units::human_bytes;

const EXAMPLES: &str = "\
Examples:
  cacheops inspect
  cacheops --prefix site1: inspect --json | jq '.tables'";

/// Sum up the cache: keys by family, and per table its schemes, conj keys,
/// references, dead members, largest sets, TTLs and memory
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct InspectArgs {}

pub fn run(g: &GlobalArgs, _a: &InspectArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let (target, mut con) = connect(&settings)?;
    let bar = out.progress();
    let inv = inventory(&mut con, &Namespace::new(settings.prefix.clone()), &bar)?;
    drop(bar);
    // Someone else's keys under cacheops names: counted as not cacheops', named.
    if inv.odd_keys_total > 0 {
        let named: Vec<String> = inv.odd_keys.iter().map(|o| o.describe()).collect();
        let more = inv.odd_keys_total.saturating_sub(named.len() as u64);
        out.warn(&format!(
            "{} keys named like cacheops' are of another type, counted as not cacheops': {}{}",
            inv.odd_keys_total,
            named.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if out.json {
        let mut v = serde_json::to_value(&inv).unwrap_or_default();
        v["redis"] = serde_json::json!(target.describe());
        out.print_json(&v);
        return Ok(exit::OK);
    }
    out.print(&format!(
        "{}{}: {} keys, {} not recognisably cacheops'; layout {}",
        target.describe(),
        if inv.prefix.is_empty() {
            String::new()
        } else {
            format!(" prefix {:?}", inv.prefix)
        },
        inv.db_keys,
        inv.not_cacheops,
        inv.layout.unwrap_or("unknown (no conj keys)")
    ));
    let mut t = out.table(&["family", "keys", "memory (sampled)", "TTL min / median / max"]);
    for (name, f) in &inv.families {
        t.add_row(vec![
            name.to_string(),
            f.keys.to_string(),
            human_bytes(f.memory_estimate),
            spread(&f.ttl),
        ]);
    }
    out.print(&t.to_string());
    let mut t = out.table(&[
        "table",
        "schemes",
        "conj keys",
        "references",
        "dead (est.)",
        "largest set",
        "conj TTL min / median / max",
        "memory (sampled)",
    ]);
    for (name, s) in &inv.tables {
        // The shapes in full are in --json; a few here keep the table readable.
        let shown: Vec<&str> = s
            .schemes
            .iter()
            .take(3)
            .map(|x| if x.is_empty() { "()" } else { x.as_str() })
            .collect();
        let more = s.schemes.len().saturating_sub(3);
        let schemes = if more > 0 {
            format!("{} (+{more})", shown.join(" "))
        } else {
            shown.join(" ")
        };
        let dead = if s.dead_sampled == 0 {
            "-".to_string()
        } else {
            format!(
                "{} ({}/{} sampled)",
                s.dead_estimate, s.dead_found, s.dead_sampled
            )
        };
        t.add_row(vec![
            name.clone(),
            schemes,
            s.conj_keys.to_string(),
            s.references.to_string(),
            dead,
            s.largest_conj_set.to_string(),
            spread(&s.conj_ttl),
            human_bytes(s.memory_estimate),
        ]);
    }
    out.print(&t.to_string());
    if !inv.largest_conj_sets.is_empty() {
        let mut t = out.table(&["largest conj sets", "members"]);
        for (n, k) in &inv.largest_conj_sets {
            t.add_row(vec![k.clone(), n.to_string()]);
        }
        out.print(&t.to_string());
    }
    out.note(
        "memory is MEMORY USAGE of sampled keys scaled up; dead members are estimated from sampled members",
    );
    Ok(exit::OK)
}

fn spread(s: &Spread) -> String {
    match (s.min, s.median, s.max) {
        (Some(a), Some(b), Some(c)) => format!("{a} / {b} / {c} s"),
        _ => "-".to_string(),
    }
}
