//! `cacheops invalidate --stdin`: JSON lines of changed rows (or labels),
//! applied in pipelined batches; a bad line is reported and skipped.

use std::io::BufRead;

use serde_json::json;

use cacheops::database::Database;
use cacheops::error::{exit, Error, Result};
use cacheops::invalidate::{parse_change, Change, Invalidator, Outcome, Row, Step};
use cacheops::keys::Namespace;
use cacheops::labels::Label;

use super::invalidate::{IfMissing, InvalidateArgs};
use super::{connect, load_settings, GlobalArgs, Output};

/// Rows sent to Redis in one round trip.
const BATCH: usize = 500;

#[derive(Default)]
struct Totals {
    lines: u64,
    rows: u64,
    labels: u64,
    conj_keys: u64,
    cache_keys: u64,
    bad: Vec<(u64, String)>,
}

impl Totals {
    fn add(&mut self, o: &Outcome) {
        self.conj_keys += o.conj_keys;
        self.cache_keys += o.cache_keys;
    }
}

pub fn run(g: &GlobalArgs, a: &InvalidateArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let (target, mut con) = connect(&settings)?;
    let mut inv = Invalidator::new(&mut con, Namespace::new(settings.prefix.clone()), settings.layout)
        .dry_run(a.dry_run, false)
        .scan_connection(target.connect()?);
    let mut db = match a.database.as_ref().or(settings.database.as_ref()) {
        Some(url) => Some(Database::open(url)?),
        None => None,
    };
    let mut t = Totals::default();
    let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
    let mut stdin = std::io::stdin().lock();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = stdin
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::Io(format!("reading stdin: {e}")))?;
        if n == 0 {
            break;
        }
        t.lines += 1;
        let line_no = t.lines;
        let Ok(line) = std::str::from_utf8(&buf) else {
            bad(out, &mut t, line_no, "not UTF-8".into());
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_change(line) {
            Err(e) => bad(out, &mut t, line_no, e),
            Ok(Change::Row { table, obj }) => {
                batch.push(Row {
                    label: format!("line {line_no}"),
                    table,
                    fields: obj,
                });
                if batch.len() >= BATCH {
                    flush(&mut inv, &mut batch, &mut t)?;
                }
            }
            Ok(Change::Label(text)) => {
                // In order: the rows before a label are applied before it.
                flush(&mut inv, &mut batch, &mut t)?;
                let step = match Label::parse(&text) {
                    Ok(Label::All) => {
                        bad(
                            out,
                            &mut t,
                            line_no,
                            "`all` is not taken from a stream: run `cacheops invalidate all`".into(),
                        );
                        continue;
                    }
                    Ok(l) => Step::resolve(&l, &settings.models),
                    Err(e) => {
                        bad(out, &mut t, line_no, e.to_string());
                        continue;
                    }
                };
                if !inv.known(&step)? {
                    if !a.missing_ok {
                        bad(
                            out,
                            &mut t,
                            line_no,
                            format!("{text}: unknown to Redis and to the config"),
                        );
                    }
                    continue;
                }
                // A row label reads the row when there is a database, as on the command line.
                let row = match (&step, db.as_mut()) {
                    (Step::Object(m, pk), Some(db)) => match db.read_row(m, pk, settings.use_tz)? {
                        Some(r) => {
                            for g in &r.guesses {
                                out.warn(&format!("line {line_no}: guessed: {g}"));
                            }
                            Some(r.fields)
                        }
                        None if a.if_missing == IfMissing::Conservative => None,
                        None => {
                            bad(
                                out,
                                &mut t,
                                line_no,
                                format!("{text}: no such row in the database"),
                            );
                            continue;
                        }
                    },
                    _ => None,
                };
                let o = inv.apply(&text, &step, row.as_ref(), false)?;
                t.add(&o);
                t.labels += 1;
            }
        }
    }
    flush(&mut inv, &mut batch, &mut t)?;
    drop(inv);

    let verb = if a.dry_run { "would delete" } else { "deleted" };
    if out.json {
        out.print_json(&json!({
            "redis": target.describe(),
            "dry_run": a.dry_run,
            "lines": t.lines,
            "rows": t.rows,
            "labels": t.labels,
            "bad_lines": t.bad.iter().map(|(n, e)| json!({"line": n, "error": e})).collect::<Vec<_>>(),
            "conj_keys": t.conj_keys,
            "cache_keys": t.cache_keys,
        }));
    } else if !out.quiet || !t.bad.is_empty() {
        out.print(&format!(
            "{}: {} lines: {} rows and {} labels applied, {} bad; {verb} {} conj keys and {} cache keys",
            target.describe(),
            t.lines,
            t.rows,
            t.labels,
            t.bad.len(),
            t.conj_keys,
            t.cache_keys
        ));
    }
    Ok(if t.bad.is_empty() { exit::OK } else { exit::FAILURE })
}

fn bad(out: &Output, t: &mut Totals, line: u64, why: String) {
    out.warn(&format!("line {line}: {why}; skipped"));
    t.bad.push((line, why));
}

fn flush(inv: &mut Invalidator, batch: &mut Vec<Row>, t: &mut Totals) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    for o in inv.invalidate_rows(batch)? {
        t.add(&o);
        t.rows += 1;
    }
    batch.clear();
    Ok(())
}
