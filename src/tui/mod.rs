//! `cacheops tui`: browse tables, conditions, entries and decoded values.
//! State (app), drawing (draw), key bindings (keymap) and Redis work
//! (worker, on its own thread) are kept apart; everything Redis-shaped comes
//! from the core.

pub mod app;
mod dialog;
pub mod draw;
pub mod keymap;
pub mod trace;
mod views;
pub mod worker;

use std::io::Stdout;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::ExecutableCommand;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::error::{Error, Result};

pub use app::{App, AppConfig};
pub use worker::WorkerConfig;

fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = std::io::stdout().execute(DisableMouseCapture);
    let _ = std::io::stdout().execute(LeaveAlternateScreen);
}

/// Runs the TUI until `q` or Ctrl-C; the terminal is restored in every case,
/// a panic included.
pub fn run(worker: WorkerConfig, config: AppConfig) -> Result<()> {
    run_until(worker, config, None)
}

/// As `run`, also ending when `stop` is set (a signal, for `cacheops demo`).
pub fn run_until(worker: WorkerConfig, config: AppConfig, stop: Option<Arc<AtomicBool>>) -> Result<()> {
    let io = |e: std::io::Error| Error::Io(format!("terminal: {e}"));
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    terminal::enable_raw_mode().map_err(io)?;
    std::io::stdout().execute(EnterAlternateScreen).map_err(io)?;
    std::io::stdout().execute(EnableMouseCapture).map_err(io)?;
    let result = (|| {
        let mut term: Terminal<CrosstermBackend<Stdout>> =
            Terminal::new(CrosstermBackend::new(std::io::stdout())).map_err(io)?;
        let mut app = App::new(worker::spawn(worker), config);
        let theme = draw::Theme::from_env();
        let mut trace = trace::Trace::from_env();
        let (mut drawn, mut tables_logged, mut keys_logged) = (false, false, false);
        // When the oldest key not yet on screen was read.
        let mut key_at: Option<Instant> = None;
        while !app.quit && !stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) {
            app.poll();
            // Page keys move by what is on screen.
            if let Ok(s) = term.size() {
                app.page_rows = s.height.saturating_sub(6) as usize;
                app.term_size = (s.width, s.height);
            }
            term.draw(|f| draw::draw(f, &app, theme)).map_err(io)?;
            if trace.on() {
                if !drawn {
                    drawn = true;
                    trace.event("first_draw", "");
                }
                if let Some(at) = key_at.take() {
                    trace.event("key_to_redraw_ms", at.elapsed().as_secs_f64() * 1000.0);
                }
                if app.tables_done && !tables_logged {
                    tables_logged = true;
                    trace.event("tables_done", app.tables.len());
                }
                if app.keys_done && !keys_logged {
                    keys_logged = true;
                    trace.event("keys_done", app.keys_seen());
                    trace.event("peak_rss_kib", trace::peak_rss_kib());
                }
            }
            // Short polls: worker answers show up within 50 ms, keys at once.
            // Keys that queued up are handled together, for at most a frame's
            // time: a flood of input never starves the screen.
            let mut wait = Duration::from_millis(50);
            let frame = Instant::now();
            while frame.elapsed() < Duration::from_millis(16) && event::poll(wait).map_err(io)? {
                wait = Duration::ZERO;
                match event::read().map_err(io)? {
                    Event::Key(k) if k.kind == KeyEventKind::Press => {
                        key_at.get_or_insert_with(Instant::now);
                        app.on_key(k)
                    }
                    Event::Mouse(m) => app.on_mouse(m),
                    // ratatui redraws to the new size on the next draw.
                    _ => {}
                }
                if app.quit {
                    break;
                }
            }
        }
        trace.event("exit_peak_rss_kib", trace::peak_rss_kib());
        Ok(())
    })();
    restore();
    result
}
