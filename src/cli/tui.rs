//! `cacheops tui` (also `cacheops` alone on a terminal).

use clap::Args;

use cacheops::conn::Target;
use cacheops::error::{exit, Error, Result};
use cacheops::keys::Namespace;
use cacheops::tui::{AppConfig, WorkerConfig};

use super::{load_settings, GlobalArgs};

/// Browse the cache interactively: tables, conditions, entries, decoded values
#[derive(Args, Debug, Default)]
#[command(
    after_help = "Keys: j/k or arrows move, Enter opens, Esc goes back, Tab switches views (Tables, Keys, Stats, \
File cache), / filters, i/o/I invalidate, d deletes, R reaps (each confirmed first), ? shows all, q quits.

Examples:
  cacheops tui
  cacheops --redis redis://cache:6379/1 tui --read-only
  cacheops --prefix site1: tui"
)]
pub struct TuiArgs {
    /// Offer no action that writes (also `read_only: true` in the config)
    #[arg(long)]
    pub read_only: bool,
}

pub fn run(g: &GlobalArgs, a: &TuiArgs) -> Result<i32> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "the TUI needs a terminal; for scripts see `cacheops inspect --json`".into(),
        ));
    }
    let settings = load_settings(g)?;
    let target = Target::from_setting(&settings.redis)?;
    // Fail fast with the usual message when Redis is not there at all.
    drop(target.connect()?);
    let worker = WorkerConfig {
        target,
        ns: Namespace::new(settings.prefix.clone()),
        layout: settings.layout,
        file_cache_dir: settings.file_cache_dir.clone(),
        database: settings.database.clone(),
        use_tz: settings.use_tz,
        stats: true,
    };
    let config = AppConfig {
        registry: settings.models.clone(),
        read_only: a.read_only || settings.read_only,
    };
    cacheops::tui::run(worker, config)?;
    Ok(exit::OK)
}
