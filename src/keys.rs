//! The key families cacheops writes, and how to recognise them under a prefix.
//!
//! See ../shared/cacheops-layout.md ("Key families"). Every key starts with the
//! deployment's prefix (`CACHEOPS_PREFIX`), often empty.

/// What a key is, as far as its name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// `q:<md5>`: a cached queryset.
    Query,
    /// `as:<md5>`: `@cached_as`, `.count()`, `.exists()`, aggregates.
    CachedAs,
    /// `asp:<md5>`: the keep_fresh precall marker.
    Precall,
    /// `c:<md5>`: `@cached`, `cached_view`, template fragments.
    Cached,
    /// `conj:<table>:<conditions>`: an invalidation condition.
    Conj,
    /// `schemes:<table>`: the condition shapes seen for a table.
    Schemes,
    /// `<cache key>:signal`: a dog-pile lock's wake-up list.
    Signal,
    /// Anything else under the prefix: raw `cache.set()` keys or someone else's data.
    Other,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Query,
        Family::CachedAs,
        Family::Precall,
        Family::Cached,
        Family::Conj,
        Family::Schemes,
        Family::Signal,
        Family::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Query => "q",
            Family::CachedAs => "as",
            Family::Precall => "asp",
            Family::Cached => "c",
            Family::Conj => "conj",
            Family::Schemes => "schemes",
            Family::Signal => "signal",
            Family::Other => "other",
        }
    }

    /// Cache entries: the keys conj sets point at.
    pub fn is_cache_entry(self) -> bool {
        matches!(
            self,
            Family::Query | Family::CachedAs | Family::Precall | Family::Cached
        )
    }
}

/// A deployment's key namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namespace {
    pub prefix: String,
}

impl Namespace {
    pub fn new(prefix: impl Into<String>) -> Namespace {
        Namespace {
            prefix: prefix.into(),
        }
    }

    pub fn schemes_key(&self, table: &str) -> String {
        format!("{}schemes:{table}", self.prefix)
    }

    /// `P conj:<table>:` – the start of every conj key of a table.
    pub fn conj_key_start(&self, table: &str) -> String {
        format!("{}conj:{table}:", self.prefix)
    }

    /// SCAN MATCH pattern for every conj key of a table.
    pub fn conj_pattern(&self, table: &str) -> String {
        format!("{}*", glob_escape(&self.conj_key_start(table)))
    }

    /// SCAN MATCH pattern for every conj key whose table starts with `table_start`.
    pub fn conj_pattern_tables_starting(&self, table_start: &str) -> String {
        format!("{}conj:{}*", glob_escape(&self.prefix), glob_escape(table_start))
    }

    /// SCAN MATCH pattern for the schemes keys of tables starting with `table_start`.
    pub fn schemes_pattern_tables_starting(&self, table_start: &str) -> String {
        format!(
            "{}schemes:{}*",
            glob_escape(&self.prefix),
            glob_escape(table_start)
        )
    }

    /// SCAN MATCH pattern for every key under the prefix.
    pub fn all_pattern(&self) -> String {
        format!("{}*", glob_escape(&self.prefix))
    }

    /// Strips the prefix; `None` when the key is not ours.
    pub fn strip<'a>(&self, key: &'a str) -> Option<&'a str> {
        key.strip_prefix(self.prefix.as_str())
    }

    /// The family of a full key (prefix included).
    pub fn family(&self, key: &str) -> Option<Family> {
        self.strip(key).map(family_of_unprefixed)
    }

    /// The table of a `conj:` or `schemes:` key.
    pub fn table_of<'a>(&self, key: &'a str) -> Option<&'a str> {
        let rest = self.strip(key)?;
        if let Some(r) = rest.strip_prefix("conj:") {
            r.split_once(':').map(|(t, _)| t)
        } else {
            rest.strip_prefix("schemes:")
        }
    }
}

fn is_md5_hex(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn family_of_unprefixed(rest: &str) -> Family {
    if let Some(h) = rest.strip_prefix("q:") {
        if is_md5_hex(h) {
            return Family::Query;
        }
    }
    if let Some(h) = rest.strip_prefix("as:") {
        if is_md5_hex(h) {
            return Family::CachedAs;
        }
    }
    if let Some(h) = rest.strip_prefix("asp:") {
        if is_md5_hex(h) {
            return Family::Precall;
        }
    }
    if let Some(h) = rest.strip_prefix("c:") {
        if is_md5_hex(h) {
            return Family::Cached;
        }
    }
    if let Some(r) = rest.strip_prefix("conj:") {
        if r.contains(':') {
            return Family::Conj;
        }
    }
    if rest.starts_with("schemes:") {
        return Family::Schemes;
    }
    if let Some(base) = rest.strip_suffix(":signal") {
        if family_of_unprefixed(base).is_cache_entry() {
            return Family::Signal;
        }
    }
    Family::Other
}

/// Escapes Redis glob metacharacters so that `s` matches only itself.
pub fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\' | '^' | '-') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn families() {
        let ns = Namespace::new("site1:");
        assert_eq!(ns.family(&format!("site1:q:{H}")), Some(Family::Query));
        assert_eq!(ns.family(&format!("site1:as:{H}")), Some(Family::CachedAs));
        assert_eq!(ns.family(&format!("site1:asp:{H}")), Some(Family::Precall));
        assert_eq!(ns.family(&format!("site1:c:{H}")), Some(Family::Cached));
        assert_eq!(ns.family(&format!("site1:q:{H}:signal")), Some(Family::Signal));
        assert_eq!(ns.family("site1:conj:articles_article:id=1"), Some(Family::Conj));
        assert_eq!(ns.family("site1:conj:articles_article:"), Some(Family::Conj));
        assert_eq!(ns.family("site1:schemes:articles_article"), Some(Family::Schemes));
        assert_eq!(ns.family("site1:q:short"), Some(Family::Other));
        assert_eq!(ns.family("site1:session:x"), Some(Family::Other));
        assert_eq!(ns.family(&format!("q:{H}")), None);
    }

    #[test]
    fn tables() {
        let ns = Namespace::new("");
        assert_eq!(
            ns.table_of("conj:articles_article:id=1&x=a:b"),
            Some("articles_article")
        );
        assert_eq!(ns.table_of("conj:articles_article:"), Some("articles_article"));
        assert_eq!(ns.table_of("schemes:legacy_things"), Some("legacy_things"));
        assert_eq!(ns.table_of("q:x"), None);
    }

    #[test]
    fn patterns_escape_glob_characters() {
        let ns = Namespace::new("a*[b]?");
        assert_eq!(ns.conj_pattern("t_1"), "a\\*\\[b\\]\\?conj:t_1:*");
        assert_eq!(ns.all_pattern(), "a\\*\\[b\\]\\?*");
    }
}
