//! `cacheops invalidate LABEL...`

use clap::Args;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use serde_json::{json, Map, Value};

use cacheops::config::Settings;
use cacheops::database::Database;
use cacheops::error::{exit, Error, Result};
use cacheops::invalidate::{Invalidator, Outcome, Step};
use cacheops::keys::Namespace;
use cacheops::labels::Label;

use super::output::Bar;
use super::{confirm, connect, load_settings, GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  # One row, as `./manage.py invalidate articles.Article.34` does, read from the app's database:
  cacheops invalidate articles.Article.34 --database sqlite:////srv/app/db.sqlite3
  # ... or with the row's values given:
  cacheops invalidate articles.Article.34 --fields '{\"id\":34,\"category_id\":3,\"is_published\":true}'
  # Everything cached for a model, for a whole app, or for several labels:
  cacheops invalidate articles.Article
  cacheops invalidate articles shop.Product
  # See what would go first, with the keys:
  cacheops invalidate articles.Article --dry-run -v
  # Rows changed behind cacheops' back (a Go service, a migration), one JSON line each,
  # {\"table\": \"articles_article\", \"obj\": {\"id\": 34, \"category_id\": 3}}:
  cacheops invalidate --stdin < changed-rows.jsonl
  # Everything (FLUSHDB, or only the prefix's keys when a prefix is set):
  cacheops --redis redis://127.0.0.1:6379/1 invalidate all --yes";

/// Invalidate cached data as `./manage.py invalidate` does
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct InvalidateArgs {
    /// all | <app> | <app>.<Model> | <app>.<Model>.<pk>  (model names are case-insensitive)
    #[arg(required_unless_present = "stdin", value_name = "LABEL", add = ArgValueCompleter::new(complete_label))]
    pub labels: Vec<String>,
    /// Read changes from stdin, one JSON object a line: {"table": "<db_table>", "obj": {<attname>: value}}
    /// (a row's values as cacheops serializes them: exact) or {"label": "app.Model[.pk]"}
    #[arg(long, conflicts_with_all = ["labels", "fields", "yes", "flushdb"])]
    pub stdin: bool,
    /// The row's field values for an <app>.<Model>.<pk> label, as cacheops serializes them
    /// (attname -> value JSON object); without it a pk is invalidated conservatively
    #[arg(long, value_name = "JSON")]
    pub fields: Option<String>,
    /// Show what would be deleted; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask before `all` (required when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// With a prefix, make `all` FLUSHDB the whole db instead of deleting the prefix's keys
    #[arg(long)]
    pub flushdb: bool,
    /// A label whose tables Redis has never seen is a no-op (with a note), not exit 5
    #[arg(long)]
    pub missing_ok: bool,
    /// The application's database, to read an <app>.<Model>.<pk> row and invalidate it exactly
    /// (sqlite:///path, postgres://user@host/db, mysql://user@host/db; also `database:` in the
    /// config and DATABASE_URL)
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// What to do when the database has no such row: fail (as manage.py), or invalidate by pk alone
    #[arg(long, value_enum, default_value_t = IfMissing::Error)]
    pub if_missing: IfMissing,
}

/// Shell completion of labels (`source <(COMPLETE=bash cacheops)`): from the
/// registry of the config file found as usual; nothing when there is none.
fn complete_label(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let Ok(settings) = Settings::load(&cacheops::config::Overrides::default()) else {
        return Vec::new();
    };
    cacheops::labels::candidates(&settings.models, current)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfMissing {
    Error,
    Conservative,
}

pub fn run(g: &GlobalArgs, a: &InvalidateArgs, out: &Output) -> Result<i32> {
    if a.stdin {
        return super::invalidate_stdin::run(g, a, out);
    }
    let labels: Vec<Label> = a.labels.iter().map(|l| Label::parse(l)).collect::<Result<_>>()?;
    let fields = parse_fields(a, &labels)?;
    let settings = load_settings(g)?;
    // Resolve every label before touching Redis: a typo must not leave half the work done.
    let plan: Vec<(&str, Step)> = a
        .labels
        .iter()
        .zip(&labels)
        .map(|(text, label)| (text.as_str(), Step::resolve(label, &settings.models)))
        .collect();
    // Rows read from the database, also before Redis: a missing row writes nothing.
    let rows = read_rows(a, &settings, &plan, fields.is_some(), out)?;

    let (target, mut con) = connect(&settings)?;
    let bar = out.progress();
    let mut inv = Invalidator::new(&mut con, Namespace::new(settings.prefix.clone()), settings.layout)
        .dry_run(a.dry_run, out.verbose > 0)
        .progress(&bar);
    if plan.iter().any(|(_, s)| !matches!(s, Step::All)) {
        inv = inv.scan_connection(target.connect()?);
    }

    // Labels Redis knows nothing of are typos or unregistered Meta.db_table models:
    // refuse them all before any deletion.
    let mut unknown = Vec::new();
    for (text, step) in &plan {
        if !inv.known(step)? {
            unknown.push(*text);
        }
    }
    if !unknown.is_empty() && !a.missing_ok {
        return Err(Error::Unknown(format!(
            "unknown to Redis and to the config: {} (nothing was ever cached for {}; a typo, or a model with \
             Meta.db_table to list under models:? --missing-ok makes this a no-op); nothing was deleted",
            unknown.join(", "),
            if unknown.len() == 1 { "its table" } else { "their tables" }
        )));
    }

    // `all` is confirmed before any label deletes anything.
    if !a.dry_run && plan.iter().any(|(_, s)| matches!(s, Step::All)) {
        confirm_all(&mut inv, &bar, &target.describe(), a)?;
    }

    let mut outcomes: Vec<Outcome> = Vec::new();
    for (text, step) in &plan {
        if unknown.contains(text) {
            let mut o = Outcome::new(text);
            o.notes
                .push("nothing was ever cached for this label's tables: skipped (--missing-ok)".into());
            outcomes.push(o);
            continue;
        }
        let row = rows.iter().find(|(t, _)| t == text).and_then(|(_, r)| r.as_ref());
        let mut o = inv.apply(text, step, fields.as_ref().or(row), a.flushdb)?;
        if row.is_some() {
            o.notes
                .push("exact: the row's values were read from the database".into());
        }
        if !o.exact {
            o.notes.push(
                "to invalidate exactly, give the row: --fields '<json>', or --database URL to read it".into(),
            );
        }
        outcomes.push(o);
    }
    drop(inv);
    drop(bar);
    report(out, &target.describe(), &settings.prefix, a.dry_run, &outcomes);
    Ok(exit::OK)
}

/// A row's invalidation dict, when there is one.
type RowFields = Option<Map<String, Value>>;

/// For each `app.Model.pk` label, the row's invalidation dict read from the
/// database (`None`: no database, or a missing row under `--if-missing
/// conservative`).
fn read_rows(
    a: &InvalidateArgs,
    settings: &Settings,
    plan: &[(&str, Step)],
    have_fields: bool,
    out: &Output,
) -> Result<Vec<(String, RowFields)>> {
    let url = a.database.as_ref().or(settings.database.as_ref());
    let objects: Vec<_> = plan
        .iter()
        .filter_map(|(t, s)| match s {
            Step::Object(m, pk) => Some((*t, m, pk)),
            _ => None,
        })
        .collect();
    let (Some(url), false, false) = (url, objects.is_empty(), have_fields) else {
        return Ok(Vec::new());
    };
    let mut db = Database::open(url)?;
    let mut rows = Vec::new();
    for (text, m, pk) in objects {
        match db.read_row(m, pk, settings.use_tz)? {
            Some(r) => {
                // A wrong guess makes the invalidation inexact: said even with -q.
                for g in &r.guesses {
                    out.warn(&format!("{text}: guessed: {g}"));
                }
                rows.push((text.to_string(), Some(r.fields)));
            }
            None if a.if_missing == IfMissing::Conservative => {
                out.note(&format!(
                    "{text}: no such row in the database: invalidating by pk alone (--if-missing conservative)"
                ));
                rows.push((text.to_string(), None));
            }
            None => {
                return Err(Error::Unknown(format!(
                    "{text}: no row with {}={pk} in {} of the database (as manage.py invalidate says: \
                     does not exist; --if-missing conservative invalidates by pk alone); nothing was deleted",
                    m.pk_field, m.db_table
                )))
            }
        }
    }
    Ok(rows)
}

fn parse_fields(a: &InvalidateArgs, labels: &[Label]) -> Result<Option<Map<String, Value>>> {
    let Some(text) = &a.fields else { return Ok(None) };
    let objects = labels
        .iter()
        .filter(|l| matches!(l, Label::Object { .. }))
        .count();
    if objects != 1 || labels.len() != 1 {
        return Err(Error::Usage(
            "--fields goes with exactly one <app>.<Model>.<pk> label".into(),
        ));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(Error::Usage(
            "--fields must be a JSON object of attname -> value".into(),
        )),
        Err(e) => Err(Error::Usage(format!("--fields is not valid JSON: {e}"))),
    }
}

/// `all` deletes data that may not be cacheops': say what, and ask.
fn confirm_all(inv: &mut Invalidator, bar: &Bar, target: &str, a: &InvalidateArgs) -> Result<()> {
    confirm(a.yes, "`invalidate all`", bar, || {
        let census = inv.census()?;
        let prefix = &inv.namespace().prefix;
        Ok(if prefix.is_empty() || a.flushdb {
            format!(
                "FLUSHDB on {target}: {} keys, {} of them not recognisably cacheops'",
                census.db_keys, census.not_cacheops
            )
        } else {
            let under: u64 = census.families.values().sum();
            format!(
                "delete the {under} keys under prefix {prefix:?} on {target} ({} keys in the db)",
                census.db_keys
            )
        })
    })
}

fn report(out: &Output, target: &str, prefix: &str, dry_run: bool, outcomes: &[Outcome]) {
    let total = |f: fn(&Outcome) -> u64| outcomes.iter().map(f).sum::<u64>();
    if out.json {
        out.print_json(&json!({
            "redis": target,
            "prefix": prefix,
            "dry_run": dry_run,
            "results": outcomes,
            "totals": {
                "conj_keys": total(|o| o.conj_keys),
                "cache_keys": total(|o| o.cache_keys),
                "other_keys": total(|o| o.other_keys),
            },
        }));
        return;
    }
    if out.quiet {
        return;
    }
    let verb = if dry_run { "would delete" } else { "deleted" };
    let mut t = out.table(&["label", "tables", "layout", "conj keys", "cache keys"]);
    for o in outcomes {
        let (conj, cache) = if o.flushed {
            ("FLUSHDB".to_string(), format!("{} keys", o.other_keys))
        } else if o.label == "all" {
            ("-".to_string(), format!("{} keys", o.other_keys))
        } else {
            (o.conj_keys.to_string(), o.cache_keys.to_string())
        };
        t.add_row(vec![
            o.label.clone(),
            o.tables.join(", "),
            o.layout.unwrap_or("-").to_string(),
            conj,
            cache,
        ]);
    }
    out.print(&format!("{target}: {verb}"));
    out.print(&t.to_string());
    for o in outcomes {
        for n in &o.notes {
            out.note(&format!("{}: {n}", o.label));
        }
        for k in &o.keys {
            out.print(&format!("  {k}"));
        }
    }
    if dry_run {
        out.note("dry run: nothing was changed (cache key counts are conj set sizes, an upper bound)");
    }
}
