//! `cacheops reap`: drop dead members from conj sets (`manage.py reapconjs`).

use clap::Args;
use serde_json::json;

use cacheops::error::{exit, Error, Result};
use cacheops::keys::Namespace;
use cacheops::layout::Layout;
use cacheops::reap::{self, ReapOptions};

use super::{confirm, connect, load_settings, GlobalArgs, Output};
use cacheops::units::human_bytes;

const EXAMPLES: &str = "\
Examples:
  cacheops reap                              # as manage.py reapconjs, with its defaults
  cacheops reap --min-conj-set-size 1 -v     # every conj set
  cacheops reap --dry-run --json
  cacheops reap --table blog_post --min-conj-set-size 1   # one table, every set
  cacheops --layout insideout reap --legacy-sets --dry-run   # after switching to CACHEOPS_INSIDEOUT";

/// Remove dead cache keys from conj sets, as `./manage.py reapconjs` does
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct ReapArgs {
    /// Members looked at per step (one script call, 250 at most)
    #[arg(long, default_value_t = 1000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub chunk_size: usize,
    /// Leave conj sets smaller than this alone
    #[arg(long, default_value_t = 1000)]
    pub min_conj_set_size: u64,
    /// Count dead members; remove nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Only this db_table's conj sets
    #[arg(long, value_name = "DB_TABLE")]
    pub table: Option<String>,
    /// Insideout layout: drop the classic conj sets left from before the switch
    /// (asks first; refused where no insideout conj key exists)
    #[arg(long)]
    pub legacy_sets: bool,
    /// Confirm --legacy-sets without asking (required when not on a terminal)
    #[arg(long)]
    pub yes: bool,
}

pub fn run(g: &GlobalArgs, a: &ReapArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let ns = Namespace::new(settings.prefix.clone());
    if a.legacy_sets && settings.layout != Some(Layout::InsideOut) {
        return Err(Error::Refused(
            "--legacy-sets drops every classic conj set: confirm this deployment runs insideout with \
             --layout insideout (or insideout: true in the config)"
                .into(),
        ));
    }
    let (target, mut con) = connect(&settings)?;
    let bar = out.progress();
    if a.legacy_sets {
        // Sets with no stamp beside them are a classic deployment (a wrong flag
        // or config), not one left from a switch: dropping them would leave
        // every cached entry beyond the reach of invalidation.
        let found = reap::conj_layouts(&mut con, &ns, &bar)?;
        if found.sets > 0 && found.stamps == 0 {
            return Err(Error::Refused(format!(
                "--legacy-sets: {} has {} classic conj sets and no insideout conj key: this data is classic, \
                 and dropping its conj sets would make every cached entry impossible to invalidate; \
                 run it once the application writes insideout data (CACHEOPS_INSIDEOUT = True)",
                target.describe(),
                found.sets
            )));
        }
        let n = if a.dry_run || found.sets == 0 {
            found.sets
        } else {
            confirm(a.yes, "`reap --legacy-sets`", &bar, || {
                Ok(format!(
                    "drop {} classic conj sets on {} ({} insideout conj keys stay)",
                    found.sets,
                    target.describe(),
                    found.stamps
                ))
            })?;
            reap::drop_legacy_sets(&mut con, &ns, &bar)?
        };
        drop(bar);
        if out.json {
            out.print_json(&json!({"redis": target.describe(), "legacy_sets": n, "insideout_conj_keys": found.stamps, "dry_run": a.dry_run}));
        } else if !out.quiet {
            let verb = if a.dry_run { "would drop" } else { "dropped" };
            out.print(&format!(
                "{}: {verb} {n} classic conj sets left from before insideout",
                target.describe()
            ));
        }
        return Ok(exit::OK);
    }
    let opts = ReapOptions {
        chunk_size: a.chunk_size,
        min_conj_set_size: a.min_conj_set_size,
        dry_run: a.dry_run,
        table: a.table.clone(),
        layout: settings.layout,
    };
    let r = reap::reap(&mut con, &ns, &opts, &bar)?;
    drop(bar);
    if out.json {
        let mut v = serde_json::to_value(&r).unwrap_or_default();
        v["redis"] = json!(target.describe());
        out.print_json(&v);
        return Ok(exit::OK);
    }
    if r.conj_sets == 0 && r.insideout_conj_keys > 0 {
        out.note(
            "these conj keys are insideout stamps, not sets: reaping applies to the classic layout only \
             (cache entries of the insideout layout expire on their own)",
        );
    }
    if out.quiet {
        return Ok(exit::OK);
    }
    let verb = if r.dry_run { "would remove" } else { "removed" };
    let mut t = out.table(&[
        "conj sets",
        "reaped (>= min size)",
        "members checked",
        "dead members",
        "sets emptied",
        "memory",
    ]);
    t.add_row(vec![
        r.conj_sets.to_string(),
        r.conj_sets_reaped.to_string(),
        r.members_checked.to_string(),
        r.members_removed.to_string(),
        r.sets_emptied.to_string(),
        format!(
            "{} -> {}",
            human_bytes(r.memory_before),
            human_bytes(r.memory_after)
        ),
    ]);
    out.print(&format!(
        "{}: {verb} {} dead members in {:.2} s",
        target.describe(),
        r.members_removed,
        r.duration_s
    ));
    out.print(&t.to_string());
    Ok(exit::OK)
}
