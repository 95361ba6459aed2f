//! cacheops: the data model of django-cacheops' Redis and file caches, and the
//! operations on it. The `cacheops` binary (src/cli/) and its TUI are thin
//! layers over this library; nothing here knows about either.
//!
//! Start with ../shared/cacheops-layout.md for what cacheops writes.

pub mod config;
pub mod conj;
pub mod conn;
pub mod database;
pub mod demo;
pub mod doctor;
pub mod error;
pub mod filecache;
pub mod inspect;
pub mod invalidate;
pub mod keys;
pub mod labels;
pub mod layout;
pub mod lua;
pub mod pickle;
pub mod probe;
pub mod reap;
pub mod scan;
pub mod stats;
pub mod tui;
pub mod units;

pub use error::{Error, Result};
