//! Timings of the TUI for its benchmark (benches/tui.py): with
//! `CACHEOPS_TUI_TRACE=FILE`, one line per event, `<ms since process start>
//! <event> [value]`. Nothing is written without the variable.

use std::fs::File;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Marks the process start; `main` calls it first thing.
pub fn process_started() {
    STARTED.get_or_init(Instant::now);
}

pub struct Trace {
    file: Option<File>,
}

impl Trace {
    pub fn from_env() -> Trace {
        let file = std::env::var_os("CACHEOPS_TUI_TRACE").and_then(|p| File::create(p).ok());
        Trace { file }
    }

    pub fn on(&self) -> bool {
        self.file.is_some()
    }

    pub fn event(&mut self, name: &str, value: impl std::fmt::Display) {
        if let Some(f) = &mut self.file {
            let ms = STARTED.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0;
            let _ = writeln!(f, "{ms:.3} {name} {value}");
        }
    }
}

/// The process' peak resident memory in KiB (Linux; 0 elsewhere).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
