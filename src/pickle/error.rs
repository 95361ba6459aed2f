//! Why a byte string could not be read as a pickle.

use std::fmt;

/// A decoding failure with the byte offset of the opcode that failed, so that a person can
/// tell a truncated value (cut by a client or a bad copy) from garbage or a hostile pickle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickleError {
    /// Offset of the opcode being read when decoding stopped.
    pub offset: usize,
    pub kind: ErrorKind,
}

/// What went wrong; the limit variants say which safety budget a value exceeded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No bytes at all.
    Empty,
    /// The input ended inside an opcode or before `STOP`.
    Truncated,
    UnknownOpcode(u8),
    UnsupportedProtocol(u8),
    /// The named opcode needed more stack items than there were.
    StackUnderflow(&'static str),
    /// The named opcode needed a `MARK` and there was none.
    NoMark(&'static str),
    /// A memo read of a key that was never stored.
    MissingMemo(u64),
    /// An opcode argument or operand that no pickler writes (bad literal, wrong type, ...).
    Malformed(&'static str),
    /// Structures nested deeper than [`crate::pickle::Limits::max_depth`].
    TooDeep(usize),
    /// More values than [`crate::pickle::Limits::max_values`].
    TooManyValues(usize),
    /// More string/bytes content than [`crate::pickle::Limits::max_bytes`].
    TooManyBytes(usize),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Empty => write!(f, "empty input"),
            ErrorKind::Truncated => write!(f, "truncated"),
            ErrorKind::UnknownOpcode(op) => write!(f, "unknown opcode 0x{op:02x}"),
            ErrorKind::UnsupportedProtocol(p) => write!(f, "unsupported protocol {p}"),
            ErrorKind::StackUnderflow(op) => write!(f, "stack underflow in {op}"),
            ErrorKind::NoMark(op) => write!(f, "{op} without MARK"),
            ErrorKind::MissingMemo(key) => write!(f, "memo key {key} not set"),
            ErrorKind::Malformed(what) => write!(f, "{what}"),
            ErrorKind::TooDeep(limit) => write!(f, "nested deeper than {limit} levels"),
            ErrorKind::TooManyValues(limit) => write!(f, "more than {limit} values"),
            ErrorKind::TooManyBytes(limit) => write!(f, "more than {limit} bytes of strings"),
        }
    }
}

impl fmt::Display for PickleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl std::error::Error for PickleError {}
