//! Errors of the core, each mapped to one documented exit code.
//!
//! The CLI prints `Error::to_string()` as a single line and exits with
//! `Error::exit_code()`; docs/exit-codes.md lists the same table.

use std::fmt;

/// Process exit codes. Keep in sync with docs/exit-codes.md and the CLI's `--help`.
pub mod exit {
    pub const OK: i32 = 0;
    /// A Redis command failed, or some work failed and the rest was done.
    pub const FAILURE: i32 = 1;
    /// Bad command line: a malformed label, bad `--fields` JSON, a bad flag value.
    pub const USAGE: i32 = 2;
    /// The configuration could not be read or makes no sense.
    pub const CONFIG: i32 = 3;
    /// Redis could not be reached, refused our credentials or timed out.
    pub const CONNECT: i32 = 4;
    /// A label names an app or model that the registry does not know.
    pub const UNKNOWN: i32 = 5;
    /// We refused to act: layout mismatch, or a broad action without confirmation.
    pub const REFUSED: i32 = 6;
    /// Another run holds the lock (an overlapping cron job): nothing was done.
    pub const BUSY: i32 = 7;
    /// `doctor` found a critical problem.
    pub const CRITICAL: i32 = 8;
    /// `cleanfilecache` stopped at `--max-delete`: more files looked expired
    /// than the cap allows (a clock that jumped forward?).
    pub const STOPPED: i32 = 9;
    /// A bug: what Rust exits with after a panic (the CLI's panic hook prints
    /// one line first). Never returned on purpose.
    pub const INTERNAL: i32 = 101;
}

#[derive(Debug)]
pub enum Error {
    Usage(String),
    Config(String),
    Connect(String),
    Unknown(String),
    Refused(String),
    Busy(String),
    Redis(String),
    Io(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Config(_) => exit::CONFIG,
            Error::Connect(_) => exit::CONNECT,
            Error::Unknown(_) => exit::UNKNOWN,
            Error::Refused(_) => exit::REFUSED,
            Error::Busy(_) => exit::BUSY,
            Error::Redis(_) | Error::Io(_) => exit::FAILURE,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m)
            | Error::Config(m)
            | Error::Connect(m)
            | Error::Unknown(m)
            | Error::Refused(m)
            | Error::Busy(m)
            | Error::Redis(m)
            | Error::Io(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<redis::RedisError> for Error {
    /// Errors raised mid-session (after connecting). Connection-time errors go
    /// through `conn::describe_connect_error`, which knows the target.
    fn from(e: redis::RedisError) -> Self {
        if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() {
            Error::Connect(format!("lost the connection to Redis: {e}"))
        } else {
            Error::Redis(format!("Redis error: {e}"))
        }
    }
}
