//! Every key binding, in one table: dispatch reads it, and so does the help
//! screen, so the two cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    Refresh,
    More,
    Help,
    Quit,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[KeyCode::Down, KeyCode::Char('j')],
        label: "j/↓",
        action: Action::Down,
        help: "next row",
    },
    Binding {
        keys: &[KeyCode::Up, KeyCode::Char('k')],
        label: "k/↑",
        action: Action::Up,
        help: "previous row",
    },
    Binding {
        keys: &[KeyCode::Char('g'), KeyCode::Home],
        label: "g",
        action: Action::Top,
        help: "first row",
    },
    Binding {
        keys: &[KeyCode::Char('G'), KeyCode::End],
        label: "G",
        action: Action::Bottom,
        help: "last row",
    },
    Binding {
        keys: &[KeyCode::Enter],
        label: "Enter",
        action: Action::Open,
        help: "open the selected row",
    },
    Binding {
        keys: &[KeyCode::Esc, KeyCode::Backspace],
        label: "Esc",
        action: Action::Back,
        help: "back (clears a filter first)",
    },
    Binding {
        keys: &[KeyCode::Char('/')],
        label: "/",
        action: Action::Filter,
        help: "filter the rows",
    },
    Binding {
        keys: &[KeyCode::Char('m')],
        label: "m",
        action: Action::More,
        help: "load more rows (continues the SCAN)",
    },
    Binding {
        keys: &[KeyCode::Char('r')],
        label: "r",
        action: Action::Refresh,
        help: "reload this view",
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        label: "?",
        action: Action::Help,
        help: "this help",
    },
    Binding {
        keys: &[KeyCode::Char('q')],
        label: "q",
        action: Action::Quit,
        help: "quit",
    },
];

/// The action a key maps to (Ctrl-C always quits).
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    BINDINGS
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}
