//! How the CLI talks: human tables or JSON on stdout, errors and notes on
//! stderr, progress bars only on a terminal, colour only when allowed.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use comfy_table::{presets, ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressStyle};

use cacheops::error::Error;
use cacheops::invalidate::Progress;

use super::GlobalArgs;

pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    color: bool,
    stderr_tty: bool,
}

impl Output {
    pub fn new(g: &GlobalArgs) -> Output {
        let stderr_tty = std::io::stderr().is_terminal();
        let color = stderr_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Output {
            json: g.json,
            quiet: g.quiet,
            verbose: g.verbose,
            color,
            stderr_tty,
        }
    }

    /// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
    pub fn print(&self, text: &str) {
        let mut o = std::io::stdout().lock();
        let _ = writeln!(o, "{text}");
    }

    pub fn print_json(&self, v: &serde_json::Value) {
        self.print(&serde_json::to_string_pretty(v).unwrap_or_default());
    }

    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{} {text}", self.paint("note:", "33"));
        }
    }

    /// A problem that did not stop the run; shown even with -q.
    pub fn warn(&self, text: &str) {
        eprintln!("{} {}", self.paint("warning:", "33"), clip(text));
    }

    pub fn error(&self, e: &Error) {
        eprintln!("{} {}", self.paint("error:", "31"), clip(&e.to_string()));
    }

    fn paint(&self, s: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header.iter().copied());
        if !std::io::stdout().is_terminal() {
            t.load_preset(presets::ASCII_MARKDOWN);
        }
        // A terminal that reports no width (e.g. under `script`) would squeeze
        // every column to one character: let such lines run long instead.
        if t.width().is_some_and(|w| w < 20) {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        t
    }

    /// A progress bar on a terminal; nothing otherwise (cron, pipes, --json, -q).
    pub fn progress(&self) -> Bar {
        if self.stderr_tty && !self.json && !self.quiet {
            let pb = ProgressBar::new(1000);
            pb.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {percent:>3}% {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            pb.enable_steady_tick(Duration::from_millis(120));
            Bar(Some(pb))
        } else {
            Bar(None)
        }
    }
}

pub struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn update(&self, fraction: f64, message: &str) {
        if let Some(pb) = &self.0 {
            pb.set_position((fraction.clamp(0.0, 1.0) * 1000.0) as u64);
            pb.set_message(message.to_string());
        }
    }
}

impl Bar {
    /// Runs `f` with the bar hidden (a prompt must not be drawn over).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(pb) => pb.suspend(f),
            None => f(),
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

/// One message line stays readable when it quotes a huge input (a 3 MB label
/// on stdin, a pasted blob): its middle is cut, its start and end kept.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 2000;
    if text.len() <= MAX {
        return text.into();
    }
    // Char boundaries by hand: str::floor_char_boundary is newer than our MSRV.
    let mut head = MAX * 3 / 4;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - MAX / 4;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{}…({} bytes cut)…{}", &text[..head], tail - head, &text[tail..]).into()
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn long_messages_keep_their_ends() {
        assert_eq!(clip("short"), "short");
        let long = format!("line 3: {}é{}; skipped", "x".repeat(3000), "y".repeat(3000));
        let c = clip(&long);
        assert!(c.len() < 2100, "{}", c.len());
        assert!(c.starts_with("line 3: xxx") && c.ends_with("yyy; skipped"), "{c}");
        assert!(c.contains("bytes cut)"));
    }
}
