//! Looking at keys without disturbing what `cacheops stats` counts.
//!
//! On Redis 6 and 7, TYPE, EXISTS, TTL and reads emit a `keymiss` keyspace
//! event for a missing key, which the stats engine counts as a cache miss.
//! OBJECT does not; the probes here (and the Lua prelude) use it first.

use std::sync::OnceLock;

use redis::{Connection, Script};

use crate::error::Result;

fn types_script() -> &'static Script {
    static S: OnceLock<Script> = OnceLock::new();
    S.get_or_init(|| crate::invalidate::load_script(include_str!("lua/key_types.lua")))
}

/// The Redis type of each key (`none` when missing), in one round trip.
pub fn types(con: &mut Connection, keys: &[String]) -> Result<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut inv = types_script().prepare_invoke();
    for k in keys {
        inv.key(k);
    }
    Ok(inv.invoke(con)?)
}

/// Whether a key exists.
pub fn exists(con: &mut Connection, key: &str) -> Result<bool> {
    let enc: Option<String> = redis::cmd("OBJECT").arg("ENCODING").arg(key).query(con)?;
    Ok(enc.is_some())
}
