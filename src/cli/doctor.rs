//! `cacheops doctor`: what silently breaks cacheops here, and what to do.

use clap::Args;
use serde_json::json;

use cacheops::doctor::{self, DoctorOptions, Severity};
use cacheops::error::{exit, Result};
use cacheops::keys::Namespace;
use cacheops::lua::Lua;

use super::{connect, load_settings, GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  cacheops doctor                 # exit 8 when something is critical
  cacheops doctor --slowlog       # which cacheops scripts and tables made Redis slow
  cacheops doctor --json";

/// Check Redis for what silently breaks cacheops: eviction policy, layout and
/// prefix mismatches, huge or immortal conj sets, unreachable entries, ...
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct DoctorArgs {
    /// Also read SLOWLOG and LATENCY: cacheops' own scripts and commands, with their tables
    #[arg(long)]
    pub slowlog: bool,
    /// Report conj sets with at least this many members
    #[arg(long, default_value_t = 10_000)]
    pub big_set: u64,
}

pub fn run(g: &GlobalArgs, a: &DoctorArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let (target, mut con) = connect(&settings)?;
    let ns = Namespace::new(settings.prefix.clone());
    let opts = DoctorOptions {
        configured_layout: settings.layout,
        big_set: a.big_set,
        ..Default::default()
    };
    let bar = out.progress();
    let d = doctor::diagnose(&mut con, &ns, &opts, &bar)?;
    drop(bar);
    let slow = if a.slowlog {
        Some(doctor::slowlog(&mut con, &ns, &Lua::hashes())?)
    } else {
        None
    };
    let latency: Option<Vec<(String, i64, i64)>> = if a.slowlog { latency_latest(&mut con) } else { None };
    let code = if d.worst() == Severity::Critical {
        exit::CRITICAL
    } else {
        exit::OK
    };

    if out.json {
        out.print_json(&json!({
            "redis": target.describe(),
            "redis_version": d.redis_version,
            "findings": d.findings,
            "slowlog": slow,
            "latency": latency.map(|l| l.into_iter().map(|(e, t, m)| json!({"event": e, "latest_ms": t, "max_ms": m})).collect::<Vec<_>>()),
        }));
        return Ok(code);
    }
    if !out.quiet {
        out.print(&format!("{} (Redis {})", target.describe(), d.redis_version));
        let mut t = out.table(&["", "check", "finding", "advice"]);
        for f in &d.findings {
            let mark = match f.severity {
                Severity::Ok => "ok",
                Severity::Info => "info",
                Severity::Warning => "WARN",
                Severity::Critical => "CRIT",
            };
            t.add_row(vec![
                mark.to_string(),
                f.check.to_string(),
                f.message.clone(),
                f.advice.clone().unwrap_or_default(),
            ]);
        }
        out.print(&t.to_string());
    }
    if let Some(entries) = slow {
        let ours: Vec<_> = entries.iter().filter(|e| e.cacheops.is_some()).collect();
        let mut t = out.table(&["when (unix)", "ms", "what", "tables", "command"]);
        for e in &ours {
            t.add_row(vec![
                e.timestamp.to_string(),
                format!("{:.2}", e.duration_us as f64 / 1000.0),
                e.cacheops.clone().unwrap_or_default(),
                e.tables.join(", "),
                e.command.clone(),
            ]);
        }
        out.print(&format!(
            "SLOWLOG: {} entries, {} of them cacheops'",
            entries.len(),
            ours.len()
        ));
        if !ours.is_empty() {
            out.print(&t.to_string());
        }
    }
    match latency {
        Some(l) if l.is_empty() => {
            out.note("LATENCY LATEST is empty: set latency-monitor-threshold (ms) to record spikes")
        }
        Some(l) => {
            let mut t = out.table(&["latency event", "latest ms", "max ms"]);
            for (e, latest, max) in l {
                t.add_row(vec![e, latest.to_string(), max.to_string()]);
            }
            out.print(&t.to_string());
        }
        None => {}
    }
    Ok(code)
}

/// LATENCY LATEST: (event, latest ms, max ms); None when not allowed.
fn latency_latest(con: &mut redis::Connection) -> Option<Vec<(String, i64, i64)>> {
    let raw: Vec<redis::Value> = redis::cmd("LATENCY").arg("LATEST").query(con).ok()?;
    Some(
        raw.into_iter()
            .filter_map(|e| match e {
                redis::Value::Array(f) => {
                    let s = match f.first() {
                        Some(redis::Value::BulkString(b)) => String::from_utf8_lossy(b).into_owned(),
                        _ => return None,
                    };
                    let n = |i: usize| match f.get(i) {
                        Some(redis::Value::Int(n)) => *n,
                        _ => 0,
                    };
                    Some((s, n(2), n(3)))
                }
                _ => None,
            })
            .collect(),
    )
}
