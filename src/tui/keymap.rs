//! Every key binding, in one table: dispatch reads it, and so does the help
//! screen, so the two cannot disagree. Bindings that write are flagged:
//! `--read-only` drops them from both.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::views::wrap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    Sort,
    Refresh,
    More,
    NextView,
    PrevView,
    Invalidate,
    InvalidateObject,
    InvalidateLabel,
    Delete,
    Reap,
    EnableEvents,
    Help,
    Quit,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Changes Redis: absent in read-only mode.
    pub writes: bool,
}

const fn nav(keys: &'static [KeyCode], label: &'static str, action: Action, help: &'static str) -> Binding {
    Binding {
        keys,
        label,
        action,
        help,
        writes: false,
    }
}

const fn write(keys: &'static [KeyCode], label: &'static str, action: Action, help: &'static str) -> Binding {
    Binding {
        keys,
        label,
        action,
        help,
        writes: true,
    }
}

pub const BINDINGS: &[Binding] = &[
    nav(
        &[KeyCode::Down, KeyCode::Char('j')],
        "j/↓",
        Action::Down,
        "next row",
    ),
    nav(
        &[KeyCode::Up, KeyCode::Char('k')],
        "k/↑",
        Action::Up,
        "previous row",
    ),
    nav(&[KeyCode::PageDown], "PgDn", Action::PageDown, "a page down"),
    nav(&[KeyCode::PageUp], "PgUp", Action::PageUp, "a page up"),
    nav(
        &[KeyCode::Char('g'), KeyCode::Home],
        "g",
        Action::Top,
        "first row",
    ),
    nav(
        &[KeyCode::Char('G'), KeyCode::End],
        "G",
        Action::Bottom,
        "last row",
    ),
    nav(&[KeyCode::Enter], "Enter", Action::Open, "open the selected row"),
    nav(
        &[KeyCode::Esc, KeyCode::Backspace],
        "Esc",
        Action::Back,
        "back (clears a filter first)",
    ),
    nav(
        &[KeyCode::Tab],
        "Tab",
        Action::NextView,
        "next view: Tables, Keys, Stats, File cache",
    ),
    nav(&[KeyCode::BackTab], "S-Tab", Action::PrevView, "previous view"),
    nav(
        &[KeyCode::Char('/')],
        "/",
        Action::Filter,
        "filter the rows (Keys: a SCAN glob)",
    ),
    nav(
        &[KeyCode::Char('s')],
        "s",
        Action::Sort,
        "Tables: sort by the next column",
    ),
    nav(
        &[KeyCode::Char('m')],
        "m",
        Action::More,
        "load more rows (continues the SCAN)",
    ),
    nav(&[KeyCode::Char('r')], "r", Action::Refresh, "reload this view"),
    write(
        &[KeyCode::Char('i')],
        "i",
        Action::Invalidate,
        "invalidate the selected table (typed confirmation)",
    ),
    write(
        &[KeyCode::Char('o')],
        "o",
        Action::InvalidateObject,
        "invalidate one object of the table by pk (and fields)",
    ),
    write(
        &[KeyCode::Char('I')],
        "I",
        Action::InvalidateLabel,
        "invalidate a label: all, app, app.Model, app.Model.pk",
    ),
    write(
        &[KeyCode::Char('d'), KeyCode::Delete],
        "d",
        Action::Delete,
        "drop the selected conj set with its entries, or delete the key",
    ),
    write(
        &[KeyCode::Char('R')],
        "R",
        Action::Reap,
        "reap the dead members of the table's conj sets",
    ),
    write(
        &[KeyCode::Char('e')],
        "e",
        Action::EnableEvents,
        "Stats: enable the keyspace events stats need",
    ),
    nav(&[KeyCode::Char('?')], "?", Action::Help, "this help"),
    nav(&[KeyCode::Char('q')], "q", Action::Quit, "quit"),
];

/// Ctrl-C: closes what is open (a dialog, a filter being typed, the help),
/// else quits.
pub fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('c' | 'C'))
}

/// Held with Ctrl, Alt (or Super, Meta): such a key is never its plain
/// letter, so Ctrl-D does not delete and Ctrl-Y does not confirm. Shift is
/// part of the letter (`G`, `I`, `R`, Shift-Tab).
pub fn modified(key: &KeyEvent) -> bool {
    !key.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

/// The binding a key maps to (Ctrl-C quits; other modified keys map to none).
pub fn binding_for(key: &KeyEvent) -> Option<&'static Binding> {
    if is_ctrl_c(key) {
        return BINDINGS.iter().find(|b| b.action == Action::Quit);
    }
    if modified(key) {
        return None;
    }
    BINDINGS.iter().find(|b| b.keys.contains(&key.code))
}

/// The bindings on offer: without the writing ones in read-only mode.
pub fn offered(read_only: bool) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| !(read_only && b.writes))
}

/// The help screen's lines at `width` columns: each binding's key, and what
/// it does wrapped beside it; then how to leave.
pub fn help_lines(read_only: bool, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for b in offered(read_only) {
        for (i, row) in wrap(b.help, width.saturating_sub(10)).into_iter().enumerate() {
            let label = if i == 0 { b.label } else { "" };
            lines.push(format!("{label:>8}  {row}"));
        }
    }
    lines.push(String::new());
    let last = if read_only {
        "read-only: no action writes. j/k scroll; any other key closes this help"
    } else {
        "j/k scroll; any other key closes this help"
    };
    lines.extend(wrap(last, width));
    lines
}
