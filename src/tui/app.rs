//! The TUI's state, apart from drawing: a stack of screens (the breadcrumbs)
//! under one of four top-level views, each screen with its rows, selection
//! and filter; the confirmation dialog of an action; key handling; and the
//! answers of the background threads folded in. What each view lists is in
//! views.rs; the confirmation dialogs of actions in dialog.rs.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};

pub use super::dialog::{Dialog, InputFor, Stage};
use super::keymap::{binding_for, help_lines, is_ctrl_c, modified, Action};
use super::worker::{Job, Request, Response, StatsMsg, Worker};
use crate::config::Registry;
use crate::filecache;
use crate::inspect::{ConjRow, KeyRow, KeyView, TableSummary};
use crate::invalidate::{model_for_table, Step};
use crate::stats::{self, Cumulative};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Every table with cached data.
    Tables,
    /// The conj keys (conditions) of one table.
    Table(String),
    /// One key: a condition with its entries, an entry with its value.
    Key(String),
    /// Raw SCAN browser.
    Keys,
    /// Live hit/miss/invalidation rates.
    Stats,
    /// The file cache directory.
    FileCache,
}

/// The top-level views, in Tab order.
pub const ROOTS: [Screen; 4] = [Screen::Tables, Screen::Keys, Screen::Stats, Screen::FileCache];

impl Screen {
    pub fn title(&self) -> String {
        match self {
            Screen::Tables => "Tables".into(),
            Screen::Table(t) => t.clone(),
            Screen::Key(k) => k.clone(),
            Screen::Keys => "Keys".into(),
            Screen::Stats => "Stats".into(),
            Screen::FileCache => "File cache".into(),
        }
    }
}

pub struct View {
    pub screen: Screen,
    pub selected: usize,
    /// First row on screen: scrolling moves it only when the selection
    /// would leave the screen.
    pub offset: usize,
    pub filter: String,
    /// First line shown of a text that is longer than the screen (an
    /// entry's decoded value), in wrapped lines.
    pub scroll: usize,
}

impl View {
    fn new(screen: Screen) -> View {
        View {
            screen,
            selected: 0,
            offset: 0,
            filter: String::new(),
            scroll: 0,
        }
    }
}

/// Columns the Tables view sorts by, in `s` order.
pub const TABLE_SORTS: [&str; 6] = [
    "table",
    "conj keys",
    "references",
    "memory",
    "misses",
    "invalidations",
];

/// Rows a paged view keeps: older ones are let go as more load, so that
/// paging through a whole db takes the same memory as one screen.
pub const ROWS_KEPT: usize = 5000;

/// Stats intervals kept for the sparklines.
pub const STATS_HISTORY: usize = 120;

#[derive(Default)]
pub struct StatsState {
    pub history: VecDeque<stats::Line>,
    pub cumulative: Cumulative,
    /// Flags missing from notify-keyspace-events; `None` until known.
    pub events_missing: Option<String>,
    pub error: Option<String>,
}

pub struct AppConfig {
    pub registry: Registry,
    pub read_only: bool,
}

/// What an action may have changed since it was loaded.
#[derive(Default)]
pub struct Stale {
    pub conj: bool,
    pub key: bool,
    pub keys: bool,
}

pub struct App {
    worker: Worker,
    pub config: AppConfig,
    pub views: Vec<View>,
    pub tables: Vec<(String, TableSummary)>,
    pub tables_progress: f64,
    pub tables_done: bool,
    /// Index into TABLE_SORTS.
    pub tables_sort: usize,
    pub conj_table: String,
    pub conj_schemes: Vec<String>,
    pub conj_rows: Vec<ConjRow>,
    pub conj_done: bool,
    /// The filter the table's walk applies (the rows are those it found).
    pub conj_filter: String,
    /// Rows let go from the front of conj_rows (see ROWS_KEPT).
    pub conj_dropped: usize,
    conj_loading: bool,
    pub key: Option<KeyView>,
    /// The shown key's string value, decoded.
    pub key_value: Option<String>,
    pub keys_rows: Vec<KeyRow>,
    pub keys_glob: Option<String>,
    pub keys_progress: f64,
    pub keys_done: bool,
    pub keys_dropped: usize,
    keys_loading: bool,
    pub filecache: Option<std::result::Result<Box<filecache::Stats>, String>>,
    pub stats: StatsState,
    pub dialog: Option<Dialog>,
    /// Typing a filter.
    pub editing_filter: bool,
    pub help: bool,
    /// First line of the help shown.
    pub help_scroll: usize,
    pub status: Option<String>,
    pub banner: Option<String>,
    pub quit: bool,
    stale: Stale,
    /// Requests sent and not answered yet.
    pending: usize,
    /// Rows a page key moves (set from the drawn height).
    pub page_rows: usize,
    /// The terminal's columns and rows (set before each draw): texts are
    /// wrapped to it, and scrolled within it.
    pub term_size: (u16, u16),
}

impl App {
    pub fn new(worker: Worker, config: AppConfig) -> App {
        let app = App {
            worker,
            config,
            views: vec![View::new(Screen::Tables)],
            tables: Vec::new(),
            tables_progress: 0.0,
            tables_done: false,
            tables_sort: 0,
            conj_table: String::new(),
            conj_schemes: Vec::new(),
            conj_rows: Vec::new(),
            conj_done: false,
            conj_filter: String::new(),
            conj_dropped: 0,
            conj_loading: false,
            key: None,
            key_value: None,
            keys_rows: Vec::new(),
            keys_glob: None,
            keys_progress: 0.0,
            keys_done: false,
            keys_dropped: 0,
            keys_loading: false,
            filecache: None,
            stats: StatsState::default(),
            dialog: None,
            editing_filter: false,
            help: false,
            help_scroll: 0,
            status: None,
            banner: None,
            quit: false,
            stale: Stale::default(),
            pending: 0,
            page_rows: 20,
            term_size: (120, 30),
        };
        let _ = app.worker.tx.send(Request::Tables);
        app
    }

    pub fn view(&self) -> &View {
        self.views.last().expect("a root view is never popped")
    }

    pub(super) fn view_mut(&mut self) -> &mut View {
        self.views.last_mut().expect("a root view is never popped")
    }

    pub(super) fn send(&mut self, r: Request) {
        self.pending += 1;
        let _ = self.worker.tx.send(r);
    }

    /// Folds in whatever the threads have answered; never blocks.
    pub fn poll(&mut self) {
        while let Ok(resp) = self.worker.rx.try_recv() {
            self.apply(resp);
        }
        while let Ok(m) = self.worker.stats_rx.try_recv() {
            self.apply_stats(m);
        }
    }

    /// Waits until the worker has answered every request and finished the
    /// table walk (tests use this instead of a terminal's event loop).
    pub fn settle(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.worker.rx.recv_timeout(Duration::from_millis(20)) {
                Ok(r) => self.apply(r),
                Err(_) if self.pending == 0 && self.tables_done => break,
                Err(_) => {}
            }
        }
        while let Ok(m) = self.worker.stats_rx.try_recv() {
            self.apply_stats(m);
        }
    }

    /// Waits for at least `n` stats intervals (tests).
    pub fn wait_stats(&mut self, n: usize, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.stats.history.len() < n && Instant::now() < deadline {
            if let Ok(m) = self.worker.stats_rx.recv_timeout(Duration::from_millis(50)) {
                self.apply_stats(m);
            }
        }
    }

    fn apply_stats(&mut self, m: StatsMsg) {
        match m {
            StatsMsg::Interval(line, cum) => {
                if self.stats.history.len() == STATS_HISTORY {
                    self.stats.history.pop_front();
                }
                self.stats.history.push_back(*line);
                self.stats.cumulative = *cum;
                self.stats.error = None;
            }
            StatsMsg::Events(missing) => self.stats.events_missing = Some(missing),
            StatsMsg::Error(e) => self.stats.error = Some(e),
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
                schemes,
                rows,
                restart,
                done,
                filter,
            } => {
                self.conj_schemes = schemes;
                self.conj_filter = filter;
                self.pending = self.pending.saturating_sub(1);
                self.conj_loading = false;
                if restart || table != self.conj_table {
                    self.conj_rows.clear();
                    self.conj_dropped = 0;
                }
                self.conj_table = table;
                self.conj_rows.extend(rows);
                self.conj_done = done;
                let dropped = keep_last(&mut self.conj_rows, ROWS_KEPT);
                self.conj_dropped += dropped;
                self.rows_dropped(|s| matches!(s, Screen::Table(_)), dropped);
                self.banner = None;
                self.load_more_if_near_end();
            }
            Response::Key { view, value } => {
                self.pending = self.pending.saturating_sub(1);
                if self.key.as_ref().is_none_or(|k| k.key != view.key) {
                    for v in self.views.iter_mut() {
                        v.scroll = 0;
                    }
                }
                self.key = Some(*view);
                self.key_value = value;
                self.banner = None;
            }
            Response::Keys {
                rows,
                restart,
                fraction,
                done,
            } => {
                self.pending = self.pending.saturating_sub(1);
                self.keys_loading = false;
                if restart {
                    self.keys_rows.clear();
                    self.keys_dropped = 0;
                }
                self.keys_rows.extend(rows);
                self.keys_progress = fraction;
                self.keys_done = done;
                let dropped = keep_last(&mut self.keys_rows, ROWS_KEPT);
                self.keys_dropped += dropped;
                self.rows_dropped(|s| *s == Screen::Keys, dropped);
                self.banner = None;
                self.load_more_if_near_end();
            }
            Response::FileCache(s) => {
                self.pending = self.pending.saturating_sub(1);
                self.filecache = Some(s);
            }
            Response::Planned { lines, confirm } => {
                self.pending = self.pending.saturating_sub(1);
                self.planned(lines, confirm);
            }
            Response::Applied(lines) => {
                self.pending = self.pending.saturating_sub(1);
                let job = self.dialog.take().and_then(|d| d.job);
                let removed = match &job {
                    Some(Job::EnableEvents) => {
                        self.stats.events_missing = Some(String::new());
                        None
                    }
                    Some(Job::Invalidate { step, .. }) => match step.as_ref() {
                        Step::Key(k) | Step::ConjKey(k) => Some(k.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                self.status = Some(lines.join("; "));
                self.after_change(removed);
            }
            Response::Working(msg) => {
                if let Some(d) = &mut self.dialog {
                    d.stage = Stage::Working(msg);
                }
            }
            Response::Error(e) => {
                self.pending = self.pending.saturating_sub(1);
                self.request_failed();
                self.dialog = None;
                self.status = Some(e);
            }
            Response::Disconnected(e) => {
                self.pending = self.pending.saturating_sub(1);
                self.request_failed();
                // A dialog waiting on the worker says why it stopped.
                if let Some(d) = self
                    .dialog
                    .take_if(|d| matches!(d.stage, Stage::Planning | Stage::Working(_)))
                {
                    self.status = Some(if matches!(d.stage, Stage::Working(_)) {
                        format!(
                            "{}: Redis went away while it ran, part of it may be done: {e}",
                            d.title
                        )
                    } else {
                        format!(
                            "{}: cannot run, Redis is unreachable (nothing was changed): {e}",
                            d.title
                        )
                    });
                }
                self.banner = Some(format!("Redis unreachable, retrying: {e}"));
            }
            Response::Down(e) => self.banner = Some(format!("Redis unreachable, retrying: {e}")),
            Response::Reconnected => {
                // Requests that failed were dropped: ask for the view again.
                self.banner = None;
                self.tables_done = false;
                let _ = self.worker.tx.send(Request::Tables);
                self.reload_current(true);
            }
        }
    }

    /// A request got no rows: a paged view may ask again.
    fn request_failed(&mut self) {
        self.conj_loading = false;
        self.keys_loading = false;
    }

    /// Keys the Keys view has listed so far, let-go rows included.
    pub fn keys_seen(&self) -> usize {
        self.keys_dropped + self.keys_rows.len()
    }

    /// Rows let go from the front: the selection stays on the same row.
    fn rows_dropped(&mut self, on: impl Fn(&Screen) -> bool, n: usize) {
        if n == 0 {
            return;
        }
        for v in self.views.iter_mut().filter(|v| on(&v.screen)) {
            v.selected = v.selected.saturating_sub(n);
            v.offset = v.offset.saturating_sub(n);
        }
    }

    /// Paged views load their next page before the selection reaches the
    /// end (and keep loading while a rare glob leaves the screen unfilled):
    /// paging down walks the whole SCAN without an `m` per page.
    fn load_more_if_near_end(&mut self) {
        let v = self.view();
        // Both walks apply the filter themselves (a glob, a condition's text):
        // only one still being typed is not theirs yet.
        let near = |len: usize| !self.editing_filter && v.selected + 2 * self.page_rows.max(1) >= len;
        match v.screen.clone() {
            Screen::Keys if !self.keys_done && !self.keys_loading && near(self.keys_rows.len()) => {
                self.keys_loading = true;
                self.send(Request::Keys {
                    glob: self.keys_glob.clone(),
                    restart: false,
                });
            }
            Screen::Table(t)
                if t == self.conj_table
                    && v.filter == self.conj_filter
                    && !self.conj_done
                    && !self.conj_loading
                    && near(self.conj_rows.len()) =>
            {
                self.conj_loading = true;
                self.send(Request::Conj {
                    table: t,
                    restart: false,
                    filter: String::new(),
                });
            }
            _ => {}
        }
    }

    pub fn on_mouse(&mut self, m: MouseEvent) {
        if self.dialog.is_some() || self.help {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::ScrollUp => self.act(Action::Up),
            _ => {}
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        if is_ctrl_c(&key) {
            self.ctrl_c();
            return;
        }
        // Ctrl/Alt chords are not letters: they neither act, nor confirm,
        // nor type into a field.
        if modified(&key) {
            return;
        }
        if self.dialog.is_some() {
            self.dialog_key(key);
            return;
        }
        if self.editing_filter {
            self.filter_key(key);
            return;
        }
        if self.help {
            // The moving keys scroll the help (a short terminal cuts it); any other closes it.
            match binding_for(&key).map(|b| b.action) {
                Some(
                    a @ (Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Top
                    | Action::Bottom),
                ) => self.scroll_help(a),
                _ => {
                    self.help = false;
                    self.help_scroll = 0;
                }
            }
            return;
        }
        let Some(b) = binding_for(&key) else { return };
        self.status = None;
        if b.writes && self.config.read_only {
            self.status = Some("read-only: actions that write are off".into());
            return;
        }
        if b.writes && self.banner.is_some() {
            self.status = Some(
                "Redis is unreachable: actions cannot run now (nothing was changed); \
                 the view reloads by itself once it answers"
                    .into(),
            );
            return;
        }
        self.act(b.action);
    }

    /// Ctrl-C closes what is open, innermost first; with nothing open it quits.
    fn ctrl_c(&mut self) {
        if let Some(d) = &self.dialog {
            if matches!(d.stage, Stage::Working(_)) {
                self.status = Some("the action is running: it finishes and says what it did".into());
            } else {
                self.dialog = None;
                self.status = Some("cancelled; nothing was changed".into());
            }
        } else if self.editing_filter {
            self.filter_key(KeyEvent::from(KeyCode::Esc));
        } else if self.help {
            self.help = false;
        } else {
            self.quit = true;
        }
    }

    fn filter_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter => {
                self.editing_filter = false;
                self.restart_filtered_walk();
            }
            KeyCode::Esc => {
                self.editing_filter = false;
                self.view_mut().filter.clear();
                self.restart_filtered_walk();
            }
            KeyCode::Backspace => {
                self.view_mut().filter.pop();
            }
            KeyCode::Char(c) => self.view_mut().filter.push(c),
            _ => {}
        }
        self.view_mut().selected = 0;
    }

    /// The paged views' walks apply the filter themselves: a new filter
    /// walks again (other views filter the rows they hold).
    fn restart_filtered_walk(&mut self) {
        match self.view().screen.clone() {
            Screen::Keys => self.restart_keys(),
            Screen::Table(t) if self.view().filter != self.conj_filter => self.send(Request::Conj {
                table: t,
                restart: true,
                filter: self.view().filter.clone(),
            }),
            _ => {}
        }
    }

    /// The Keys view's filter is a SCAN MATCH glob (a plain word: `*word*`).
    fn restart_keys(&mut self) {
        let f = self.view().filter.clone();
        self.keys_glob = if f.is_empty() {
            None
        } else if f.contains(['*', '?', '[']) {
            Some(f)
        } else {
            Some(format!("*{}*", crate::keys::glob_escape(&f)))
        };
        self.send(Request::Keys {
            glob: self.keys_glob.clone(),
            restart: true,
        });
    }

    fn act(&mut self, action: Action) {
        if self.scroll_text(action) {
            return;
        }
        let last = self.row_count().saturating_sub(1);
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help = true,
            Action::Down => {
                let v = self.view_mut();
                v.selected = (v.selected + 1).min(last);
            }
            Action::Up => {
                let v = self.view_mut();
                v.selected = v.selected.saturating_sub(1);
            }
            Action::PageDown => {
                let step = self.page_rows.max(1);
                let v = self.view_mut();
                v.selected = (v.selected + step).min(last);
            }
            Action::PageUp => {
                let step = self.page_rows.max(1);
                let v = self.view_mut();
                v.selected = v.selected.saturating_sub(step);
            }
            Action::Top => self.view_mut().selected = 0,
            Action::Bottom => self.view_mut().selected = last,
            Action::Filter => self.editing_filter = true,
            Action::Sort => {
                if self.view().screen == Screen::Tables {
                    self.tables_sort = (self.tables_sort + 1) % TABLE_SORTS.len();
                    self.status = Some(format!("sorted by {}", TABLE_SORTS[self.tables_sort]));
                }
            }
            Action::Back => {
                if !self.view().filter.is_empty() {
                    self.view_mut().filter.clear();
                    self.restart_filtered_walk();
                } else if self.views.len() > 1 {
                    self.views.pop();
                    self.reload_current(false);
                }
            }
            Action::Open => {
                let rows = self.rows();
                match rows.get(self.view().selected).cloned() {
                    Some((_, Some(next))) => {
                        self.views.push(View::new(next));
                        self.reload_current(true);
                    }
                    // Say why Enter does nothing here.
                    Some((cols, None)) => {
                        let gone = matches!(self.view().screen, Screen::Key(_))
                            && cols.last().is_some_and(|c| c == "gone");
                        self.status = Some(if gone {
                            format!(
                                "{} no longer exists: a dead member (R on the table reaps them)",
                                cols[0]
                            )
                        } else {
                            "this row opens nothing".into()
                        });
                    }
                    None => {}
                }
            }
            Action::NextView | Action::PrevView => {
                let at = ROOTS.iter().position(|r| *r == self.views[0].screen).unwrap_or(0);
                let next = if action == Action::NextView {
                    (at + 1) % ROOTS.len()
                } else {
                    (at + ROOTS.len() - 1) % ROOTS.len()
                };
                self.views = vec![View::new(ROOTS[next].clone())];
                self.reload_current(false);
            }
            Action::Refresh => self.reload_current(true),
            Action::More => match self.view().screen.clone() {
                Screen::Table(t) if !self.conj_done => self.send(Request::Conj {
                    table: t,
                    restart: false,
                    filter: String::new(),
                }),
                Screen::Keys if !self.keys_done => self.send(Request::Keys {
                    glob: self.keys_glob.clone(),
                    restart: false,
                }),
                _ => {}
            },
            Action::Invalidate => match self.selected_table() {
                Some(t) => {
                    let step = Step::Model(model_for_table(&self.config.registry, &t));
                    self.plan(format!("invalidate table {t}"), t.clone(), step, None);
                }
                None => self.status = Some("select a table first (Tables or a table's view)".into()),
            },
            Action::InvalidateObject => match self.selected_table() {
                Some(t) => {
                    let pk_field = model_for_table(&self.config.registry, &t).pk_field;
                    self.dialog = Some(Dialog {
                        title: format!("invalidate one object of {t}"),
                        job: None,
                        stage: Stage::Input {
                            prompt: format!("{pk_field} (the pk) ="),
                            value: String::new(),
                            then: InputFor::ObjectPk { table: t },
                        },
                    });
                }
                None => self.status = Some("select a table first (Tables or a table's view)".into()),
            },
            Action::InvalidateLabel => {
                self.dialog = Some(Dialog {
                    title: "invalidate a label".into(),
                    job: None,
                    stage: Stage::Input {
                        prompt: "label (all, app, app.Model, app.Model.pk) =".into(),
                        value: String::new(),
                        then: InputFor::Label,
                    },
                })
            }
            Action::Delete => match self.selected_key() {
                Some(k) => {
                    let is_conj = matches!(&self.view().screen, Screen::Table(_));
                    let (title, step) = if is_conj {
                        (
                            format!("drop the conj set {k} with its entries"),
                            Step::ConjKey(k.clone()),
                        )
                    } else {
                        (format!("delete {k}"), Step::Key(k.clone()))
                    };
                    self.plan(title, k, step, None);
                }
                None => {
                    self.status = Some(match self.view().screen {
                        Screen::Tables | Screen::Stats => {
                            "d drops a condition or deletes a key: open the table (Enter) first; \
                             i invalidates the whole table"
                                .into()
                        }
                        _ => "nothing selected to delete".into(),
                    })
                }
            },
            Action::Reap => match self.selected_table() {
                Some(t) => {
                    self.dialog = Some(Dialog {
                        title: format!("reap the conj sets of {t}"),
                        job: Some(Job::Reap { table: t.clone() }),
                        stage: Stage::Planning,
                    });
                    self.send(Request::Plan(Job::Reap { table: t }));
                }
                None => self.status = Some("select a table first (Tables or a table's view)".into()),
            },
            Action::EnableEvents => {
                if self.view().screen == Screen::Stats {
                    self.dialog = Some(Dialog {
                        title: "enable keyspace events".into(),
                        job: Some(Job::EnableEvents),
                        stage: Stage::Planning,
                    });
                    self.send(Request::Plan(Job::EnableEvents));
                }
            }
        }
        let fit = self.page_rows.max(1);
        let v = self.view_mut();
        if v.selected < v.offset {
            v.offset = v.selected;
        } else if v.selected >= v.offset + fit {
            v.offset = v.selected + 1 - fit;
        }
        if matches!(action, Action::Down | Action::PageDown | Action::Bottom) {
            self.load_more_if_near_end();
        }
    }

    /// Moving keys on a key without members (an entry) scroll its text;
    /// whether `action` was such a move.
    fn scroll_text(&mut self, action: Action) -> bool {
        if !matches!(self.view().screen, Screen::Key(_))
            || self.key.as_ref().is_none_or(|k| !k.members.is_empty())
        {
            return false;
        }
        let page = self.text_height().max(1);
        let max = self.key_text(self.text_width()).len().saturating_sub(page);
        let v = self.view_mut();
        v.scroll = match action {
            Action::Down => v.scroll + 1,
            Action::Up => v.scroll.saturating_sub(1),
            Action::PageDown => v.scroll + page,
            Action::PageUp => v.scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return false,
        }
        .min(max);
        true
    }

    fn scroll_help(&mut self, action: Action) {
        let (lines, fit) = self.help_size();
        let max = lines.saturating_sub(fit);
        self.help_scroll = match action {
            Action::Down => self.help_scroll + 1,
            Action::Up => self.help_scroll.saturating_sub(1),
            Action::PageDown => self.help_scroll + fit.max(1),
            Action::PageUp => self.help_scroll.saturating_sub(fit.max(1)),
            Action::Top => 0,
            _ => max,
        }
        .min(max);
    }

    /// The help box's width, and (its lines, the lines that fit in it).
    pub fn help_width(&self) -> u16 {
        76.min(self.term_size.0)
    }

    fn help_size(&self) -> (usize, usize) {
        let lines = help_lines(
            self.config.read_only,
            self.help_width().saturating_sub(2) as usize,
        )
        .len();
        (
            lines,
            (lines + 2).min(self.term_size.1 as usize).saturating_sub(2),
        )
    }

    /// Columns inside a full-width box.
    pub fn text_width(&self) -> usize {
        self.term_size.0.saturating_sub(2) as usize
    }

    /// Lines inside the main box: the screen less the top line, the banner,
    /// the footer and the box's borders.
    pub fn text_height(&self) -> usize {
        let banner = usize::from(self.banner.is_some());
        (self.term_size.1 as usize).saturating_sub(4 + banner)
    }

    /// The table the selection stands for, in the views that show tables.
    fn selected_table(&self) -> Option<String> {
        let v = self.view();
        match &v.screen {
            Screen::Table(t) => Some(t.clone()),
            Screen::Tables | Screen::Stats => match self.rows().get(v.selected) {
                Some((_, Some(Screen::Table(t)))) => Some(t.clone()),
                _ => None,
            },
            // A condition or an entry: the table its breadcrumbs name, else a
            // conj key's own.
            Screen::Key(k) => self
                .views
                .iter()
                .rev()
                .find_map(|v| match &v.screen {
                    Screen::Table(t) => Some(t.clone()),
                    _ => None,
                })
                .or_else(|| {
                    self.key
                        .as_ref()
                        .filter(|v| v.key == *k && v.family == "conj")
                        .and_then(|v| v.table.clone())
                }),
            _ => None,
        }
    }

    /// The key the selection stands for: a row that opens a key, or the key shown.
    fn selected_key(&self) -> Option<String> {
        let v = self.view();
        match (&v.screen, self.rows().get(v.selected)) {
            (Screen::Table(_) | Screen::Keys, Some((_, Some(Screen::Key(k))))) => Some(k.clone()),
            (Screen::Key(_), Some((cols, _))) => cols.first().cloned(),
            (Screen::Key(k), None) => Some(k.clone()),
            _ => None,
        }
    }

    /// After an action: reload what is shown (a deleted key's screen closes).
    pub(super) fn after_change(&mut self, removed: Option<String>) {
        if removed.is_some_and(|k| self.view().screen == Screen::Key(k)) && self.views.len() > 1 {
            self.views.pop();
        }
        self.tables_done = false;
        let _ = self.worker.tx.send(Request::Tables);
        // The views under this one reload when they are back on screen.
        self.stale = Stale {
            conj: true,
            key: true,
            keys: true,
        };
        self.reload_current(true);
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
                if fresh || self.stale.conj || t != self.conj_table || self.view().filter != self.conj_filter
                {
                    self.stale.conj = false;
                    self.send(Request::Conj {
                        table: t,
                        restart: true,
                        filter: self.view().filter.clone(),
                    });
                }
            }
            Screen::Key(k) => {
                if fresh || self.stale.key || self.key.as_ref().is_none_or(|v| v.key != k) {
                    self.stale.key = false;
                    self.send(Request::Show(k));
                }
            }
            Screen::Keys => {
                if fresh || self.stale.keys || self.keys_rows.is_empty() {
                    self.stale.keys = false;
                    self.send(Request::Keys {
                        glob: self.keys_glob.clone(),
                        restart: true,
                    });
                }
            }
            Screen::FileCache => {
                if fresh || self.filecache.is_none() {
                    self.send(Request::FileCache);
                }
            }
            Screen::Stats => {}
        }
    }
}

/// Keeps the last `cap` rows; returns how many went.
fn keep_last<T>(rows: &mut Vec<T>, cap: usize) -> usize {
    let over = rows.len().saturating_sub(cap);
    rows.drain(..over);
    over
}
