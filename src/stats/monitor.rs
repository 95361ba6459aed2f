//! Exact reads from MONITOR (`cacheops stats --exact`): every GET of a cache
//! key, and the first key of every MGET (insideout reads fetch the entry and
//! its conj stamps in one MGET). MONITOR costs the server on every command:
//! the CLI warns before using it. It also shows where each interval ends:
//! the stats loop's PUBLISH on its barrier channel (see `super::run`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;

use crate::conn::Target;
use crate::error::Result;
use crate::keys::Namespace;

/// Reads queued for the stats loop, at most; past that they are counted as dropped.
const QUEUE: usize = 100_000;

/// What MONITOR showed, in the server's order.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// A read of this cache key.
    Read(String),
    /// The stats loop's barrier number `n`: the reads before it are those of
    /// the interval it ends.
    Barrier(u64),
}

/// A running MONITOR: cache keys read and barriers, in order.
pub struct Reads {
    pub rx: Receiver<Seen>,
    /// Reads the stats loop could not keep up with.
    pub dropped: Arc<AtomicU64>,
}

/// Starts MONITOR on its own connection and thread.
pub fn start(target: &Target, ns: &Namespace, barrier: &str, stop: Arc<AtomicBool>) -> Result<Reads> {
    let mut con = target.connect()?;
    redis::cmd("MONITOR").query::<()>(&mut con)?;
    // No read timeout: a timed-out read can drop what was buffered (lines
    // lost). The thread blocks on reads and ends with the process.
    con.set_read_timeout(None)?;
    let (tx, rx) = sync_channel(QUEUE);
    let dropped = Arc::new(AtomicU64::new(0));
    let d = Arc::clone(&dropped);
    let db = target.db();
    let ns = ns.clone();
    let barrier = barrier.to_string();
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match con.recv_response() {
                Ok(redis::Value::SimpleString(line)) => {
                    if let Some(key) = read_of(&line, db, &ns) {
                        send(&tx, key, &d);
                    } else if let Some(n) = barrier_of(&line, &barrier) {
                        // Never dropped: the stats loop waits for it, draining.
                        if tx.send(Seen::Barrier(n)).is_err() {
                            break;
                        }
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    Ok(Reads { rx, dropped })
}

fn send(tx: &SyncSender<Seen>, key: String, dropped: &AtomicU64) {
    if let Err(TrySendError::Full(_)) = tx.try_send(Seen::Read(key)) {
        dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// The cache key a MONITOR line reads, if it is a GET or MGET on `db` of a
/// cache key: `1700000000.123456 [0 127.0.0.1:5432] "GET" "q:..."`.
pub fn read_of(line: &str, db: i64, ns: &Namespace) -> Option<String> {
    let rest = line.split_once(" [")?.1;
    let (client, args) = rest.split_once("] ")?;
    if client.split(' ').next()?.parse::<i64>().ok()? != db {
        return None;
    }
    let mut words = quoted_words(args);
    let cmd = words.next()?.to_ascii_uppercase();
    if cmd != "GET" && cmd != "MGET" {
        return None;
    }
    let key = words.next()?;
    ns.family(&key).filter(|f| f.is_cache_entry()).map(|_| key)
}

/// The barrier number a MONITOR line publishes on `channel`, if it does:
/// `1700000000.123456 [2 127.0.0.1:5432] "PUBLISH" "<channel>" "7"` (any db).
pub fn barrier_of(line: &str, channel: &str) -> Option<u64> {
    let (_, args) = line.split_once(" [")?.1.split_once("] ")?;
    let mut words = quoted_words(args);
    if !words.next()?.eq_ignore_ascii_case("PUBLISH") || words.next()? != channel {
        return None;
    }
    words.next()?.parse().ok()
}

/// MONITOR's quoted arguments, unescaped (\" \\ \xHH and the C escapes).
fn quoted_words(s: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = s.chars().peekable();
    std::iter::from_fn(move || {
        while chars.peek().is_some_and(|c| *c != '"') {
            chars.next();
        }
        chars.next()?;
        let mut out = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'x' => {
                        let hex: String = [chars.next()?, chars.next()?].iter().collect();
                        out.push(u8::from_str_radix(&hex, 16).ok()? as char);
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        Some(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_monitor_lines() {
        let ns = Namespace::new("");
        let k = "q:0123456789abcdef0123456789abcdef";
        assert_eq!(
            read_of(
                &format!("1700000000.1 [0 127.0.0.1:5000] \"GET\" \"{k}\""),
                0,
                &ns
            )
            .as_deref(),
            Some(k)
        );
        assert_eq!(
            read_of(
                &format!("1700000000.1 [0 127.0.0.1:5000] \"MGET\" \"{k}\" \"conj:t:id=1\""),
                0,
                &ns
            )
            .as_deref(),
            Some(k)
        );
        assert_eq!(
            read_of(&format!("1.1 [1 127.0.0.1:5000] \"GET\" \"{k}\""), 0, &ns),
            None,
            "other db"
        );
        assert_eq!(
            read_of(
                "1.1 [0 lua] \"get\" \"q:0123456789abcdef0123456789abcdef\"",
                0,
                &ns
            )
            .as_deref(),
            Some(k)
        );
        assert_eq!(
            read_of("1.1 [0 127.0.0.1:5000] \"SET\" \"x\" \"y\"", 0, &ns),
            None
        );
        assert_eq!(
            read_of("1.1 [0 127.0.0.1:5000] \"GET\" \"session:1\"", 0, &ns),
            None
        );
        let ch = "cacheops-stats-barrier:1:2";
        assert_eq!(
            barrier_of(&format!("1.1 [2 127.0.0.1:5000] \"PUBLISH\" \"{ch}\" \"7\""), ch),
            Some(7)
        );
        assert_eq!(
            barrier_of("1.1 [0 127.0.0.1:5000] \"publish\" \"other\" \"7\"", ch),
            None,
            "another channel"
        );
        assert_eq!(
            read_of(
                &format!("1.1 [0 127.0.0.1:5000] \"PUBLISH\" \"{ch}\" \"7\""),
                0,
                &ns
            ),
            None
        );
        let words: Vec<String> = quoted_words(r#""a\"b" "c\\d" "\x41""#).collect();
        assert_eq!(words, vec!["a\"b", "c\\d", "A"]);
    }
}
