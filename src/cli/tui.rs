//! `cacheops tui` (also `cacheops` alone on a terminal).

use clap::Args;

use cacheops::conn::Target;
use cacheops::error::{exit, Error, Result};
use cacheops::keys::Namespace;

use super::{load_settings, GlobalArgs};

/// Browse the cache interactively: tables, conditions, entries, decoded values
#[derive(Args, Debug, Default)]
#[command(
    after_help = "Keys: j/k or arrows move, Enter opens, Esc goes back, / filters, m loads more, ? shows all, q quits."
)]
pub struct TuiArgs {}

pub fn run(g: &GlobalArgs, _a: &TuiArgs) -> Result<i32> {
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
    cacheops::tui::run(target, Namespace::new(settings.prefix.clone()))?;
    Ok(exit::OK)
}
