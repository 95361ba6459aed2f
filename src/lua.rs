//! This tool's Lua scripts (src/lua/), loaded once, each with the shared
//! prelude in front. One registry, so that `doctor --slowlog` can recognise
//! them by SHA1 as well.

use std::sync::OnceLock;

use redis::Script;

/// Our scripts, by the name shown in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lua {
    InvalidateDict,
    DrainConj,
    ReapMembers,
    KeyTypes,
}

impl Lua {
    pub const ALL: [Lua; 4] = [
        Lua::InvalidateDict,
        Lua::DrainConj,
        Lua::ReapMembers,
        Lua::KeyTypes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Lua::InvalidateDict => "invalidate_dict",
            Lua::DrainConj => "drain_conj",
            Lua::ReapMembers => "reap_members",
            Lua::KeyTypes => "key_types",
        }
    }

    fn body(self) -> &'static str {
        match self {
            Lua::InvalidateDict => include_str!("lua/invalidate_dict.lua"),
            Lua::DrainConj => include_str!("lua/drain_conj.lua"),
            Lua::ReapMembers => include_str!("lua/reap_members.lua"),
            Lua::KeyTypes => include_str!("lua/key_types.lua"),
        }
    }

    pub fn script(self) -> &'static Script {
        static SCRIPTS: OnceLock<Vec<Script>> = OnceLock::new();
        let all = SCRIPTS.get_or_init(|| {
            Lua::ALL
                .iter()
                .map(|l| Script::new(&format!("{}\n{}", include_str!("lua/prelude.lua"), l.body())))
                .collect()
        });
        &all[Lua::ALL.iter().position(|l| *l == self).unwrap_or(0)]
    }

    /// (SHA1, name) of every script, as EVALSHA names them.
    pub fn hashes() -> Vec<(String, &'static str)> {
        Lua::ALL
            .iter()
            .map(|l| (l.script().get_hash().to_string(), l.name()))
            .collect()
    }
}
