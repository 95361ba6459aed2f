//! What each view lists: the rows of the current screen, built from the
//! state the worker filled in (drawing shows them, key handling moves over them).

use super::app::{App, Screen};
use crate::inspect::TableSummary;
use crate::stats;
use crate::units::human_bytes;

impl App {
    /// The stats' cumulative counters of a table.
    pub fn table_counters(&self, table: &str) -> Option<&stats::Counters> {
        self.stats.cumulative.tally.tables.get(table)
    }

    /// The Tables view's rows in the chosen order (before the filter).
    fn sorted_tables(&self) -> Vec<&(String, TableSummary)> {
        let mut v: Vec<&(String, TableSummary)> = self.tables.iter().collect();
        let c = |t: &str| self.table_counters(t).cloned().unwrap_or_default();
        match self.tables_sort {
            1 => v.sort_by_key(|(_, s)| std::cmp::Reverse(s.conj_keys)),
            2 => v.sort_by_key(|(_, s)| std::cmp::Reverse(s.references)),
            3 => v.sort_by_key(|(_, s)| std::cmp::Reverse(s.memory)),
            4 => v.sort_by_key(|(t, _)| std::cmp::Reverse(c(t).misses)),
            5 => v.sort_by_key(|(t, _)| std::cmp::Reverse(c(t).invalidations)),
            _ => {}
        }
        v
    }

    /// Rows of the current view after its filter: (columns, what Enter opens).
    pub fn rows(&self) -> Vec<(Vec<String>, Option<Screen>)> {
        let v = self.view();
        let keep = |s: &str| v.filter.is_empty() || s.to_lowercase().contains(&v.filter.to_lowercase());
        match &v.screen {
            Screen::Tables => self
                .sorted_tables()
                .into_iter()
                .filter(|(t, _)| keep(t))
                .map(|(t, s)| {
                    let c = self.table_counters(t).cloned().unwrap_or_default();
                    (
                        vec![
                            t.clone(),
                            s.conj_keys.to_string(),
                            s.references.to_string(),
                            human_bytes(s.memory),
                            c.misses.to_string(),
                            c.invalidations.to_string(),
                        ],
                        Some(Screen::Table(t.clone())),
                    )
                })
                .collect(),
            Screen::Table(t) if *t == self.conj_table => self
                .conj_rows
                .iter()
                .filter(|r| keep(&r.conditions))
                .map(|r| {
                    (
                        vec![r.conditions.clone(), r.members.to_string(), ttl_text(r.ttl)],
                        Some(Screen::Key(r.key.clone())),
                    )
                })
                .collect(),
            Screen::Key(k) => match &self.key {
                Some(view) if view.key == *k => view
                    .members
                    .iter()
                    .enumerate()
                    .filter(|(_, (m, _))| keep(m))
                    .map(|(i, (m, ttl))| {
                        let opens = (*ttl != -2 && view.family == "conj").then(|| Screen::Key(m.clone()));
                        let mut cols = vec![m.clone()];
                        if let Some((family, size)) = view.member_info.get(i) {
                            cols.push(family.to_string());
                            cols.push(if *ttl == -2 {
                                "-".into()
                            } else {
                                human_bytes(*size)
                            });
                        }
                        cols.push(ttl_text(*ttl));
                        (cols, opens)
                    })
                    .collect(),
                _ => Vec::new(),
            },
            Screen::Keys => self
                .keys_rows
                .iter()
                .map(|r| {
                    (
                        vec![
                            r.key.clone(),
                            r.family.to_string(),
                            r.redis_type.clone(),
                            ttl_text(r.ttl),
                            human_bytes(r.memory),
                        ],
                        Some(Screen::Key(r.key.clone())),
                    )
                })
                .collect(),
            Screen::Stats => self
                .top_tables()
                .into_iter()
                .filter(|(t, _)| keep(t))
                .map(|(t, c)| {
                    (
                        vec![
                            t.clone(),
                            c.hits.to_string(),
                            c.misses.to_string(),
                            c.fills.to_string(),
                            c.invalidations.to_string(),
                            (c.expired + c.evicted).to_string(),
                        ],
                        Some(Screen::Table(t)),
                    )
                })
                .collect(),
            Screen::FileCache => match &self.filecache {
                Some(Ok(s)) => s
                    .largest
                    .iter()
                    .filter(|e| keep(&e.path))
                    .map(|e| {
                        let when = if e.expires_in_s <= 0 {
                            format!("{} ago", compact_duration(e.expires_in_s.unsigned_abs()))
                        } else {
                            format!("in {}", compact_duration(e.expires_in_s as u64))
                        };
                        let short = e
                            .path
                            .strip_prefix(&s.path)
                            .unwrap_or(&e.path)
                            .trim_start_matches('/');
                        (vec![short.to_string(), human_bytes(e.size), when], None)
                    })
                    .collect(),
                _ => Vec::new(),
            },
            Screen::Table(_) => Vec::new(),
        }
    }

    /// What the Key screen says above its members (or, for an entry, all
    /// it shows), wrapped to `width`: (line, is a heading).
    pub fn key_text(&self, width: usize) -> Vec<(String, bool)> {
        let Some(k) = &self.key else {
            return Vec::new();
        };
        if k.redis_type == "none" {
            return wrap(
                "no longer exists: deleted or expired since it was listed (Esc goes back)",
                width,
            )
            .into_iter()
            .map(|l| (l, true))
            .collect();
        }
        let mut lines: Vec<(String, bool)> = vec![(
            format!(
                "type {}  ttl {}  size {}  family {}",
                k.redis_type,
                if k.ttl < 0 {
                    "none".into()
                } else {
                    format!("{} s", k.ttl)
                },
                k.size,
                k.family
            ),
            false,
        )];
        lines.extend(k.conditions.iter().map(|c| (format!("condition {c}"), false)));
        if let Some(r) = &k.referenced_by {
            let what = if r.conj_keys.is_empty() {
                "held by no conj set: no invalidation reaches it".to_string()
            } else {
                format!(
                    "held by {} conj sets: {}",
                    r.conj_keys.len(),
                    r.conj_keys.join(", ")
                )
            };
            lines.push((what, false));
        }
        if k.lock {
            lines.push((
                "LOCK: a dog-pile lock, held while one client computes this entry".into(),
                false,
            ));
        }
        if let Some(text) = &self.key_value {
            lines.push(("value".into(), true));
            lines.extend(text.lines().map(|l| (format!("  {l}"), false)));
        }
        lines
            .into_iter()
            .flat_map(|(l, heading)| wrap_indented(&l, width).into_iter().map(move |r| (r, heading)))
            .collect()
    }

    /// How many rows `rows` would give, without building them where that is
    /// cheap to know (the paged views hold thousands).
    pub fn row_count(&self) -> usize {
        let v = self.view();
        match &v.screen {
            Screen::Keys => self.keys_rows.len(),
            Screen::Table(t) if v.filter.is_empty() && *t == self.conj_table => self.conj_rows.len(),
            _ => self.rows().len(),
        }
    }

    /// Tables by activity since the TUI started (misses, then invalidations).
    pub fn top_tables(&self) -> Vec<(String, stats::Counters)> {
        let mut v: Vec<(String, stats::Counters)> = self
            .stats
            .cumulative
            .tally
            .tables
            .iter()
            .map(|(t, c)| (t.clone(), c.clone()))
            .collect();
        v.sort_by_key(|(_, c)| std::cmp::Reverse((c.misses + c.hits, c.invalidations)));
        v
    }
}

/// A duration in its largest fitting unit, rounded: `45s`, `3m`, `24h`, `9d`
/// (short enough for a narrow column, so that it is never cut mid-number).
fn compact_duration(s: u64) -> String {
    let round = |unit: u64| (s + unit / 2) / unit;
    match s {
        0..120 => format!("{s}s"),
        120..7200 => format!("{}m", round(60)),
        7200..172_800 => format!("{}h", round(3600)),
        _ => format!("{}d", round(86_400)),
    }
}

fn ttl_text(ttl: i64) -> String {
    match ttl {
        -2 => "gone".into(),
        t if t < 0 => "-".into(),
        t => format!("{t} s"),
    }
}

/// `text` in lines of at most `width` characters, broken at spaces (a word
/// longer than a line is cut). Drawing wraps with it, and the state counts
/// lines with it, so that both agree on where a text ends.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if len + 1 + word.chars().count() <= width {
                line.push(' ');
                len += 1;
            } else {
                out.push(std::mem::take(&mut line));
                len = 0;
            }
        }
        for c in word.chars() {
            if len == width {
                out.push(std::mem::take(&mut line));
                len = 0;
            }
            line.push(c);
            len += 1;
        }
    }
    out.push(line);
    out
}

/// As `wrap`, continuation lines keeping the line's indent.
pub fn wrap_indented(line: &str, width: usize) -> Vec<String> {
    let body = line.trim_start_matches(' ');
    let indent = " ".repeat(line.len() - body.len());
    wrap(body, width.saturating_sub(indent.len()))
        .into_iter()
        .map(|r| format!("{indent}{r}"))
        .collect()
}
