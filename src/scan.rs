//! Walking the keyspace without blocking Redis: SCAN in bounded steps.

use redis::Connection;

use crate::error::{Error, Result};

/// Keys asked for per SCAN call. Each call stays around a millisecond of
/// server time on a large db (../shared/cacheops-layout.md measured ~1.1 ms).
pub const SCAN_COUNT: usize = 500;

/// How far a SCAN has come, from its cursor: Redis walks hash buckets in
/// reverse-binary order, so the bit-reversed cursor grows from 0 to 2^64.
pub fn cursor_fraction(cursor: u64) -> f64 {
    cursor.reverse_bits() as f64 / 2f64.powi(64)
}

/// A SCAN in progress. `next_page` continues the cursor; it never restarts.
/// SCAN may return a key twice; callers must be idempotent.
pub struct Scan {
    pattern: String,
    type_filter: Option<String>,
    cursor: u64,
    done: bool,
}

/// One SCAN reply: matching keys (possibly none) and the fraction walked.
/// Keys are bytes: a db may hold keys that are not UTF-8 (someone else's).
pub struct Page {
    pub keys: Vec<Vec<u8>>,
    pub fraction: f64,
}

impl Page {
    /// The keys that are UTF-8 (every key cacheops writes is), and how many were not.
    pub fn utf8_keys(self) -> (Vec<String>, usize) {
        let total = self.keys.len();
        let keys: Vec<String> = self
            .keys
            .into_iter()
            .filter_map(|k| String::from_utf8(k).ok())
            .collect();
        let skipped = total - keys.len();
        (keys, skipped)
    }
}

impl Scan {
    pub fn new(pattern: impl Into<String>) -> Scan {
        Scan {
            pattern: pattern.into(),
            type_filter: None,
            cursor: 0,
            done: false,
        }
    }

    /// Only keys of this Redis type (SCAN's TYPE option, Redis >= 6).
    pub fn of_type(mut self, t: &str) -> Scan {
        self.type_filter = Some(t.to_string());
        self
    }

    pub fn next_page(&mut self, con: &mut Connection) -> Result<Option<Page>> {
        if self.done {
            return Ok(None);
        }
        let mut cmd = redis::cmd("SCAN");
        cmd.arg(self.cursor)
            .arg("MATCH")
            .arg(&self.pattern)
            .arg("COUNT")
            .arg(SCAN_COUNT);
        if let Some(t) = &self.type_filter {
            cmd.arg("TYPE").arg(t);
        }
        let (next, keys): (u64, Vec<Vec<u8>>) = cmd.query(con)?;
        self.cursor = next;
        self.done = next == 0;
        Ok(Some(Page {
            keys,
            fraction: if self.done { 1.0 } else { cursor_fraction(next) },
        }))
    }
}

/// Reads a set of unknown size in SSCAN pages. A key of another type is an
/// error that names it: someone else's key under a name cacheops uses.
pub fn sscan_all(con: &mut Connection, key: &str, each: impl FnMut(Vec<String>) -> Result<()>) -> Result<()> {
    if sscan_if_set(con, key, each)? {
        Ok(())
    } else {
        Err(Error::Redis(format!(
            "{key} is not a set (WRONGTYPE): not what cacheops keeps there; rename or delete that key"
        )))
    }
}

/// As `sscan_all`, for readers that skip a key of another type: `false` then.
/// A missing key reads as an empty set.
pub fn sscan_if_set(
    con: &mut Connection,
    key: &str,
    mut each: impl FnMut(Vec<String>) -> Result<()>,
) -> Result<bool> {
    let mut cursor: u64 = 0;
    loop {
        let reply = redis::cmd("SSCAN")
            .arg(key)
            .arg(cursor)
            .arg("COUNT")
            .arg(SCAN_COUNT)
            .query::<(u64, Vec<String>)>(con);
        let (next, members) = match reply {
            Err(e) if e.code() == Some("WRONGTYPE") => return Ok(false),
            r => r?,
        };
        each(members)?;
        if next == 0 {
            return Ok(true);
        }
        cursor = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_grows_with_reverse_binary_cursor() {
        // In a table of 8 buckets Redis visits 0,4,2,6,1,5,3,7.
        let order = [0u64, 4, 2, 6, 1, 5, 3, 7];
        let fr: Vec<f64> = order.iter().map(|&c| cursor_fraction(c)).collect();
        assert!(fr.windows(2).all(|w| w[0] < w[1]), "{fr:?}");
        assert_eq!(cursor_fraction(4), 0.125);
    }
}
