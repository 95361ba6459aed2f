//! Invalidating whole tables: every conj key of the table, found by SCAN,
//! dropped with its cache keys in bounded script calls.

use std::collections::BTreeSet;

use super::scripts::{self, DrainReply};
use super::{Invalidator, Outcome, KEYS_PER_CALL, MEMBER_BUDGET};
use crate::error::{Error, Result};
use crate::labels::{AppTables, ModelRef};
use crate::layout::Layout;
use crate::scan::{sscan_all, Page, Scan};

impl Invalidator<'_> {
    /// `invalidate_model`: everything cached for one table.
    pub fn invalidate_model(&mut self, label: &str, m: &ModelRef) -> Result<Outcome> {
        let mut out = Outcome::new(label);
        let pattern = self.ns.conj_pattern(&m.db_table);
        let table = m.db_table.clone();
        self.drain_matching(&pattern, &mut out, |t, _| t == table)?;
        out.tables = vec![m.db_table.clone()];
        Ok(out)
    }

    /// Every table of an app, including auto-created M2M through tables.
    pub fn invalidate_app(&mut self, label: &str, app: &AppTables) -> Result<Outcome> {
        let mut out = Outcome::new(label);
        let mut seen = BTreeSet::new();
        let pattern = self.ns.conj_pattern_tables_starting(&app.table_start());
        self.drain_matching(&pattern, &mut out, |t, _| {
            let mine = app.claims(t);
            if mine {
                seen.insert(t.to_string());
            }
            mine
        })?;
        // Registered tables named otherwise (Meta.db_table) need their own walk.
        for t in app
            .registered
            .iter()
            .filter(|t| !t.starts_with(&app.table_start()))
        {
            let pattern = self.ns.conj_pattern(t);
            let table = t.clone();
            self.drain_matching(&pattern, &mut out, |k, _| k == table)?;
            seen.insert(t.clone());
        }
        out.tables = seen.into_iter().collect();
        let ambiguous = app.ambiguous(&out.tables);
        if !ambiguous.is_empty() {
            out.notes.push(format!(
                "included by name only: {} (a table of another app whose label starts with {}_ would look the same; \
                 list that app's models under models: to exclude them)",
                ambiguous.join(", "),
                app.app
            ));
        }
        if out.tables.is_empty() {
            out.notes.push(format!("nothing is cached for app {}", app.app));
        }
        Ok(out)
    }

    /// Whether cacheops ever cached anything for the table: its schemes set is
    /// written with the first cached query and never expires. Probed without a
    /// keymiss event (see `probe`).
    pub fn table_known(&mut self, table: &str) -> Result<bool> {
        crate::probe::exists(self.con, &self.ns.schemes_key(table))
    }

    /// Whether Redis knows any table of the app (see `table_known`). Walks
    /// the schemes keys by SCAN, stopping at the first of the app's tables.
    pub fn app_known(&mut self, app: &AppTables) -> Result<bool> {
        for t in &app.registered {
            if self.table_known(t)? {
                return Ok(true);
            }
        }
        let start = self.ns.schemes_key("");
        let mut scan = Scan::new(self.ns.schemes_pattern_tables_starting(&app.table_start()));
        while let Some(page) = scan.next_page(self.con)? {
            let (keys, _) = page.utf8_keys();
            if keys.iter().any(|k| app.claims(&k[start.len()..])) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// SCANs `pattern`, keeps conj keys whose table (and key) `keep` accepts,
    /// and drops them in bounded batches. With a second connection the SCAN
    /// runs on its own thread, a few pages ahead of the drops: Redis' time is
    /// the floor, round trips no longer add to it.
    pub(crate) fn drain_matching(
        &mut self,
        pattern: &str,
        out: &mut Outcome,
        mut keep: impl FnMut(&str, &str) -> bool,
    ) -> Result<()> {
        let mut pending: Vec<String> = Vec::new();
        let Some(mut scan_con) = self.scan_con.take() else {
            let mut scan = Scan::new(pattern);
            while let Some(page) = scan.next_page(self.con)? {
                self.take_page(page, &mut pending, &mut keep, out)?;
            }
            return self.flush_pending(&mut pending, out);
        };
        let result = std::thread::scope(|s| {
            // Bounded: the scanner waits when the drops fall behind.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Page>>(4);
            let pattern = pattern.to_string();
            let con = &mut scan_con;
            s.spawn(move || {
                let mut scan = Scan::new(pattern);
                loop {
                    match scan.next_page(con) {
                        // A failed send: the receiver stopped on an error; stop too.
                        Ok(Some(page)) => {
                            if tx.send(Ok(page)).is_err() {
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                }
            });
            for page in rx {
                self.take_page(page?, &mut pending, &mut keep, out)?;
            }
            self.flush_pending(&mut pending, out)
        });
        self.scan_con = Some(scan_con);
        result
    }

    fn take_page(
        &mut self,
        page: Page,
        pending: &mut Vec<String>,
        keep: &mut impl FnMut(&str, &str) -> bool,
        out: &mut Outcome,
    ) -> Result<()> {
        let start = self.ns.prefix.len() + "conj:".len();
        let fraction = page.fraction;
        // cacheops builds conj keys from UTF-8 text: others cannot be its keys.
        let (keys, _not_utf8) = page.utf8_keys();
        for key in keys {
            let Some((table, _)) = key.get(start..).and_then(|r| r.split_once(':')) else {
                continue;
            };
            if keep(table, &key) {
                pending.push(key);
            }
        }
        while pending.len() >= KEYS_PER_CALL {
            let batch: Vec<String> = pending.drain(..KEYS_PER_CALL).collect();
            self.drop_conj_keys(&batch, out)?;
        }
        let msg = format!(
            "{}: {} conj keys, {} cache keys",
            out.label, out.conj_keys, out.cache_keys
        );
        self.progress.update(fraction, &msg);
        Ok(())
    }

    fn flush_pending(&mut self, pending: &mut Vec<String>, out: &mut Outcome) -> Result<()> {
        if !pending.is_empty() {
            let batch = std::mem::take(pending);
            self.drop_conj_keys(&batch, out)?;
        }
        Ok(())
    }

    /// Drops a batch of conj keys with their cache keys (classic) or alone
    /// (insideout), checking the batch's layout first.
    pub(crate) fn drop_conj_keys(&mut self, keys: &[String], out: &mut Outcome) -> Result<()> {
        if self.dry_run {
            return self.count_conj_keys(keys, out);
        }
        let mut rest = keys;
        while !rest.is_empty() {
            // The script checks the keys' types against the layout known so far
            // (config, flag or earlier batches) before it changes anything.
            let expected = self.seen.or(self.configured);
            match scripts::drain(self.con, rest, expected, MEMBER_BUDGET)? {
                DrainReply::Progress {
                    done,
                    partial,
                    conj,
                    cache,
                    layout,
                } => {
                    if let Some(l) = layout {
                        self.settle_layout(Some(l), "")?;
                        out.layout = Some(l.name());
                    }
                    out.conj_keys += conj;
                    out.cache_keys += cache;
                    rest = &rest[done..];
                    if !partial {
                        break;
                    }
                }
                DrainReply::Conflict { key, found_type } => {
                    let found = Layout::from_conj_type(&found_type);
                    let why = match (expected, found) {
                        (_, None) => not_a_conj_key(&key, &found_type),
                        (Some(e), Some(f)) if self.seen.is_none() => format!(
                            "the config says the {e} layout but Redis holds {f} data: {key} is a {found_type}; \
                             fix CACHEOPS_INSIDEOUT / insideout: / --layout"
                        ),
                        (Some(e), _) => format!("{key} is a {found_type}, not a {}", e.conj_type()),
                        (None, _) => format!("conj keys of both layouts, e.g. {key} ({found_type})"),
                    };
                    return Err(self.stopped(out, why));
                }
            }
        }
        Ok(())
    }

    /// A dry run's count of a batch: read-only, checks the layout the same way.
    fn count_conj_keys(&mut self, keys: &[String], out: &mut Outcome) -> Result<()> {
        let types = crate::probe::types(self.con, keys)?;
        let mut found: Option<(Layout, &str)> = None;
        for (k, t) in keys.iter().zip(&types) {
            let Some(l) = Layout::from_conj_type(t) else {
                // The drain script refuses such a key: so does the dry run.
                if t != "none" {
                    return Err(self.stopped(out, not_a_conj_key(k, t)));
                }
                continue;
            };
            match found {
                Some((f, fk)) if f != l => {
                    return Err(self.stopped(out, format!("{fk} is a {}, {k} is a {t}", f.conj_type())));
                }
                None => found = Some((l, k)),
                _ => {}
            }
        }
        let evidence = found
            .map(|(l, k)| format!("{k} is a {}", l.conj_type()))
            .unwrap_or_default();
        let Some(layout) = self.settle_layout(found.map(|(l, _)| l), &evidence)? else {
            return Ok(());
        };
        out.layout = Some(layout.name());
        let existing: Vec<&String> = keys
            .iter()
            .zip(&types)
            .filter(|(_, t)| *t != "none")
            .map(|(k, _)| k)
            .collect();
        out.conj_keys += existing.len() as u64;
        if layout == Layout::Classic && !existing.is_empty() {
            let mut pipe = redis::pipe();
            for k in &existing {
                pipe.cmd("SCARD").arg(*k);
            }
            let cards: Vec<u64> = pipe.query(self.con)?;
            out.cache_keys += cards.iter().sum::<u64>();
        }
        if self.list_keys {
            for k in existing {
                out.keys.push(k.clone());
                if layout == Layout::Classic {
                    let mut members = Vec::new();
                    sscan_all(self.con, k, |page| {
                        members.extend(page);
                        Ok(())
                    })?;
                    out.keys.extend(members);
                }
            }
        }
        Ok(())
    }

    pub(crate) fn stopped(&self, out: &Outcome, why: String) -> Error {
        let done = if out.conj_keys == 0 && out.cache_keys == 0 {
            "nothing was changed".to_string()
        } else {
            format!(
                "stopped after dropping {} conj keys and {} cache keys",
                out.conj_keys, out.cache_keys
            )
        };
        Error::Refused(format!("{}: layout conflict ({why}); {done}", out.label))
    }
}

/// Why a key of a type neither layout writes stops an invalidation.
fn not_a_conj_key(key: &str, found_type: &str) -> String {
    format!(
        "{key} is a {found_type}, which no cacheops layout writes (classic: set, insideout: string): \
         someone else's key; rename or delete it"
    )
}
