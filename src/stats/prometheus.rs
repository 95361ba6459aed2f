//! The counters in Prometheus' text exposition format (version 0.0.4).

use std::fmt::Write;

use super::engine::{Counters, Tally};

/// Cumulative counts as `/metrics` serves them.
#[derive(Debug, Clone, Default)]
pub struct Cumulative {
    pub tally: Tally,
    pub flushes: u64,
    /// Times the subscription dropped (events were lost).
    pub drops: u64,
}

const COUNTERS: [(&str, &str); 7] = [
    (
        "hits",
        "Cache reads that hit (estimated from INFO commandstats: GET and MGET calls minus misses).",
    ),
    (
        "misses",
        "Cache reads that missed (keymiss events on cache keys).",
    ),
    ("fills", "Cache entries written (set events on cache keys)."),
    ("invalidations", "Conj keys deleted by invalidation."),
    ("deleted", "Cache keys deleted."),
    ("expired", "Cache entries expired (for tables: their conj keys)."),
    (
        "evicted",
        "Keys evicted (for tables: their conj keys; their entries can no longer be invalidated).",
    ),
];

fn value(c: &Counters, name: &str) -> u64 {
    match name {
        "hits" => c.hits,
        "misses" => c.misses,
        "fills" => c.fills,
        "invalidations" => c.invalidations,
        "deleted" => c.deleted,
        "expired" => c.expired,
        _ => c.evicted,
    }
}

fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Totals as `cacheops_<name>_total`, per table as
/// `cacheops_table_<name>_total{table="..."}` (separate families, so that no
/// sum counts anything twice).
pub fn render(c: &Cumulative) -> String {
    let mut out = String::new();
    for (name, help) in COUNTERS {
        let _ = writeln!(out, "# HELP cacheops_{name}_total {help}");
        let _ = writeln!(out, "# TYPE cacheops_{name}_total counter");
        let _ = writeln!(out, "cacheops_{name}_total {}", value(&c.tally.totals, name));
    }
    for (name, help) in COUNTERS {
        if name == "hits" {
            continue; // hits are instance-wide only
        }
        let _ = writeln!(out, "# HELP cacheops_table_{name}_total {help} Per db_table.");
        let _ = writeln!(out, "# TYPE cacheops_table_{name}_total counter");
        for (table, counters) in &c.tally.tables {
            let _ = writeln!(
                out,
                "cacheops_table_{name}_total{{table=\"{}\"}} {}",
                label(table),
                value(counters, name)
            );
        }
    }
    let extra = [
        (
            "flushes",
            "FLUSHDB/FLUSHALL calls seen (invalidate all).",
            c.flushes,
        ),
        (
            "lock_releases",
            "Dog-pile lock releases (lpush of <key>:signal).",
            c.tally.lock_releases,
        ),
        (
            "subscription_drops",
            "Times the keyspace subscription dropped and was re-established.",
            c.drops,
        ),
    ];
    for (name, help, v) in extra {
        let _ = writeln!(out, "# HELP cacheops_{name}_total {help}");
        let _ = writeln!(out, "# TYPE cacheops_{name}_total counter");
        let _ = writeln!(out, "cacheops_{name}_total {v}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_format() {
        let mut c = Cumulative::default();
        c.tally.totals.misses = 3;
        c.tally.tables.insert(
            "articles_article".into(),
            Counters {
                misses: 2,
                ..Default::default()
            },
        );
        let text = render(&c);
        assert!(text.contains("# TYPE cacheops_misses_total counter\ncacheops_misses_total 3\n"));
        assert!(text.contains("cacheops_table_misses_total{table=\"articles_article\"} 2\n"));
        assert!(!text.contains("cacheops_table_hits_total"));
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap();
            assert!(
                name.starts_with("cacheops_") && name.ends_with("_total"),
                "{line}"
            );
        }
    }
}
