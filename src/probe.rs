//! Looking at keys without disturbing what `cacheops stats` counts.
//!
//! On Redis 6 and 7, TYPE, EXISTS, TTL and reads emit a `keymiss` keyspace
//! event for a missing key, which the stats engine counts as a cache miss.
//! OBJECT does not; the probes here (and the Lua prelude) use it first.

use redis::Connection;

use crate::error::Result;
use crate::lua::Lua;

/// The Redis type of each key (`none` when missing), in one round trip.
pub fn types(con: &mut Connection, keys: &[String]) -> Result<Vec<String>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut inv = Lua::KeyTypes.script().prepare_invoke();
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
