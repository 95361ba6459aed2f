//! A safe reader of the pickles that django-cacheops stores, for showing them to a person.
//!
//! cacheops writes `pickle.dumps(value)` (protocol 4 on Python 3.8 to 3.13, 5 on 3.14, with FRAME
//! opcodes); older or hand-written values may use protocols 0 to 3. Cache contents are untrusted
//! input for a tool that may run as an operator on a production box, so this is not an unpickler:
//! it never imports or calls anything. It replays the pickle opcodes into a tree of plain
//! [`Value`]s, keeping what a `GLOBAL` + `REDUCE`/`NEWOBJ`/`BUILD` would have constructed as an
//! [`Object`] (class path, arguments, state), and [`render`] turns the tree into Python-like text,
//! recognising the types cacheops values are made of (Django model instances, datetimes,
//! `Decimal`, `UUID`, `OrderedDict`, ...).
//!
//! Every input is handled without panicking, in time and memory bounded by [`Limits`]: memo
//! references share one decoded value instead of copying it, cycles become [`Value::Recursive`],
//! and rendering stops at an output budget however large the shared structure would expand.

mod error;
mod known;
mod render;
mod value;
mod vm;

pub use error::{ErrorKind, PickleError};
pub use render::{render, RenderOptions};
pub use value::{Construct, Global, Object, Value};
pub use vm::{decode, decode_with, Limits};

/// Splits a value of cacheops' insideout layout (`<sha1 hex of the conj stamps>:<pickle>`) so
/// that the same code can show values of every layout; other values come back whole.
pub fn split_insideout(raw: &[u8]) -> (Option<&str>, &[u8]) {
    const SHA1_HEX: usize = 40;
    match (raw.get(..SHA1_HEX), raw.get(SHA1_HEX)) {
        (Some(sum), Some(b':')) if sum.iter().all(u8::is_ascii_hexdigit) => {
            // All ASCII hex digits, so always valid UTF-8.
            match std::str::from_utf8(sum) {
                Ok(sum) => (Some(sum), raw.get(SHA1_HEX + 1..).unwrap_or_default()),
                Err(_) => (None, raw),
            }
        }
        _ => (None, raw),
    }
}

/// One line of text for any cache value, for listings that must show something for every key
/// (including garbage and cacheops' dog-pile `LOCK` marker) and must not fail.
pub fn describe(raw: &[u8], opts: &RenderOptions) -> String {
    let (_, data) = split_insideout(raw);
    if data == b"LOCK" {
        return "<LOCK: a cacheops client is computing this value>".to_string();
    }
    match decode(data) {
        Ok(value) => render(&value, opts),
        // Someone else's value (a plain string, JSON): what it holds is the
        // useful part, shown as Python shows bytes, within the string budget.
        Err(err) if raw.is_empty() => format!("<not a pickle (0 bytes): {err}>"),
        Err(err) => {
            let shown = &raw[..raw.len().min(opts.max_str_len)];
            let more = if shown.len() < raw.len() {
                format!("…(+{} bytes)", raw.len() - shown.len())
            } else {
                String::new()
            };
            format!(
                "<not a pickle ({} bytes): {}> {}{more}",
                raw.len(),
                err,
                render::py_bytes(shown)
            )
        }
    }
}

#[cfg(test)]
mod tests;
