//! Looking at what cacheops keeps in Redis: listing keys by family and table,
//! describing one key. Everything walks with SCAN in bounded steps.

use redis::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::keys::{glob_escape, Family, Namespace};
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
/// returns false to stop (a `--limit` reached, a closed pipe).
pub fn list_keys(
    con: &mut Connection,
    ns: &Namespace,
    f: &KeyFilter,
    mut each: impl FnMut(KeyInfo) -> bool,
) -> Result<()> {
    let mut scan = Scan::new(scan_pattern(ns, f));
    while let Some(page) = scan.next_page(con)? {
        let (keys, _) = page.utf8_keys();
        let mut infos = Vec::new();
        for key in keys {
            let Some(family) = ns.family(&key) else { continue };
            let table = ns.table_of(&key).map(str::to_string);
            let wanted = match f.family {
                None => true,
                Some(FamilyFilter::Is(fam)) => fam == family,
                Some(FamilyFilter::Lock) => family.is_cache_entry(),
            } && match &f.table {
                None => true,
                Some(t) => table.as_deref() == Some(t.as_str()),
            };
            if wanted {
                infos.push(KeyInfo {
                    key,
                    family: family.name(),
                    table,
                });
            }
        }
        if f.family == Some(FamilyFilter::Lock) {
            infos = only_locks(con, infos)?;
        }
        for info in infos {
            if !each(info) {
                return Ok(());
            }
        }
    }
    Ok(())
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
