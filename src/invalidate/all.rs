//! `invalidate all`: FLUSHDB as cacheops does, or only the prefix's keys.

use super::{Invalidator, Outcome};
use crate::error::Result;
use crate::inspect::Census;
use crate::scan::Scan;

impl Invalidator<'_> {
    /// What the db holds, for the `all` confirmation (see `inspect::census`).
    pub fn census(&mut self) -> Result<Census> {
        crate::inspect::census(self.con, &self.ns, self.progress)
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
