//! `cacheops keys`: stream the keys of a family or a table.

use std::io::Write;

use clap::Args;

use cacheops::error::{exit, Error, Result};
use cacheops::inspect::{list_keys, FamilyFilter, KeyFilter};
use cacheops::keys::Namespace;

use super::{connect, load_settings, GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  cacheops keys --family conj --table articles_article
  cacheops keys --family q --limit 20
  cacheops keys --family lock                  # dog-pile locks being held
  cacheops keys --match 'site1:c:*' --json     # JSON lines: {\"key\", \"family\", \"table\"}";

/// List keys (SCAN, never KEYS), one per line
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct KeysArgs {
    /// q | as | asp | c | conj | schemes | signal | lock | other
    #[arg(long)]
    pub family: Option<String>,
    /// Only conj and schemes keys of this db_table
    #[arg(long)]
    pub table: Option<String>,
    /// A Redis glob matched against the whole key (prefix included)
    #[arg(long = "match", value_name = "GLOB")]
    pub glob: Option<String>,
    /// Stop after this many keys (0: none)
    #[arg(long)]
    pub limit: Option<u64>,
}

pub fn run(g: &GlobalArgs, a: &KeysArgs, out: &Output) -> Result<i32> {
    let family = match &a.family {
        None => None,
        Some(f) => Some(FamilyFilter::parse(f).ok_or_else(|| {
            Error::Usage(format!(
                "unknown family {f:?}: use q, as, asp, c, conj, schemes, signal, lock or other"
            ))
        })?),
    };
    let settings = load_settings(g)?;
    let (_target, mut con) = connect(&settings)?;
    let ns = Namespace::new(settings.prefix.clone());
    let filter = KeyFilter {
        family,
        table: a.table.clone(),
        glob: a.glob.clone(),
    };
    // As `head -n 0`: nothing. (The walk below prints before it checks.)
    if a.limit == Some(0) {
        return Ok(exit::OK);
    }
    let mut shown = 0u64;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let not_utf8 = list_keys(
        &mut con,
        &ns,
        &filter,
        |info| {
            let line = if out.json {
                serde_json::to_string(&info).unwrap_or_default()
            } else {
                info.key
            };
            // A closed pipe (`| head`) ends the walk quietly.
            if writeln!(w, "{line}").is_err() {
                return false;
            }
            shown += 1;
            a.limit.is_none_or(|l| shown < l)
        },
        |odd| {
            out.warn(&format!(
                "skipped {}: {}; --family other lists it",
                odd.key,
                odd.why()
            ))
        },
    )?;
    let _ = w.flush();
    if not_utf8 > 0 {
        out.warn(&format!(
            "{not_utf8} keys are not UTF-8 and were not listed (cacheops never writes such keys; redis-cli --scan shows them)"
        ));
    }
    Ok(exit::OK)
}
