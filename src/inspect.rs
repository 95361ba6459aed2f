//! Looking at what cacheops keeps in Redis: listing keys by family and table,
//! describing one key. Everything walks with SCAN in bounded steps.

use std::collections::{BTreeMap, HashMap};

use redis::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::invalidate::Progress;
use crate::keys::{glob_escape, Family, Namespace};
use crate::layout::Layout;
use crate::scan::Scan;

/// Which keys to list.
#[derive(Debug, Clone, Default)]
pub struct KeyFilter {
    pub family: Option<FamilyFilter>,
    /// A db_table: only conj and schemes keys name one.
    pub table: Option<String>,
    /// A Redis glob matched against the whole key (prefix included).
    pub glob: Option<String>,
}

/// A family, or dog-pile lock markers (cache keys holding `LOCK`), which
/// only their value tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyFilter {
    Is(Family),
    Lock,
}

impl FamilyFilter {
    pub fn parse(s: &str) -> Option<FamilyFilter> {
        if s == "lock" {
            return Some(FamilyFilter::Lock);
        }
        Family::ALL
            .iter()
            .find(|f| f.name() == s)
            .map(|f| FamilyFilter::Is(*f))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyInfo {
    pub key: String,
    pub family: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

/// Whether cacheops writes keys of this family with this Redis type. A key
/// named like cacheops' whose type is not is someone else's (or left by a
/// bug): read commands count it as not cacheops' and name it, never fail on it.
pub fn type_fits(family: Family, redis_type: &str) -> bool {
    match family {
        f if f.is_cache_entry() => redis_type == "string",
        // Classic sets, insideout stamps.
        Family::Conj => redis_type == "set" || redis_type == "string",
        Family::Schemes => redis_type == "set",
        // The dog-pile lock's wake-up list.
        Family::Signal => redis_type == "list",
        _ => true,
    }
}

/// A key named like cacheops' but of a type cacheops never writes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OddKey {
    pub key: String,
    pub redis_type: String,
    /// The family its name suggests.
    pub named_like: &'static str,
}

impl OddKey {
    /// `a hash, not a cacheops conj key (those are sets or strings)`
    pub fn why(&self) -> String {
        let want = match self.named_like {
            "conj" => "sets or strings",
            "schemes" => "sets",
            "signal" => "lists",
            _ => "strings",
        };
        format!(
            "a {}, not a cacheops {} key (those are {want})",
            self.redis_type, self.named_like
        )
    }

    /// `conj:t:id=1 is a hash, not a cacheops conj key (those are sets or strings)`
    pub fn describe(&self) -> String {
        format!("{} is {}", self.key, self.why())
    }
}

/// A key with its family, corrected by its type: odd keys are `Other`.
struct Typed {
    key: String,
    family: Family,
    /// Probed for keys named like cacheops'; empty for the rest.
    redis_type: String,
    odd: Option<OddKey>,
}

/// Families of a page of keys, by name and then by type (one quiet probe for
/// the keys named like cacheops'). Keys gone since the SCAN are left out.
fn typed(con: &mut Connection, ns: &Namespace, keys: Vec<String>) -> Result<Vec<Typed>> {
    let named: Vec<(String, Family)> = keys
        .into_iter()
        .map(|k| {
            let f = ns.family(&k).unwrap_or(Family::Other);
            (k, f)
        })
        .collect();
    let probed: Vec<String> = named
        .iter()
        .filter(|(_, f)| *f != Family::Other)
        .map(|(k, _)| k.clone())
        .collect();
    let mut types = crate::probe::types(con, &probed)?.into_iter();
    let mut out = Vec::with_capacity(named.len());
    for (key, family) in named {
        if family == Family::Other {
            out.push(Typed {
                key,
                family,
                redis_type: String::new(),
                odd: None,
            });
            continue;
        }
        let t = types.next().unwrap_or_default();
        if t == "none" {
            continue;
        }
        if type_fits(family, &t) {
            out.push(Typed {
                key,
                family,
                redis_type: t,
                odd: None,
            });
        } else {
            let odd = OddKey {
                key: key.clone(),
                redis_type: t.clone(),
                named_like: family.name(),
            };
            out.push(Typed {
                key,
                family: Family::Other,
                redis_type: t,
                odd: Some(odd),
            });
        }
    }
    Ok(out)
}

/// The SCAN MATCH pattern that narrows the walk as far as the filter allows.
pub fn scan_pattern(ns: &Namespace, f: &KeyFilter) -> String {
    if let Some(g) = &f.glob {
        return g.clone();
    }
    let p = glob_escape(&ns.prefix);
    match (f.family, &f.table) {
        (Some(FamilyFilter::Is(Family::Conj)), Some(t)) => format!("{p}conj:{}:*", glob_escape(t)),
        (Some(FamilyFilter::Is(Family::Schemes)), Some(t)) => format!("{p}schemes:{}", glob_escape(t)),
        (Some(FamilyFilter::Is(fam)), _) => match fam {
            Family::Query => format!("{p}q:*"),
            Family::CachedAs => format!("{p}as:*"),
            Family::Precall => format!("{p}asp:*"),
            Family::Cached => format!("{p}c:*"),
            Family::Conj => format!("{p}conj:*"),
            Family::Schemes => format!("{p}schemes:*"),
            Family::Signal => format!("{p}*:signal"),
            Family::Other => format!("{p}*"),
        },
        _ => format!("{p}*"),
    }
}

/// Streams the keys that pass the filter to `each`, page by page; `each`
/// returns false to stop (a `--limit` reached, a closed pipe). Keys are
/// classified by name and type: a key the filter names but whose type
/// cacheops never writes there is skipped and passed to `skipped`. Returns how
/// many keys were passed over for not being UTF-8 (cacheops never writes one).
pub fn list_keys(
    con: &mut Connection,
    ns: &Namespace,
    f: &KeyFilter,
    mut each: impl FnMut(KeyInfo) -> bool,
    mut skipped: impl FnMut(&OddKey),
) -> Result<u64> {
    let mut not_utf8 = 0u64;
    let mut scan = Scan::new(scan_pattern(ns, f));
    let wants_family = |family: Family| match f.family {
        None => true,
        Some(FamilyFilter::Is(fam)) => fam == family,
        Some(FamilyFilter::Lock) => family.is_cache_entry(),
    };
    let wants_table = |table: Option<&str>| f.table.as_deref().is_none_or(|t| table == Some(t));
    while let Some(page) = scan.next_page(con)? {
        let (keys, bad) = page.utf8_keys();
        not_utf8 += bad as u64;
        // Keys outside the prefix are none of ours to list.
        let keys: Vec<String> = keys.into_iter().filter(|k| ns.strip(k).is_some()).collect();
        let mut infos = Vec::new();
        for t in typed(con, ns, keys)? {
            let table = if t.family == Family::Other {
                None
            } else {
                ns.table_of(&t.key).map(str::to_string)
            };
            if wants_family(t.family) && wants_table(table.as_deref()) {
                infos.push(KeyInfo {
                    key: t.key,
                    family: t.family.name(),
                    table,
                });
            } else if let Some(odd) = &t.odd {
                // Listed by its name before; say why it is not now.
                let named = ns.family(&odd.key).unwrap_or(Family::Other);
                if wants_family(named) && wants_table(ns.table_of(&odd.key)) {
                    skipped(odd);
                }
            }
        }
        if f.family == Some(FamilyFilter::Lock) {
            infos = only_locks(con, infos)?;
        }
        for info in infos {
            if !each(info) {
                return Ok(not_utf8);
            }
        }
    }
    Ok(not_utf8)
}

/// Cache keys whose value is the dog-pile marker `LOCK`: STRLEN first, so
/// that only four-byte values are read.
fn only_locks(con: &mut Connection, infos: Vec<KeyInfo>) -> Result<Vec<KeyInfo>> {
    if infos.is_empty() {
        return Ok(infos);
    }
    let mut pipe = redis::pipe();
    for i in &infos {
        pipe.cmd("STRLEN").arg(&i.key);
    }
    let lens: Vec<i64> = pipe.query(con)?;
    let short: Vec<KeyInfo> = infos
        .into_iter()
        .zip(lens)
        .filter(|(_, l)| *l == 4)
        .map(|(i, _)| i)
        .collect();
    if short.is_empty() {
        return Ok(short);
    }
    let mut pipe = redis::pipe();
    for i in &short {
        pipe.cmd("GET").arg(&i.key);
    }
    let values: Vec<Option<Vec<u8>>> = pipe.query(con)?;
    Ok(short
        .into_iter()
        .zip(values)
        .filter(|(_, v)| v.as_deref() == Some(b"LOCK"))
        .map(|(i, _)| i)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(family: Option<&str>, table: Option<&str>) -> String {
        let f = KeyFilter {
            family: family.map(|s| FamilyFilter::parse(s).unwrap()),
            table: table.map(str::to_string),
            glob: None,
        };
        scan_pattern(&Namespace::new("s1:"), &f)
    }

    #[test]
    fn patterns_narrow_the_walk() {
        assert_eq!(
            pat(Some("conj"), Some("articles_article")),
            "s1:conj:articles_article:*"
        );
        assert_eq!(
            pat(Some("schemes"), Some("articles_article")),
            "s1:schemes:articles_article"
        );
        assert_eq!(pat(Some("q"), None), "s1:q:*");
        assert_eq!(pat(None, None), "s1:*");
        assert_eq!(pat(None, Some("t")), "s1:*");
        assert_eq!(pat(Some("lock"), None), "s1:*");
    }
}

// ---------------------------------------------------------------- census

/// What a db (or a prefix of it) holds, by key family: a light walk.
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

/// Counts the db's keys by family with SCAN (bounded steps).
pub fn census(con: &mut Connection, ns: &Namespace, progress: &dyn Progress) -> Result<Census> {
    let db_keys: u64 = redis::cmd("DBSIZE").query(con)?;
    let mut c = Census {
        db_keys,
        ..Default::default()
    };
    let mut ours = 0u64;
    let mut scan = Scan::new(ns.all_pattern());
    while let Some(page) = scan.next_page(con)? {
        for k in &page.keys {
            let fam = std::str::from_utf8(k)
                .ok()
                .and_then(|k| ns.family(k))
                .unwrap_or(Family::Other);
            *c.families.entry(fam.name()).or_default() += 1;
            if fam != Family::Other {
                ours += 1;
            }
        }
        progress.update(page.fraction, "counting keys");
    }
    c.not_cacheops = db_keys.saturating_sub(ours);
    Ok(c)
}

// ---------------------------------------------------------------- inventory

/// Conj sets per table whose members are sampled for dead entries.
const DEAD_SAMPLE_SETS: usize = 20;
/// Members sampled per such set.
const DEAD_SAMPLE_MEMBERS: usize = 20;
/// Keys whose MEMORY USAGE is read, at most, per family and per table.
const MEMORY_SAMPLES: u64 = 200;
/// TTLs kept per table and family for the spread (reservoir).
const TTL_SAMPLES: usize = 500;
/// Odd keys named in an inventory, at most.
pub const ODD_KEYS_NAMED: usize = 20;

/// What `cacheops inspect` reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    pub prefix: String,
    /// DBSIZE: every key of the db.
    pub db_keys: u64,
    /// Keys under the prefix, by family.
    pub families: BTreeMap<&'static str, FamilyStats>,
    /// Keys of the db not recognisably cacheops' (outside the prefix or of no family).
    pub not_cacheops: u64,
    pub layout: Option<&'static str>,
    pub tables: BTreeMap<String, TableStats>,
    /// The largest conj sets of the whole db: (members, key).
    pub largest_conj_sets: Vec<(u64, String)>,
    /// Keys named like cacheops' but of a type it never writes there (the
    /// first ODD_KEYS_NAMED; counted in `other` and `not_cacheops`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub odd_keys: Vec<OddKey>,
    /// How many such keys there are in all.
    pub odd_keys_total: u64,
    /// Memory figures are MEMORY USAGE of sampled keys, scaled up.
    pub memory_sampled: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FamilyStats {
    pub keys: u64,
    pub memory_estimate: u64,
    pub ttl: Spread,
    #[serde(skip)]
    mem: Sampler,
    #[serde(skip)]
    ttls: Reservoir,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TableStats {
    pub schemes: Vec<String>,
    pub conj_keys: u64,
    /// Sum of the conj sets' sizes: references to cache keys (classic).
    pub references: u64,
    /// Estimated dead references, from sampled members.
    pub dead_estimate: u64,
    pub dead_sampled: u64,
    pub dead_found: u64,
    pub largest_conj_set: u64,
    pub conj_ttl: Spread,
    pub conj_without_ttl: u64,
    pub memory_estimate: u64,
    #[serde(skip)]
    mem: Sampler,
    #[serde(skip)]
    ttls: Reservoir,
    #[serde(skip)]
    sample_sets: Vec<String>,
}

/// min / median / max of sampled TTLs in seconds (None when nothing has one).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Spread {
    pub min: Option<i64>,
    pub median: Option<i64>,
    pub max: Option<i64>,
}

/// Reads MEMORY USAGE of every n-th key, to scale up.
#[derive(Debug, Clone, Default)]
struct Sampler {
    seen: u64,
    sampled: u64,
    bytes: u64,
}

impl Sampler {
    /// Whether to sample this key: the first MEMORY_SAMPLES, then ever fewer.
    fn wants(&mut self) -> bool {
        self.seen += 1;
        self.sampled < MEMORY_SAMPLES || self.seen.is_power_of_two()
    }

    fn record(&mut self, bytes: u64) {
        self.sampled += 1;
        self.bytes += bytes;
    }

    fn estimate(&self) -> u64 {
        self.bytes
            .checked_div(self.sampled)
            .map_or(0, |avg| avg * self.seen)
    }
}

/// A fixed-size uniform sample (Algorithm R, with a cheap deterministic PRNG).
#[derive(Debug, Clone, Default)]
struct Reservoir {
    seen: u64,
    items: Vec<i64>,
    state: u64,
}

impl Reservoir {
    fn push(&mut self, v: i64) {
        self.seen += 1;
        if self.items.len() < TTL_SAMPLES {
            self.items.push(v);
            return;
        }
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (self.state >> 33) % self.seen;
        if (j as usize) < TTL_SAMPLES {
            self.items[j as usize] = v;
        }
    }

    fn spread(&self) -> Spread {
        let mut v = self.items.clone();
        v.sort_unstable();
        Spread {
            min: v.first().copied(),
            median: v.get(v.len() / 2).copied(),
            max: v.last().copied(),
        }
    }
}

/// Walks the db once (SCAN) and sums up what cacheops keeps in it, per family
/// and per table. Memory use is bounded: per-table counters, fixed samples.
pub fn inventory(con: &mut Connection, ns: &Namespace, progress: &dyn Progress) -> Result<Inventory> {
    let db_keys: u64 = redis::cmd("DBSIZE").query(con)?;
    let mut inv = Inventory {
        prefix: ns.prefix.clone(),
        db_keys,
        memory_sampled: true,
        ..Default::default()
    };
    let mut fams: HashMap<Family, FamilyStats> = HashMap::new();
    let mut largest: std::collections::BinaryHeap<std::cmp::Reverse<(u64, String)>> = Default::default();
    let mut ours = 0u64;
    let mut scan = Scan::new(format!("{}*", glob_escape(&ns.prefix)));
    while let Some(page) = scan.next_page(con)? {
        let fraction = page.fraction;
        let (keys, _) = page.utf8_keys();
        // Families by name and type (the quiet probe): a key of a type
        // cacheops never writes there counts as not cacheops'.
        let typed = typed(con, ns, keys)?;
        for odd in typed.iter().filter_map(|t| t.odd.as_ref()) {
            inv.odd_keys_total += 1;
            if inv.odd_keys.len() < ODD_KEYS_NAMED {
                inv.odd_keys.push(odd.clone());
            }
        }
        ours += typed.iter().filter(|t| t.family != Family::Other).count() as u64;
        let (conj, conj_types): (Vec<String>, Vec<String>) = typed
            .iter()
            .filter(|t| t.family == Family::Conj)
            .map(|t| (t.key.clone(), t.redis_type.clone()))
            .unzip();
        let classified: Vec<(String, Family)> = typed.into_iter().map(|t| (t.key, t.family)).collect();

        // One pipeline per page: TTL of every key, SCARD of conj sets,
        // MEMORY USAGE of the sampled ones.
        let mut pipe = redis::pipe();
        let mut sampled = Vec::new();
        for (k, f) in &classified {
            pipe.cmd("TTL").arg(k);
            let stats = fams.entry(*f).or_default();
            let table_wants = if *f == Family::Conj {
                let t = ns.table_of(k).unwrap_or("").to_string();
                inv.tables.entry(t).or_default().mem.wants()
            } else {
                false
            };
            let fam_wants = stats.mem.wants();
            sampled.push(fam_wants || table_wants);
        }
        for ((k, _), s) in classified.iter().zip(&sampled) {
            if *s {
                pipe.cmd("MEMORY").arg("USAGE").arg(k);
            }
        }
        for (k, t) in conj.iter().zip(&conj_types) {
            if t == "set" {
                pipe.cmd("SCARD").arg(k);
            }
        }
        let replies: Vec<redis::Value> = if classified.is_empty() {
            Vec::new()
        } else {
            pipe.query(con)?
        };
        let mut it = replies.into_iter();
        let ttls: Vec<i64> = (0..classified.len()).map(|_| int_of(it.next())).collect();
        let mems: Vec<Option<u64>> = sampled
            .iter()
            .map(|s| {
                if *s {
                    Some(int_of(it.next()).max(0) as u64)
                } else {
                    None
                }
            })
            .collect();

        for (((k, f), ttl), mem) in classified.iter().zip(&ttls).zip(&mems) {
            let stats = fams.entry(*f).or_default();
            stats.keys += 1;
            if let Some(m) = mem {
                stats.mem.record(*m);
            }
            if *ttl >= 0 {
                stats.ttls.push(*ttl);
            }
            if *f == Family::Schemes {
                let t = ns.table_of(k).unwrap_or("").to_string();
                inv.tables.entry(t).or_default();
            }
            if *f == Family::Conj {
                let t = inv
                    .tables
                    .entry(ns.table_of(k).unwrap_or("").to_string())
                    .or_default();
                t.conj_keys += 1;
                if let Some(m) = mem {
                    t.mem.record(*m);
                }
                if *ttl >= 0 {
                    t.ttls.push(*ttl);
                } else if *ttl == -1 {
                    t.conj_without_ttl += 1;
                }
            }
        }
        for (k, ty) in conj.iter().zip(&conj_types) {
            if let Some(l) = Layout::from_conj_type(ty) {
                inv.layout = Some(match (inv.layout, l) {
                    (Some(prev), l) if prev != l.name() => "mixed",
                    _ => l.name(),
                });
            }
            if ty != "set" {
                continue;
            }
            let card = int_of(it.next()).max(0) as u64;
            let t = inv
                .tables
                .entry(ns.table_of(k).unwrap_or("").to_string())
                .or_default();
            t.references += card;
            t.largest_conj_set = t.largest_conj_set.max(card);
            if t.sample_sets.len() < DEAD_SAMPLE_SETS && card > 0 {
                t.sample_sets.push(k.to_string());
            }
            largest.push(std::cmp::Reverse((card, k.to_string())));
            if largest.len() > 10 {
                largest.pop();
            }
        }
        progress.update(
            fraction,
            &format!("{} keys read", fams.values().map(|f| f.keys).sum::<u64>()),
        );
    }

    // Dead references, estimated from a sample of each table's sets.
    for t in inv.tables.values_mut() {
        for set in std::mem::take(&mut t.sample_sets) {
            let members: Vec<String> = redis::cmd("SRANDMEMBER")
                .arg(&set)
                .arg(DEAD_SAMPLE_MEMBERS)
                .query(con)?;
            let types = crate::probe::types(con, &members)?;
            t.dead_sampled += members.len() as u64;
            t.dead_found += types.iter().filter(|t| *t == "none").count() as u64;
        }
        t.dead_estimate = (t.references * t.dead_found)
            .checked_div(t.dead_sampled)
            .unwrap_or(0);
        t.conj_ttl = t.ttls.spread();
        t.memory_estimate = t.mem.estimate();
    }
    // Schemes of every table (small sets, read in SSCAN pages).
    let tables: Vec<String> = inv.tables.keys().cloned().collect();
    for name in tables {
        let mut schemes = Vec::new();
        let key = ns.schemes_key(&name);
        let is_set = crate::scan::sscan_if_set(con, &key, |page| {
            schemes.extend(page);
            Ok(())
        })?;
        // Already named when the walk met it; else it changed type since.
        if !is_set && !inv.odd_keys.iter().any(|o| o.key == key) {
            inv.odd_keys_total += 1;
            if inv.odd_keys.len() < ODD_KEYS_NAMED {
                let redis_type = crate::probe::types(con, std::slice::from_ref(&key))?
                    .pop()
                    .unwrap_or_default();
                inv.odd_keys.push(OddKey {
                    key,
                    redis_type,
                    named_like: Family::Schemes.name(),
                });
            }
        }
        schemes.sort();
        if let Some(t) = inv.tables.get_mut(&name) {
            t.schemes = schemes;
        }
    }
    for (f, mut s) in fams {
        s.ttl = s.ttls.spread();
        s.memory_estimate = s.mem.estimate();
        inv.families.insert(f.name(), s);
    }
    inv.not_cacheops = db_keys.saturating_sub(ours);
    let mut l: Vec<(u64, String)> = largest.into_iter().map(|std::cmp::Reverse(x)| x).collect();
    l.sort_by(|a, b| b.cmp(a));
    inv.largest_conj_sets = l;
    Ok(inv)
}

fn int_of(v: Option<redis::Value>) -> i64 {
    match v {
        Some(redis::Value::Int(n)) => n,
        _ => 0,
    }
}

// ---------------------------------------------------------------- one key

/// Conj keys looked at, at most, when searching which ones reference an entry.
pub const REFERENCE_SEARCH_LIMIT: u64 = 200_000;
/// Members of a conj set listed, at most.
const MEMBERS_SHOWN: usize = 50;
/// Bytes of a value read, at most.
const VALUE_CAP: usize = 1 << 20;

/// Everything `cacheops show` says about one key.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KeyView {
    pub key: String,
    pub family: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Redis type, `none` when the key does not exist.
    pub redis_type: String,
    /// Seconds; -1 no TTL.
    pub ttl: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<u64>,
    /// Bytes of a string, members of a set or sorted set, items of a list,
    /// fields of a hash, entries of a stream.
    pub size: u64,
    /// A string value (capped): the caller decodes it.
    #[serde(skip)]
    pub value: Option<Vec<u8>>,
    /// The dog-pile marker `LOCK`.
    pub lock: bool,
    /// Insideout entries: the checksum of their conj stamps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// Conj keys that hold this entry (classic layout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referenced_by: Option<References>,
    /// A conj key's conditions, every way its table's schemes read it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Members shown, at most MEMBERS_SHOWN (a set, a list; a hash's `field =
    /// value`, a sorted set's `member (score s)`), with their TTL (-2: gone).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<(String, i64)>,
    /// For a conj set's members (same order): family and MEMORY USAGE (0: gone).
    #[serde(skip)]
    pub member_info: Vec<(&'static str, u64)>,
    /// What could not be read or is not as cacheops writes it (a key of
    /// another type under a cacheops name, a schemes key that is not a set).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct References {
    pub conj_keys: Vec<String>,
    /// Conj keys looked at, and whether that was all of them.
    pub searched: u64,
    pub complete: bool,
}

/// Describes one key (given in full, prefix included).
pub fn show_key(con: &mut Connection, ns: &Namespace, key: &str) -> Result<KeyView> {
    let mut family = ns.family(key).unwrap_or(Family::Other);
    let mut v = KeyView {
        key: key.to_string(),
        ..Default::default()
    };
    v.redis_type = crate::probe::types(con, &[key.to_string()])?
        .pop()
        .unwrap_or_default();
    if v.redis_type == "none" {
        v.ttl = -2;
        v.family = family.name();
        return Ok(v);
    }
    // Named like cacheops' but of another type: someone else's key, shown as such.
    if !type_fits(family, &v.redis_type) {
        let odd = OddKey {
            key: key.to_string(),
            redis_type: v.redis_type.clone(),
            named_like: family.name(),
        };
        v.warnings.push(format!("{}: not cacheops'", odd.describe()));
        family = Family::Other;
    }
    v.family = family.name();
    if family != Family::Other {
        v.table = ns.table_of(key).map(str::to_string);
    }
    let (ttl, enc, mem): (i64, Option<String>, Option<u64>) = redis::pipe()
        .cmd("TTL")
        .arg(key)
        .cmd("OBJECT")
        .arg("ENCODING")
        .arg(key)
        .cmd("MEMORY")
        .arg("USAGE")
        .arg(key)
        .query(con)?;
    v.ttl = ttl;
    v.encoding = enc;
    v.memory = mem;
    match v.redis_type.as_str() {
        "string" => {
            v.size = redis::cmd("STRLEN").arg(key).query(con)?;
            let value: Vec<u8> = redis::cmd("GETRANGE")
                .arg(key)
                .arg(0)
                .arg(VALUE_CAP as i64 - 1)
                .query(con)?;
            v.lock = value == b"LOCK";
            let (sum, _) = crate::pickle::split_insideout(&value);
            v.checksum = sum.map(str::to_string);
            v.value = Some(value);
            if family.is_cache_entry() && v.checksum.is_none() && !v.lock {
                v.referenced_by = Some(find_references(con, ns, key)?);
            }
        }
        "set" => {
            v.size = redis::cmd("SCARD").arg(key).query(con)?;
            let mut members: Vec<String> = scan_page(con, "SSCAN", key)?.iter().map(|m| lossy(m)).collect();
            members.sort();
            v.members = with_ttls(con, members, family == Family::Conj)?;
            if family == Family::Conj {
                v.member_info = sizes_of(con, ns, &v.members)?;
            }
        }
        "list" => {
            v.size = redis::cmd("LLEN").arg(key).query(con)?;
            let items: Vec<Vec<u8>> = redis::cmd("LRANGE")
                .arg(key)
                .arg(0)
                .arg(MEMBERS_SHOWN as i64 - 1)
                .query(con)?;
            v.members = items.iter().map(|i| (shown(i), -1)).collect();
        }
        // Not cacheops' types, but someone's keys in the same db: their size
        // and a bounded first page.
        "hash" => {
            v.size = redis::cmd("HLEN").arg(key).query(con)?;
            let flat = scan_page(con, "HSCAN", key)?;
            let mut fields: Vec<String> = flat
                .chunks(2)
                .map(|p| {
                    format!(
                        "{} = {}",
                        shown(&p[0]),
                        p.get(1).map(|v| shown(v)).unwrap_or_default()
                    )
                })
                .collect();
            fields.sort();
            v.members = fields.into_iter().map(|f| (f, -1)).collect();
        }
        "zset" => {
            v.size = redis::cmd("ZCARD").arg(key).query(con)?;
            let flat: Vec<Vec<u8>> = redis::cmd("ZRANGE")
                .arg(key)
                .arg(0)
                .arg(MEMBERS_SHOWN as i64 - 1)
                .arg("WITHSCORES")
                .query(con)?;
            v.members = flat
                .chunks(2)
                .map(|p| {
                    (
                        format!(
                            "{} (score {})",
                            shown(&p[0]),
                            p.get(1).map(|s| lossy(s)).unwrap_or_default()
                        ),
                        -1,
                    )
                })
                .collect();
        }
        "stream" => {
            v.size = redis::cmd("XLEN").arg(key).query(con)?;
        }
        _ => {}
    }
    if family == Family::Conj {
        if let Some(table) = v.table.clone() {
            let layout = Layout::from_conj_type(&v.redis_type).unwrap_or(Layout::Classic);
            match conditions_of(con, ns, key, &table, layout)? {
                Some(c) => v.conditions = c,
                None => v.warnings.push(format!(
                    "{} is not a set: its conditions cannot be read",
                    ns.schemes_key(&table)
                )),
            }
        }
    }
    Ok(v)
}

/// Up to MEMBERS_SHOWN elements of a set (SSCAN) or field-value pairs of a
/// hash (HSCAN, flat), SCAN pages until that many: never the whole collection.
fn scan_page(con: &mut Connection, command: &str, key: &str) -> Result<Vec<Vec<u8>>> {
    // A hash page is pairs: twice the elements for as many fields.
    let want = if command == "HSCAN" {
        2 * MEMBERS_SHOWN
    } else {
        MEMBERS_SHOWN
    };
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, page): (u64, Vec<Vec<u8>>) = redis::cmd(command)
            .arg(key)
            .arg(cursor)
            .arg("COUNT")
            .arg(MEMBERS_SHOWN)
            .query(con)?;
        out.extend(page);
        if next == 0 || out.len() >= want {
            break;
        }
        cursor = next;
    }
    out.truncate(want);
    Ok(out)
}

/// Bytes as text: someone else's values need not be UTF-8.
fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Characters of a list item, hash field or value, sorted-set member shown.
const ELEMENT_SHOWN: usize = 200;

/// An element as shown: text, cut after ELEMENT_SHOWN characters.
fn shown(b: &[u8]) -> String {
    let s = lossy(b);
    match s.char_indices().nth(ELEMENT_SHOWN) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

/// Family and size of a conj set's members, gone ones (TTL -2) not asked.
fn sizes_of(
    con: &mut Connection,
    ns: &Namespace,
    members: &[(String, i64)],
) -> Result<Vec<(&'static str, u64)>> {
    let mut pipe = redis::pipe();
    for (m, _) in members.iter().filter(|(_, ttl)| *ttl != -2) {
        pipe.cmd("MEMORY").arg("USAGE").arg(m);
    }
    let sizes: Vec<Option<u64>> = if members.iter().all(|(_, t)| *t == -2) {
        Vec::new()
    } else {
        pipe.query(con)?
    };
    let mut it = sizes.into_iter();
    Ok(members
        .iter()
        .map(|(m, ttl)| {
            let family = ns.family(m).map(|f| f.name()).unwrap_or("foreign");
            let size = if *ttl == -2 {
                0
            } else {
                it.next().flatten().unwrap_or(0)
            };
            (family, size)
        })
        .collect())
}

/// Members with their TTL; cache keys are probed quietly first (no keymiss).
fn with_ttls(con: &mut Connection, members: Vec<String>, are_keys: bool) -> Result<Vec<(String, i64)>> {
    if !are_keys || members.is_empty() {
        return Ok(members.into_iter().map(|m| (m, -1)).collect());
    }
    let types = crate::probe::types(con, &members)?;
    let mut pipe = redis::pipe();
    for (m, t) in members.iter().zip(&types) {
        if t != "none" {
            pipe.cmd("TTL").arg(m);
        }
    }
    let ttls: Vec<i64> = if types.iter().all(|t| t == "none") {
        Vec::new()
    } else {
        pipe.query(con)?
    };
    let mut it = ttls.into_iter();
    Ok(members
        .into_iter()
        .zip(types)
        .map(|(m, t)| {
            if t == "none" {
                (m, -2)
            } else {
                (m, it.next().unwrap_or(-2))
            }
        })
        .collect())
}

/// A conj key's conditions as text (`category_id = 3 AND is_published = true`);
/// `None` when the table's schemes key is not a set.
fn conditions_of(
    con: &mut Connection,
    ns: &Namespace,
    key: &str,
    table: &str,
    layout: Layout,
) -> Result<Option<Vec<String>>> {
    let mut schemes = Vec::new();
    let is_set = crate::scan::sscan_if_set(con, &ns.schemes_key(table), |page| {
        schemes.extend(page.iter().map(|s| crate::conj::Scheme::parse(s)));
        Ok(())
    })?;
    if !is_set {
        return Ok(None);
    }
    let part = &key[ns.conj_key_start(table).len()..];
    let readings = crate::conj::parse_with_schemes(part, &schemes);
    Ok(Some(
        readings
            .iter()
            .map(|conds| crate::conj::describe_conditions(conds, layout))
            .collect(),
    ))
}

/// Which conj sets hold `key`: SISMEMBER over the conj sets, pipelined a
/// SCAN page at a time, up to REFERENCE_SEARCH_LIMIT of them.
fn find_references(con: &mut Connection, ns: &Namespace, key: &str) -> Result<References> {
    let mut r = References {
        complete: true,
        ..Default::default()
    };
    let mut scan = Scan::new(format!("{}conj:*", glob_escape(&ns.prefix))).of_type("set");
    while let Some(page) = scan.next_page(con)? {
        let (keys, _) = page.utf8_keys();
        if !keys.is_empty() {
            let mut pipe = redis::pipe();
            for k in &keys {
                pipe.cmd("SISMEMBER").arg(k).arg(key);
            }
            let hits: Vec<bool> = pipe.query(con)?;
            r.conj_keys
                .extend(keys.iter().zip(hits).filter(|(_, h)| *h).map(|(k, _)| k.clone()));
            r.searched += keys.len() as u64;
        }
        if r.searched >= REFERENCE_SEARCH_LIMIT {
            r.complete = false;
            break;
        }
    }
    r.conj_keys.sort();
    Ok(r)
}

// ---------------------------------------------------------------- walks for browsing

/// One table as the Tables view lists it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableSummary {
    pub conj_keys: u64,
    /// Sum of its conj sets' sizes (classic).
    pub references: u64,
    /// Bytes its conj keys take (MEMORY USAGE, sampled for large sets).
    pub memory: u64,
}

/// The tables with cached data, found a SCAN page at a time so that a viewer
/// can show them as they come; the cursor only moves forward.
pub struct TablesWalk {
    ns: Namespace,
    scan: Scan,
    pub tables: BTreeMap<String, TableSummary>,
    pub fraction: f64,
    pub done: bool,
}

impl TablesWalk {
    pub fn new(ns: &Namespace) -> TablesWalk {
        TablesWalk {
            scan: Scan::new(format!("{}conj:*", glob_escape(&ns.prefix))),
            ns: ns.clone(),
            tables: BTreeMap::new(),
            fraction: 0.0,
            done: false,
        }
    }

    /// Reads one SCAN page (bounded work) and adds it to the tables.
    pub fn step(&mut self, con: &mut Connection) -> Result<()> {
        let Some(page) = self.scan.next_page(con)? else {
            self.done = true;
            return Ok(());
        };
        self.fraction = page.fraction;
        let (keys, _) = page.utf8_keys();
        let types = crate::probe::types(con, &keys)?;
        // Gone keys, and keys of a type no conj key has (not cacheops'), are left out.
        let live: Vec<(&String, &String)> = keys
            .iter()
            .zip(&types)
            .filter(|(_, t)| type_fits(Family::Conj, t))
            .collect();
        if live.is_empty() {
            return Ok(());
        }
        // One round trip: each key's sampled size, and a set's cardinality.
        let mut pipe = redis::pipe();
        for (k, t) in &live {
            pipe.cmd("MEMORY").arg("USAGE").arg(*k);
            if *t == "set" {
                pipe.cmd("SCARD").arg(*k);
            } else {
                pipe.cmd("STRLEN").arg(*k);
            }
        }
        let replies: Vec<Option<u64>> = pipe.query(con)?;
        for ((k, t), r) in live.iter().zip(replies.chunks(2)) {
            let Some(table) = self.ns.table_of(k) else {
                continue;
            };
            let s = self.tables.entry(table.to_string()).or_default();
            s.conj_keys += 1;
            s.memory += r[0].unwrap_or(0);
            if *t == "set" {
                s.references += r[1].unwrap_or(0);
            }
        }
        Ok(())
    }
}

/// A conj key as the Table view lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ConjRow {
    pub key: String,
    /// Conditions as text (the first reading when a value contains `&` or `=`).
    pub conditions: String,
    /// Members of a set; 0 for an insideout stamp.
    pub members: u64,
    pub ttl: i64,
}

/// The conj keys of one table, a SCAN page at a time ("load more" continues
/// the cursor, never restarts it).
pub struct ConjWalk {
    scan: Scan,
    start: usize,
    schemes: Vec<crate::conj::Scheme>,
    pub done: bool,
}

impl ConjWalk {
    pub fn new(con: &mut Connection, ns: &Namespace, table: &str) -> Result<ConjWalk> {
        let mut schemes = Vec::new();
        // A schemes key of another type (not cacheops'): conditions show unparsed.
        crate::scan::sscan_if_set(con, &ns.schemes_key(table), |page| {
            schemes.extend(page.iter().map(|s| crate::conj::Scheme::parse(s)));
            Ok(())
        })?;
        Ok(ConjWalk {
            scan: Scan::new(ns.conj_pattern(table)),
            start: ns.conj_key_start(table).len(),
            schemes,
            done: false,
        })
    }

    /// The table's schemes (the field sets its conj keys are built from),
    /// `()` for the empty one.
    pub fn schemes(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .schemes
            .iter()
            .map(|s| {
                if s.0.is_empty() {
                    "()".to_string()
                } else {
                    s.0.join(",")
                }
            })
            .collect();
        v.sort();
        v
    }

    /// Up to about `want` more rows (SCAN pages until that many or the end).
    pub fn more(&mut self, con: &mut Connection, want: usize) -> Result<Vec<ConjRow>> {
        let mut rows = Vec::new();
        while rows.len() < want && !self.done {
            let Some(page) = self.scan.next_page(con)? else {
                self.done = true;
                break;
            };
            let (keys, _) = page.utf8_keys();
            if keys.is_empty() {
                continue;
            }
            let types = crate::probe::types(con, &keys)?;
            // Gone keys, and keys of a type no conj key has (not cacheops'), are left out.
            let (keys, types): (Vec<String>, Vec<String>) = keys
                .into_iter()
                .zip(types)
                .filter(|(_, t)| type_fits(Family::Conj, t))
                .unzip();
            if keys.is_empty() {
                continue;
            }
            let mut pipe = redis::pipe();
            for (k, t) in keys.iter().zip(&types) {
                if t == "set" {
                    pipe.cmd("SCARD").arg(k);
                } else {
                    pipe.cmd("STRLEN").arg(k);
                }
                pipe.cmd("TTL").arg(k);
            }
            let replies: Vec<i64> = pipe.query(con)?;
            for (i, (k, t)) in keys.iter().zip(&types).enumerate() {
                let layout = Layout::from_conj_type(t).unwrap_or(Layout::Classic);
                let readings = crate::conj::parse_with_schemes(&k[self.start.min(k.len())..], &self.schemes);
                let conditions = readings
                    .first()
                    .map(|c| crate::conj::describe_conditions(c, layout))
                    .unwrap_or_else(|| format!("(unparsed) {}", &k[self.start.min(k.len())..]));
                rows.push(ConjRow {
                    key: k.clone(),
                    conditions,
                    members: if t == "set" {
                        replies[2 * i].max(0) as u64
                    } else {
                        0
                    },
                    ttl: replies[2 * i + 1],
                });
            }
        }
        Ok(rows)
    }
}

/// A key as the raw Keys view lists it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyRow {
    pub key: String,
    /// The cacheops family, `foreign` outside the prefix.
    pub family: &'static str,
    pub redis_type: String,
    pub ttl: i64,
    /// MEMORY USAGE (sampled for large aggregates).
    pub memory: u64,
}

/// Every key matching a glob, a SCAN page at a time; "load more" continues
/// the cursor. Each call reads a bounded number of pages, so a rare pattern
/// on a large db answers with what it found so far instead of walking it all.
pub struct KeysWalk {
    ns: Namespace,
    scan: Scan,
    pub fraction: f64,
    pub done: bool,
}

/// SCAN pages one `KeysWalk::more` reads at most.
const KEYS_WALK_PAGES: usize = 40;

impl KeysWalk {
    /// `glob`: a SCAN MATCH pattern; `None` is every key of the prefix.
    pub fn new(ns: &Namespace, glob: Option<&str>) -> KeysWalk {
        KeysWalk {
            scan: Scan::new(glob.map(str::to_string).unwrap_or_else(|| ns.all_pattern())),
            ns: ns.clone(),
            fraction: 0.0,
            done: false,
        }
    }

    pub fn more(&mut self, con: &mut Connection, want: usize) -> Result<Vec<KeyRow>> {
        let mut rows = Vec::new();
        for _ in 0..KEYS_WALK_PAGES {
            if rows.len() >= want || self.done {
                break;
            }
            let Some(page) = self.scan.next_page(con)? else {
                self.done = true;
                break;
            };
            self.fraction = page.fraction;
            let (keys, _) = page.utf8_keys();
            if keys.is_empty() {
                continue;
            }
            let types = crate::probe::types(con, &keys)?;
            let live: Vec<(String, String)> =
                keys.into_iter().zip(types).filter(|(_, t)| t != "none").collect();
            let mut pipe = redis::pipe();
            for (k, _) in &live {
                // TTL on a key that exists emits no keymiss (see `probe`).
                pipe.cmd("TTL").arg(k);
                pipe.cmd("MEMORY").arg("USAGE").arg(k);
            }
            let replies: Vec<Option<i64>> = if live.is_empty() {
                Vec::new()
            } else {
                pipe.query(con)?
            };
            for ((key, redis_type), r) in live.into_iter().zip(replies.chunks(2)) {
                let family = match self.ns.family(&key) {
                    None => "foreign",
                    // Named like cacheops' but of another type: not cacheops'.
                    Some(f) if !type_fits(f, &redis_type) => Family::Other.name(),
                    Some(f) => f.name(),
                };
                rows.push(KeyRow {
                    family,
                    key,
                    redis_type,
                    ttl: r[0].unwrap_or(-2),
                    memory: r[1].unwrap_or(0).max(0) as u64,
                });
            }
        }
        Ok(rows)
    }
}
