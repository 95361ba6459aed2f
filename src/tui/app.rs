//! The TUI's state, apart from drawing: a stack of screens (the breadcrumbs),
//! each with its rows, selection and filter; key handling; and the responses
//! of the background worker folded in.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};

use super::keymap::{action_for, Action};
use super::worker::{Request, Response, Worker};
use crate::inspect::{ConjRow, KeyView, TableSummary};

#[derive(Debug, Clone)]
pub enum Screen {
    /// Every table with cached data.
    Tables,
    /// The conj keys (conditions) of one table.
    Table(String),
    /// One key: a condition with its entries, an entry with its value.
    Key(String),
}

impl Screen {
    pub fn title(&self) -> String {
        match self {
            Screen::Tables => "Tables".into(),
            Screen::Table(t) => t.clone(),
            Screen::Key(k) => k.clone(),
        }
    }
}

pub struct View {
    pub screen: Screen,
    pub selected: usize,
    pub filter: String,
}

pub struct App {
    worker: Worker,
    pub views: Vec<View>,
    pub tables: Vec<(String, TableSummary)>,
    pub tables_progress: f64,
    pub tables_done: bool,
    pub conj_table: String,
    pub conj_rows: Vec<ConjRow>,
    pub conj_done: bool,
    pub key: Option<KeyView>,
    /// Typing a filter.
    pub editing_filter: bool,
    pub help: bool,
    pub status: Option<String>,
    pub banner: Option<String>,
    pub quit: bool,
    /// Requests sent and not answered yet.
    pending: usize,
}

impl App {
    pub fn new(worker: Worker) -> App {
        let app = App {
            worker,
            views: vec![View {
                screen: Screen::Tables,
                selected: 0,
                filter: String::new(),
            }],
            tables: Vec::new(),
            tables_progress: 0.0,
            tables_done: false,
            conj_table: String::new(),
            conj_rows: Vec::new(),
            conj_done: false,
            key: None,
            editing_filter: false,
            help: false,
            status: None,
            banner: None,
            quit: false,
            pending: 0,
        };
        let _ = app.worker.tx.send(Request::Tables);
        app
    }

    pub fn view(&self) -> &View {
        self.views.last().expect("the Tables view is never popped")
    }

    fn view_mut(&mut self) -> &mut View {
        self.views.last_mut().expect("the Tables view is never popped")
    }

    fn send(&mut self, r: Request) {
        self.pending += 1;
        let _ = self.worker.tx.send(r);
    }

    /// Folds in whatever the worker has answered; never blocks.
    pub fn poll(&mut self) {
        while let Ok(resp) = self.worker.rx.try_recv() {
            self.apply(resp);
        }
    }

    /// Waits until the worker has answered every request and finished the
    /// table walk (tests use this instead of a terminal's event loop).
    pub fn settle(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.worker.rx.recv_timeout(Duration::from_millis(20)) {
                Ok(r) => self.apply(r),
                Err(_) if self.pending == 0 && self.tables_done => return,
                Err(_) => {}
            }
        }
    }

    fn apply(&mut self, resp: Response) {
        match resp {
            Response::Tables {
                tables,
                fraction,
                done,
            } => {
                self.tables = tables;
                self.tables_progress = fraction;
                self.tables_done = done;
                self.banner = None;
            }
            Response::Conj {
                table,
                rows,
                restart,
                done,
            } => {
                self.pending = self.pending.saturating_sub(1);
                if restart || table != self.conj_table {
                    self.conj_rows.clear();
                }
                self.conj_table = table;
                self.conj_rows.extend(rows);
                self.conj_done = done;
                self.banner = None;
            }
            Response::Key(k) => {
                self.pending = self.pending.saturating_sub(1);
                self.key = Some(*k);
                self.banner = None;
            }
            Response::Error(e) => {
                self.pending = self.pending.saturating_sub(1);
                self.status = Some(e);
            }
            Response::Disconnected(e) => {
                self.pending = self.pending.saturating_sub(1);
                self.banner = Some(format!("Redis unreachable, retrying: {e}"));
            }
        }
    }

    /// Rows of the current view after its filter: (label columns, what Enter opens).
    pub fn rows(&self) -> Vec<(Vec<String>, Option<Screen>)> {
        let v = self.view();
        let keep = |s: &str| v.filter.is_empty() || s.to_lowercase().contains(&v.filter.to_lowercase());
        match &v.screen {
            Screen::Tables => self
                .tables
                .iter()
                .filter(|(t, _)| keep(t))
                .map(|(t, s)| {
                    (
                        vec![t.clone(), s.conj_keys.to_string(), s.references.to_string()],
                        Some(Screen::Table(t.clone())),
                    )
                })
                .collect(),
            Screen::Table(t) if *t == self.conj_table => self
                .conj_rows
                .iter()
                .filter(|r| keep(&r.conditions))
                .map(|r| {
                    let ttl = if r.ttl < 0 {
                        "-".to_string()
                    } else {
                        format!("{} s", r.ttl)
                    };
                    (
                        vec![r.conditions.clone(), r.members.to_string(), ttl],
                        Some(Screen::Key(r.key.clone())),
                    )
                })
                .collect(),
            Screen::Key(k) => match &self.key {
                Some(view) if view.key == *k => view
                    .members
                    .iter()
                    .filter(|(m, _)| keep(m))
                    .map(|(m, ttl)| {
                        let t = match ttl {
                            -2 => "gone".to_string(),
                            -1 => "-".to_string(),
                            t => format!("{t} s"),
                        };
                        let opens = (*ttl != -2 && view.family == "conj").then(|| Screen::Key(m.clone()));
                        (vec![m.clone(), t], opens)
                    })
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if self.editing_filter {
            match key.code {
                KeyCode::Enter => self.editing_filter = false,
                KeyCode::Esc => {
                    self.editing_filter = false;
                    self.view_mut().filter.clear();
                }
                KeyCode::Backspace => {
                    self.view_mut().filter.pop();
                }
                KeyCode::Char(c) => self.view_mut().filter.push(c),
                _ => {}
            }
            self.view_mut().selected = 0;
            return;
        }
        if self.help {
            self.help = false;
            return;
        }
        let Some(action) = action_for(&key) else { return };
        let n = self.rows().len();
        self.status = None;
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = true,
            Action::Down => {
                let v = self.view_mut();
                v.selected = (v.selected + 1).min(n.saturating_sub(1));
            }
            Action::Up => {
                let v = self.view_mut();
                v.selected = v.selected.saturating_sub(1);
            }
            Action::Top => self.view_mut().selected = 0,
            Action::Bottom => self.view_mut().selected = n.saturating_sub(1),
            Action::Filter => self.editing_filter = true,
            Action::Back => {
                if !self.view().filter.is_empty() {
                    self.view_mut().filter.clear();
                } else if self.views.len() > 1 {
                    self.views.pop();
                    self.reload_current(false);
                }
            }
            Action::Open => {
                let rows = self.rows();
                if let Some((_, Some(next))) = rows.get(self.view().selected).cloned() {
                    self.views.push(View {
                        screen: next,
                        selected: 0,
                        filter: String::new(),
                    });
                    self.reload_current(true);
                }
            }
            Action::Refresh => self.reload_current(true),
            Action::More => {
                if let Screen::Table(t) = &self.view().screen {
                    if !self.conj_done {
                        let t = t.clone();
                        self.send(Request::Conj {
                            table: t,
                            restart: false,
                        });
                    }
                }
            }
        }
    }

    /// Asks the worker for what the current view shows.
    fn reload_current(&mut self, fresh: bool) {
        match self.view().screen.clone() {
            Screen::Tables => {
                if fresh {
                    self.tables_done = false;
                    let _ = self.worker.tx.send(Request::Tables);
                }
            }
            Screen::Table(t) => {
                if fresh || t != self.conj_table {
                    self.send(Request::Conj {
                        table: t,
                        restart: true,
                    });
                }
            }
            Screen::Key(k) => {
                if fresh || self.key.as_ref().is_none_or(|v| v.key != k) {
                    self.send(Request::Show(k));
                }
            }
        }
    }
}
