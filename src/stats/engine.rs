//! The stats engine: a state machine fed with keyevent notifications, in the
//! order Redis publishes them, that counts per table and in total. No I/O
//! here, so every rule is tested with plain event sequences.
//!
//! cacheops' scripts run atomically and their events arrive in order:
//! - classic fill: `set <cache key>`, `expire`, then per condition `sadd
//!   schemes:<table>`, `sadd conj:<table>:...`, `expire conj...`;
//! - insideout fill: `sadd schemes:<table>`, `set conj:<table>:...`,
//!   `expire`, ..., then `set <cache key>` last;
//! - invalidation: `del conj:<table>:...` (UNLINK publishes `del`), then `del`
//!   of the cache keys (classic; invalidate_model's one UNLINK lists the cache
//!   keys first).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::keys::{Family, Namespace};
use crate::layout::Layout;

/// Misses waiting for the fill that names their tables, at most.
const PENDING_MISSES: usize = 100_000;
/// Cache keys whose tables are remembered for exact per-table hits, at most.
const KNOWN_KEYS: usize = 200_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    pub hits: u64,
    pub misses: u64,
    pub fills: u64,
    pub invalidations: u64,
    pub deleted: u64,
    pub expired: u64,
    pub evicted: u64,
}

impl Counters {
    fn add(&mut self, o: &Counters) {
        self.hits += o.hits;
        self.misses += o.misses;
        self.fills += o.fills;
        self.invalidations += o.invalidations;
        self.deleted += o.deleted;
        self.expired += o.expired;
        self.evicted += o.evicted;
    }
}

/// Counts over some span: in total and per db_table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub totals: Counters,
    pub tables: BTreeMap<String, Counters>,
    /// Expirations and evictions by key family.
    pub families: BTreeMap<&'static str, (u64, u64)>,
    /// Unlocks of cacheops' dog-pile locks (`lpush <key>:signal`).
    pub lock_releases: u64,
    /// Conj keys evicted: their entries can no longer be invalidated.
    pub evicted_conj_keys: Vec<String>,
}

impl Tally {
    fn table(&mut self, t: &str) -> &mut Counters {
        if !self.tables.contains_key(t) {
            self.tables.insert(t.to_string(), Counters::default());
        }
        self.tables.get_mut(t).expect("just inserted")
    }

    pub fn merge(&mut self, o: &Tally) {
        self.totals.add(&o.totals);
        for (t, c) in &o.tables {
            self.table(t).add(c);
        }
        for (f, (e, v)) in &o.families {
            let x = self.families.entry(f).or_default();
            x.0 += e;
            x.1 += v;
        }
        self.lock_releases += o.lock_releases;
        for k in &o.evicted_conj_keys {
            if self.evicted_conj_keys.len() < 20 {
                self.evicted_conj_keys.push(k.clone());
            }
        }
    }
}

/// A classic fill: its key, the tables named so far (each already counted),
/// and the misses that led to it (counted again for each table named).
#[derive(Debug)]
struct OpenFill {
    key: String,
    tables: Vec<String>,
    misses: u64,
}

#[derive(Debug)]
pub struct Engine {
    ns: Namespace,
    /// Counts since the last `take_interval`.
    interval: Tally,
    /// The layout the events show (sadd or set on conj keys).
    layout: Option<Layout>,
    /// A classic fill whose conj events are still arriving: it stays open
    /// across an interval's end (the rest of its script's events follow).
    open_fill: Option<OpenFill>,
    /// Tables named by conj/schemes events since the last fill (insideout).
    recent_tables: Vec<String>,
    /// Misses by key, until a fill names their tables.
    pending_misses: HashMap<String, u64>,
    /// The table of the invalidation under way, for the cache keys it deletes.
    invalidating: Option<String>,
    /// Cache keys deleted before their invalidation's conj keys
    /// (invalidate_model), until the `del`s of the same UNLINK end.
    unattributed_deletes: u64,
    /// Tables of the entries filled during the run (for exact per-table hits).
    known: HashMap<String, Vec<String>>,
    /// Exact reads (MONITOR) since the last interval: in total and by key,
    /// resolved to tables when the interval closes (a read may come before
    /// the fill that names its tables; the reads of a key whose fill is
    /// awaited wait for it).
    reads: u64,
    key_reads: HashMap<String, u64>,
}

impl Engine {
    pub fn new(ns: Namespace) -> Engine {
        Engine {
            ns,
            interval: Tally::default(),
            layout: None,
            open_fill: None,
            recent_tables: Vec::new(),
            pending_misses: HashMap::new(),
            invalidating: None,
            unattributed_deletes: 0,
            known: HashMap::new(),
            reads: 0,
            key_reads: HashMap::new(),
        }
    }

    /// One read of a cache key, seen by MONITOR (`--exact`).
    pub fn read(&mut self, key: &str) {
        self.reads += 1;
        if self.key_reads.len() < KNOWN_KEYS || self.key_reads.contains_key(key) {
            *self.key_reads.entry(key.to_string()).or_default() += 1;
        }
    }

    pub fn layout(&self) -> Option<Layout> {
        self.layout
    }

    /// Feeds one keyevent: `event` is the channel's last part (`set`, `del`...).
    pub fn event(&mut self, event: &str, key: &str) {
        let Some(family) = self.ns.family(key) else { return };
        let table = self.ns.table_of(key).map(str::to_string);
        let continues_invalidation = event == "del";
        // Within a fill only `expire`s (of the entry and of conj keys) and
        // `sadd`s to conj and schemes keys follow the entry's `set`.
        let continues_fill =
            event == "expire" || (event == "sadd" && matches!(family, Family::Conj | Family::Schemes));
        if !continues_fill {
            self.close_fill();
        }
        if !continues_invalidation {
            self.end_invalidation();
            // The `del`s of one UNLINK come in a row: deletes its conj keys
            // did not claim stay in the totals only.
            self.unattributed_deletes = 0;
        }
        match (event, family) {
            ("keymiss", f) if f.is_cache_entry() => {
                self.interval.totals.misses += 1;
                if self.pending_misses.len() < PENDING_MISSES || self.pending_misses.contains_key(key) {
                    *self.pending_misses.entry(key.to_string()).or_default() += 1;
                }
            }
            ("set", f) if f.is_cache_entry() => {
                self.interval.totals.fills += 1;
                if self.layout == Some(Layout::InsideOut) {
                    let tables = std::mem::take(&mut self.recent_tables);
                    self.attribute_fill(key, tables);
                } else {
                    // Its tables follow, each counted as its first event arrives.
                    let misses = self.pending_misses.remove(key).unwrap_or(0);
                    self.remember_key(key, Vec::new());
                    self.open_fill = Some(OpenFill {
                        key: key.to_string(),
                        tables: Vec::new(),
                        misses,
                    });
                }
            }
            ("set", Family::Conj) => {
                self.layout = Some(Layout::InsideOut);
                self.remember_table(table);
            }
            ("sadd", Family::Conj) => {
                self.layout = Some(Layout::Classic);
                self.add_to_fill(table);
            }
            ("sadd", Family::Schemes) => {
                if self.open_fill.is_some() {
                    self.add_to_fill(table);
                } else {
                    self.remember_table(table);
                }
            }
            ("del", Family::Conj) => {
                let t = table.unwrap_or_default();
                self.interval.totals.invalidations += 1;
                let c = self.interval.table(&t);
                c.invalidations += 1;
                c.deleted += std::mem::take(&mut self.unattributed_deletes);
                self.invalidating = Some(t);
            }
            ("del", f) if f.is_cache_entry() => {
                self.interval.totals.deleted += 1;
                match &self.invalidating {
                    Some(t) => {
                        let t = t.clone();
                        self.interval.table(&t).deleted += 1;
                    }
                    // Insideout invalidations delete no cache keys: this is a
                    // reader unlinking an entry whose stamps changed, a miss
                    // that emits no keymiss (cacheops then refills the key).
                    None if self.layout == Some(Layout::InsideOut) => {
                        self.interval.totals.misses += 1;
                        if self.pending_misses.len() < PENDING_MISSES || self.pending_misses.contains_key(key)
                        {
                            *self.pending_misses.entry(key.to_string()).or_default() += 1;
                        }
                    }
                    None => self.unattributed_deletes += 1,
                }
            }
            ("expired", f) => {
                self.interval.totals.expired += (f != Family::Conj && f != Family::Schemes) as u64;
                self.interval.families.entry(f.name()).or_default().0 += 1;
                if let (Family::Conj, Some(t)) = (f, table) {
                    self.interval.table(&t).expired += 1;
                }
            }
            ("evicted", f) => {
                self.interval.totals.evicted += 1;
                self.interval.families.entry(f.name()).or_default().1 += 1;
                if f == Family::Conj {
                    if let Some(t) = table {
                        self.interval.table(&t).evicted += 1;
                    }
                    if self.interval.evicted_conj_keys.len() < 20 {
                        self.interval.evicted_conj_keys.push(key.to_string());
                    }
                }
            }
            ("lpush", Family::Signal) => self.interval.lock_releases += 1,
            _ => {}
        }
    }

    fn remember_table(&mut self, table: Option<String>) {
        if let Some(t) = table {
            if !self.recent_tables.contains(&t) {
                self.recent_tables.push(t);
            }
        }
    }

    /// A table of the open classic fill: counted in the interval its first
    /// event arrives in, whichever interval the fill's `set` was counted in.
    fn add_to_fill(&mut self, table: Option<String>) {
        let (Some(fill), Some(t)) = (&mut self.open_fill, table) else {
            return;
        };
        if fill.tables.contains(&t) {
            return;
        }
        fill.tables.push(t.clone());
        let misses = fill.misses;
        if let Some(tables) = self.known.get_mut(&fill.key) {
            tables.push(t.clone());
        }
        let c = self.interval.table(&t);
        c.fills += 1;
        c.misses += misses;
    }

    fn close_fill(&mut self) {
        self.open_fill = None;
    }

    /// The tables of the entries filled during the run, for exact per-table hits.
    fn remember_key(&mut self, key: &str, tables: Vec<String>) {
        if self.known.len() < KNOWN_KEYS || self.known.contains_key(key) {
            self.known.insert(key.to_string(), tables);
        }
    }

    /// An insideout fill (already in the totals) counts for each of its
    /// tables, and so do the misses that led to it.
    fn attribute_fill(&mut self, key: &str, tables: Vec<String>) {
        let misses = self.pending_misses.remove(key).unwrap_or(0);
        self.remember_key(key, tables.clone());
        for t in tables {
            let c = self.interval.table(&t);
            c.fills += 1;
            c.misses += misses;
        }
    }

    fn end_invalidation(&mut self) {
        self.invalidating = None;
    }

    /// Closes the interval: the counts since the last call. Hits are reads
    /// minus misses: with `exact`, the reads MONITOR reported (`read`), per
    /// table too for entries filled during the run; otherwise `estimated_reads`,
    /// GET and MGET calls from INFO commandstats (instance-wide).
    ///
    /// The clock cuts between any two events, also inside the events of one
    /// script or UNLINK: an open fill, an invalidation under way and the
    /// deletes waiting for their conj keys carry over, and their per-table
    /// counts land in the interval of the event that names the table.
    pub fn take_interval(&mut self, estimated_reads: Option<u64>, exact: bool) -> Tally {
        let mut t = std::mem::take(&mut self.interval);
        let reads = std::mem::take(&mut self.reads);
        let mut table_reads: HashMap<String, u64> = HashMap::new();
        let mut waiting = HashMap::new();
        for (key, n) in std::mem::take(&mut self.key_reads) {
            // The fill that names this key's tables is still to come (a miss
            // is pending), or has named none yet: its reads wait for it, and
            // count with the misses it brings to its tables.
            let unnamed = |f: &OpenFill| f.key == key && f.tables.is_empty();
            if self.pending_misses.contains_key(&key) || self.open_fill.as_ref().is_some_and(unnamed) {
                waiting.insert(key, n);
                continue;
            }
            for t in self.known.get(&key).into_iter().flatten() {
                *table_reads.entry(t.clone()).or_default() += n;
            }
        }
        self.key_reads = waiting;
        if exact {
            t.totals.hits = reads.saturating_sub(t.totals.misses);
            for (table, r) in table_reads {
                let c = t.table(&table);
                c.hits = r.saturating_sub(c.misses);
            }
        } else if let Some(r) = estimated_reads {
            t.totals.hits = r.saturating_sub(t.totals.misses);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "q:00000000000000000000000000000001";
    const K2: &str = "q:00000000000000000000000000000002";

    fn feed(e: &mut Engine, events: &[(&str, &str)]) {
        for (ev, k) in events {
            e.event(ev, k);
        }
    }

    #[test]
    fn classic_miss_then_fill_counts_for_every_table_of_the_fill() {
        let mut e = Engine::new(Namespace::new(""));
        feed(
            &mut e,
            &[
                ("keymiss", K1),
                ("set", K1),
                ("expire", K1),
                ("sadd", "schemes:articles_article"),
                ("sadd", "conj:articles_article:id=1"),
                ("expire", "conj:articles_article:id=1"),
                ("sadd", "schemes:articles_category"),
                ("sadd", "conj:articles_category:title=x"),
                ("keymiss", K2),
                ("set", K2),
                ("sadd", "conj:articles_article:"),
            ],
        );
        let t = e.take_interval(Some(5), false);
        assert_eq!(t.totals.misses, 2);
        assert_eq!(t.totals.fills, 2);
        assert_eq!(t.totals.hits, 3);
        assert_eq!(t.tables["articles_article"].fills, 2);
        assert_eq!(t.tables["articles_article"].misses, 2);
        assert_eq!(t.tables["articles_category"].fills, 1);
        assert_eq!(t.tables["articles_category"].misses, 1);
    }

    #[test]
    fn insideout_fill_takes_the_tables_named_before_it() {
        let mut e = Engine::new(Namespace::new("p:"));
        feed(
            &mut e,
            &[
                ("keymiss", "p:q:00000000000000000000000000000001"),
                ("keymiss", "p:conj:shop_product:id=1"), // a stamp read: not a cache miss
                ("sadd", "p:schemes:shop_product"),
                ("set", "p:conj:shop_product:id=1"),
                ("expire", "p:conj:shop_product:id=1"),
                ("set", "p:q:00000000000000000000000000000001"),
            ],
        );
        assert_eq!(e.layout(), Some(Layout::InsideOut));
        let t = e.take_interval(None, false);
        assert_eq!(t.totals.misses, 1);
        assert_eq!(t.tables["shop_product"].fills, 1);
        assert_eq!(t.tables["shop_product"].misses, 1);
    }

    #[test]
    fn insideout_stale_reads_are_misses() {
        let mut e = Engine::new(Namespace::new(""));
        feed(
            &mut e,
            &[("sadd", "schemes:t"), ("set", "conj:t:id=1"), ("set", K1)],
        ); // a fill: insideout
        feed(&mut e, &[("del", "conj:t:id=1")]); // invalidation: stamps only
        feed(
            &mut e,
            &[
                ("keymiss", "conj:t:id=1"),
                ("del", K1),
                ("set", "conj:t:id=1"),
                ("set", K1),
            ],
        );
        let t = e.take_interval(Some(2), false);
        assert_eq!(t.totals.misses, 1);
        assert_eq!(t.totals.hits, 1);
        assert_eq!(t.tables["t"].misses, 1);
        assert_eq!(t.tables["t"].fills, 2);
    }

    #[test]
    fn invalidations_and_their_deletes() {
        let mut e = Engine::new(Namespace::new(""));
        // invalidate_dict: conj keys first, then cache keys.
        feed(
            &mut e,
            &[
                ("del", "conj:articles_article:id=1"),
                ("del", "conj:articles_article:"),
                ("del", K1),
                ("del", K2),
            ],
        );
        // invalidate_model's single UNLINK: cache keys first.
        feed(
            &mut e,
            &[("set", "x"), ("del", K1), ("del", "conj:articles_tag:id=2")],
        );
        let t = e.take_interval(None, false);
        assert_eq!(t.totals.invalidations, 3);
        assert_eq!(t.totals.deleted, 3);
        assert_eq!(t.tables["articles_article"].invalidations, 2);
        assert_eq!(t.tables["articles_article"].deleted, 2);
        assert_eq!(t.tables["articles_tag"].deleted, 1);
    }

    /// `stats` cuts intervals on a clock, between any two events: also between
    /// a classic fill's `set` and the `sadd`s of the same script that name its
    /// tables (the cut that lands right after the first event of a burst).
    #[test]
    fn an_interval_cut_inside_a_classic_fill_keeps_its_tables() {
        let mut e = Engine::new(Namespace::new(""));
        feed(&mut e, &[("keymiss", K1), ("set", K1), ("expire", K1)]);
        let first = e.take_interval(Some(1), false);
        feed(
            &mut e,
            &[
                ("sadd", "schemes:articles_article"),
                ("sadd", "conj:articles_article:id=1"),
                ("expire", "conj:articles_article:id=1"),
                ("keymiss", K2),
            ],
        );
        let second = e.take_interval(Some(1), false);
        assert_eq!((first.totals.misses, first.totals.fills), (1, 1));
        assert_eq!((second.totals.misses, second.totals.fills), (1, 0));
        let mut all = Tally::default();
        all.merge(&first);
        all.merge(&second);
        let art = &all.tables["articles_article"];
        assert_eq!((art.misses, art.fills), (1, 1), "{all:?}");
        // The fill's sadds came after the cut: they count where they arrived.
        assert_eq!(second.tables["articles_article"].fills, 1);
        // And the entry's tables are known for exact hits.
        e.read(K1);
        let third = e.take_interval(Some(1), true);
        assert_eq!(third.tables["articles_article"].hits, 1);
    }

    /// invalidate_model's one UNLINK publishes the cache keys' `del`s before
    /// the conj keys' that name the table: a cut between them must not drop them.
    #[test]
    fn an_interval_cut_inside_an_unlink_keeps_its_deletes() {
        let mut e = Engine::new(Namespace::new(""));
        feed(&mut e, &[("set", "x"), ("del", K1), ("del", K2)]);
        let first = e.take_interval(None, false);
        feed(&mut e, &[("del", "conj:articles_category:id=2")]);
        let second = e.take_interval(None, false);
        assert_eq!(first.totals.deleted, 2);
        assert_eq!(second.totals.invalidations, 1);
        assert_eq!(second.tables["articles_category"].deleted, 2);
    }

    /// A cache key deleted outside any invalidation (by a client, say) stays
    /// in the totals: a later invalidation does not claim it.
    #[test]
    fn a_stray_delete_is_not_claimed_by_a_later_invalidation() {
        let mut e = Engine::new(Namespace::new(""));
        feed(
            &mut e,
            &[
                ("set", "x"),
                ("del", K1),
                ("keymiss", K2),
                ("del", "conj:articles_tag:id=2"),
            ],
        );
        let t = e.take_interval(None, false);
        assert_eq!(t.totals.deleted, 1);
        assert_eq!(t.tables["articles_tag"].deleted, 0);
    }

    #[test]
    fn exact_reads_give_hits_per_table() {
        let mut e = Engine::new(Namespace::new(""));
        feed(
            &mut e,
            &[("keymiss", K1), ("set", K1), ("sadd", "conj:articles_tag:id=1")],
        );
        e.read(K1); // the read that missed
        e.read(K1);
        e.read(K1);
        e.read(K2); // filled before the run: tables unknown
        let t = e.take_interval(Some(1000), true);
        assert_eq!(t.totals.hits, 3);
        assert_eq!(t.tables["articles_tag"].hits, 2);
    }

    /// With `--exact`, a miss's read comes before the fill that names its
    /// tables, and the interval may end between them (cacheops runs the query
    /// in between), or between the fill's `set` and its `sadd`s. The read
    /// waits for the fill, so that the table's miss takes its own read.
    #[test]
    fn exact_reads_wait_for_the_fill_after_a_cut() {
        let mut e = Engine::new(Namespace::new(""));
        feed(&mut e, &[("keymiss", K1)]);
        e.read(K1); // the read that missed
        let first = e.take_interval(None, true);
        feed(&mut e, &[("keymiss", K2), ("set", K1)]);
        e.read(K2); // missed too: its fill's tables come after the next cut
        let second = e.take_interval(None, true);
        feed(
            &mut e,
            &[
                ("sadd", "conj:articles_article:id=1"),
                ("set", K2),
                ("sadd", "conj:articles_article:id=2"),
            ],
        );
        e.read(K1); // hits
        e.read(K2);
        let third = e.take_interval(None, true);
        let mut all = Tally::default();
        for t in [&first, &second, &third] {
            all.merge(t);
        }
        assert_eq!((all.totals.hits, all.totals.misses), (2, 2), "{all:?}");
        let art = &all.tables["articles_article"];
        assert_eq!((art.hits, art.misses, art.fills), (2, 2, 2), "{all:?}");
    }

    #[test]
    fn expirations_evictions_and_locks() {
        let mut e = Engine::new(Namespace::new(""));
        feed(
            &mut e,
            &[
                ("expired", K1),
                ("expired", "conj:articles_article:id=1"),
                ("evicted", "conj:articles_article:id=2"),
                ("lpush", "q:00000000000000000000000000000001:signal"),
            ],
        );
        let t = e.take_interval(None, false);
        assert_eq!(t.totals.expired, 1, "cache entries only");
        assert_eq!(t.tables["articles_article"].expired, 1);
        assert_eq!(t.totals.evicted, 1);
        assert_eq!(
            t.evicted_conj_keys,
            vec!["conj:articles_article:id=2".to_string()]
        );
        assert_eq!(t.lock_releases, 1);
    }
}
