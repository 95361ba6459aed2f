//! `invalidate all`: FLUSHDB as cacheops does, or only the prefix's keys.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Invalidator, Outcome};
use crate::error::Result;
use crate::keys::Family;
use crate::scan::Scan;

/// What a db (or a prefix of it) holds, by key family.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Census {
    /// DBSIZE: every key of the db, ours or not.
    pub db_keys: u64,
    /// Keys under the prefix, by family.
    pub families: BTreeMap<&'static str, u64>,
    /// Keys of the db that are not recognisably cacheops': outside the prefix,
    /// or under it with no cacheops family.
    pub not_cacheops: u64,
}

impl Invalidator<'_> {
    /// Counts the db's keys by family with SCAN (bounded steps).
    pub fn census(&mut self) -> Result<Census> {
        let db_keys: u64 = redis::cmd("DBSIZE").query(self.con)?;
        let mut c = Census {
            db_keys,
            ..Default::default()
        };
        let mut ours = 0u64;
        let mut scan = Scan::new(self.ns.all_pattern());
        while let Some(page) = scan.next_page(self.con)? {
            for k in &page.keys {
                let fam = std::str::from_utf8(k)
                    .ok()
                    .and_then(|k| self.ns.family(k))
                    .unwrap_or(Family::Other);
                *c.families.entry(fam.name()).or_default() += 1;
                if fam != Family::Other {
                    ours += 1;
                }
            }
            self.progress.update(page.fraction, "counting keys");
        }
        c.not_cacheops = db_keys.saturating_sub(ours);
        Ok(c)
    }

    /// With no prefix (or `flushdb`), FLUSHDB like cacheops' invalidate_all;
    /// with a prefix, UNLINK only the prefix's keys, page by page.
    pub fn invalidate_all(&mut self, label: &str, flushdb: bool) -> Result<Outcome> {
        let mut out = Outcome::new(label);
        if self.ns.prefix.is_empty() || flushdb {
            out.flushed = true;
            if self.dry_run {
                out.other_keys = redis::cmd("DBSIZE").query(self.con)?;
            } else {
                out.other_keys = redis::cmd("DBSIZE").query(self.con)?;
                redis::cmd("FLUSHDB").query::<()>(self.con)?;
            }
            return Ok(out);
        }
        let mut scan = Scan::new(self.ns.all_pattern());
        while let Some(page) = scan.next_page(self.con)? {
            if !page.keys.is_empty() {
                if self.dry_run {
                    out.other_keys += page.keys.len() as u64;
                    if self.list_keys {
                        out.keys
                            .extend(page.keys.iter().map(|k| String::from_utf8_lossy(k).into_owned()));
                    }
                } else {
                    let n: u64 = redis::cmd("UNLINK").arg(&page.keys).query(self.con)?;
                    out.other_keys += n;
                }
            }
            self.progress
                .update(page.fraction, &format!("{}: {} keys", label, out.other_keys));
        }
        Ok(out)
    }
}
