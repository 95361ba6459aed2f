//! The two ways cacheops lays out its invalidation data.

use std::fmt;

/// `CACHEOPS_INSIDEOUT = False` (classic, the default) or `True` (insideout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// conj keys are sets of cache keys; invalidation deletes the members.
    Classic,
    /// conj keys are strings holding a stamp; cache values carry a checksum of
    /// their stamps, so invalidation only drops conj keys.
    InsideOut,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Classic => "classic",
            Layout::InsideOut => "insideout",
        }
    }

    /// The Redis type a conj key has in this layout.
    pub fn conj_type(self) -> &'static str {
        match self {
            Layout::Classic => "set",
            Layout::InsideOut => "string",
        }
    }

    /// The layout a conj key of Redis type `t` belongs to.
    pub fn from_conj_type(t: &str) -> Option<Layout> {
        match t {
            "set" => Some(Layout::Classic),
            "string" => Some(Layout::InsideOut),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Layout> {
        match s {
            "classic" => Some(Layout::Classic),
            "insideout" => Some(Layout::InsideOut),
            _ => None,
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
