//! Drawing: a pure function of the app state onto a ratatui frame.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Sparkline, Table, TableState, Wrap};
use ratatui::Frame;

use super::app::{App, Dialog, Screen, Stage, ROOTS, TABLE_SORTS};
use super::keymap::help_lines;
use super::views::wrap_indented;
use crate::units::human_bytes;

/// Colours, or none when NO_COLOR is set.
#[derive(Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn accent(self) -> Style {
        if self.color {
            Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    fn selected(self) -> Style {
        if self.color {
            Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    fn alert(self) -> Style {
        if self.color {
            Style::default().fg(Color::White).bg(Color::Red)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
}

pub fn draw(f: &mut Frame, app: &App, theme: Theme) {
    let [top, banner, main, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if app.banner.is_some() { 1 } else { 0 }),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(f.area());

    // The top-level views as tabs, the current one marked; then the breadcrumbs.
    let root = &app.views[0].screen;
    let mut spans = vec![Span::styled("cacheops ", theme.accent())];
    for r in ROOTS.iter() {
        let name = format!(" {} ", r.title());
        spans.push(if r == root {
            Span::styled(name, theme.selected())
        } else {
            Span::raw(name)
        });
    }
    let crumbs: Vec<String> = app.views.iter().skip(1).map(|v| v.screen.title()).collect();
    if !crumbs.is_empty() {
        spans.push(Span::raw(format!(" › {}", crumbs.join(" › "))));
    }
    if app.config.read_only {
        spans.push(Span::styled("  [read-only]", theme.accent()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), top);
    if let Some(b) = &app.banner {
        f.render_widget(Paragraph::new(b.as_str()).style(theme.alert()), banner);
    }

    match &app.view().screen {
        Screen::Tables => draw_rows(
            f,
            app,
            theme,
            main,
            &[
                "table",
                "conj keys",
                "references",
                "memory",
                "misses",
                "invalidations",
            ],
            &tables_title(app),
        ),
        Screen::Table(t) => {
            let filtered = !app.conj_filter.is_empty();
            let mut more = match (filtered, app.conj_done) {
                (false, true) => String::new(),
                (false, false) => " (m: load more)".into(),
                // The walk applies the filter: say whether it has searched every condition.
                (true, true) => format!(
                    " matching \"{}\": {} (every condition searched)",
                    app.conj_filter,
                    app.conj_dropped + app.conj_rows.len()
                ),
                (true, false) => format!(
                    " matching \"{}\": {} so far (searching; m: search more)",
                    app.conj_filter,
                    app.conj_dropped + app.conj_rows.len()
                ),
            };
            if app.conj_dropped > 0 {
                more.push_str(&format!(", the last {} kept", app.conj_rows.len()));
            }
            // The schemes first: which fields this table's conditions are built from.
            let schemes = Paragraph::new(format!("schemes: {}", app.conj_schemes.join("  ")))
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL));
            let [top, rows] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(main);
            f.render_widget(schemes, top);
            draw_rows(
                f,
                app,
                theme,
                rows,
                &["conditions", "members", "ttl"],
                &format!("conditions of {t}{more}"),
            )
        }
        Screen::Key(_) => draw_key(f, app, theme, main),
        Screen::Keys => {
            let glob = app.keys_glob.as_deref().unwrap_or("every key");
            let more = if app.keys_done {
                "all scanned".to_string()
            } else {
                format!("scanned {:.0}%, m: load more", app.keys_progress * 100.0)
            };
            draw_rows(
                f,
                app,
                theme,
                main,
                &["key", "family", "type", "ttl", "memory"],
                &format!(
                    "keys matching {glob}: {}{} ({more})",
                    app.keys_seen(),
                    if app.keys_dropped > 0 {
                        format!(", the last {} kept", app.keys_rows.len())
                    } else {
                        String::new()
                    }
                ),
            )
        }
        Screen::Stats => draw_stats(f, app, theme, main),
        Screen::FileCache => draw_filecache(f, app, theme, main),
    }

    let v = app.view();
    let hint = if app.editing_filter {
        let (what, enter) = match v.screen {
            Screen::Keys => ("SCAN glob", "Enter scans with it"),
            Screen::Table(_) => ("filter", "Enter searches every condition"),
            _ => ("filter", "Enter keeps it"),
        };
        format!("{what}: {}▏ ({enter}, Esc clears it)", v.filter)
    } else if let Some(s) = &app.status {
        s.clone()
    } else if !v.filter.is_empty() {
        format!("filter: {}   Esc clears   ? help   q quit", v.filter)
    } else {
        footer(app)
    };
    f.render_widget(Paragraph::new(hint), bottom);

    if let Some(d) = &app.dialog {
        draw_dialog(f, d, theme);
    }
    if app.help {
        draw_help(f, app, theme);
    }
}

/// The keys that do something in this view (the writing ones only when
/// they are on).
fn footer(app: &App) -> String {
    let nested = app.views.len() > 1;
    // (key and what, writes)
    let keys: Vec<(&str, bool)> = match &app.view().screen {
        Screen::Tables => vec![
            ("Enter open", false),
            ("/ filter", false),
            ("s sort", false),
            ("i invalidate", true),
            ("o object", true),
            ("R reap", true),
        ],
        Screen::Table(_) => vec![
            ("Enter open", false),
            ("/ filter", false),
            ("d drop", true),
            ("i invalidate", true),
            ("o object", true),
            ("R reap", true),
        ],
        Screen::Key(_) => vec![("Enter open", false), ("d delete", true), ("i invalidate", true)],
        Screen::Keys => vec![
            ("Enter open", false),
            ("/ glob", false),
            ("m more", false),
            ("d delete", true),
        ],
        Screen::Stats => vec![("Enter open", false), ("i invalidate", true), ("e events", true)],
        Screen::FileCache => vec![("/ filter", false), ("r walk again", false)],
    };
    let mut parts: Vec<&str> = Vec::new();
    if nested {
        parts.push("Esc back");
    }
    parts.extend(
        keys.into_iter()
            .filter(|(_, writes)| !(*writes && app.config.read_only))
            .map(|(k, _)| k),
    );
    if !app.config.read_only {
        parts.push("I label");
    }
    parts.push("Tab views");
    // On a narrow terminal the last keys give way; the help lists them all.
    let width = app.term_size.0 as usize;
    loop {
        let line = parts
            .iter()
            .chain(&["? help", "q quit"])
            .copied()
            .collect::<Vec<_>>()
            .join("  ");
        if parts.is_empty() || line.chars().count() <= width {
            return line;
        }
        parts.pop();
    }
}

fn tables_title(app: &App) -> String {
    let sort = match app.tables_sort {
        0 => String::new(),
        i => format!(", by {}", TABLE_SORTS[i]),
    };
    let filter = &app.view().filter;
    // Filtered: how many of how many.
    let count = if filter.is_empty() {
        app.tables.len().to_string()
    } else {
        format!(
            "{} of {} matching \"{filter}\"",
            app.row_count(),
            app.tables.len()
        )
    };
    if app.tables_done {
        format!("tables with cached data: {count}{sort}")
    } else {
        format!(
            "tables with cached data: {count} so far (scanning {:.0}%){sort}",
            app.tables_progress * 100.0
        )
    }
}

/// Characters of the first column (names, conditions, keys) that are kept
/// before a narrow terminal cuts it: a table or key name must stay readable.
const FIRST_COLUMN_WANTED: usize = 40;

/// How many columns fit, and their widths (the first one takes the rest).
/// The first column keeps priority: the others are shrunk to their content,
/// then dropped from the right, before it is cut.
fn column_widths(
    header: &[&str],
    rows: &[(Vec<String>, Option<Screen>)],
    width: u16,
) -> (usize, Vec<Constraint>) {
    let content: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|(cols, _)| cols.get(i))
                .map(|c| c.chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Inside the borders, less the highlight symbol.
    let avail = (width as usize).saturating_sub(4);
    let first = content[0].min(FIRST_COLUMN_WANTED);
    // The roomy look when it fits, else a space more than the content,
    // else the content alone, dropping columns from the right.
    let fits = |ws: &[usize], n: usize| first + ws[1..n].iter().map(|w| w + 1).sum::<usize>() <= avail;
    let roomy: Vec<usize> = content.iter().map(|w| (*w).max(11) + 1).collect();
    let spaced: Vec<usize> = content.iter().map(|w| w + 1).collect();
    let (ws, n) = if fits(&roomy, header.len()) {
        (roomy, header.len())
    } else if fits(&spaced, header.len()) {
        (spaced, header.len())
    } else {
        let mut n = header.len();
        while n > 1 && !fits(&content, n) {
            n -= 1;
        }
        (content, n)
    };
    let constraints = (0..n)
        .map(|i| {
            if i == 0 {
                Constraint::Fill(1)
            } else {
                Constraint::Length(ws[i] as u16)
            }
        })
        .collect();
    (n, constraints)
}

fn draw_rows(f: &mut Frame, app: &App, theme: Theme, area: Rect, header: &[&str], title: &str) {
    let rows = app.rows();
    let (n, widths) = column_widths(header, &rows, area.width);
    let mut title = title.to_string();
    if n < header.len() {
        title.push_str(&format!(" (narrow: {} hidden)", header[n..].join(", ")));
    }
    // Only the rows that fit are handed to the widget (a paged view holds
    // thousands), the selected one among them.
    let fit = area.height.saturating_sub(3).max(1) as usize;
    let selected = app.view().selected.min(rows.len().saturating_sub(1));
    let v = app.view();
    let start = if selected < v.offset {
        selected
    } else if selected >= v.offset + fit {
        selected + 1 - fit
    } else {
        v.offset
    };
    let shown = &rows[start.min(rows.len())..(start + fit).min(rows.len())];
    let table = Table::new(
        shown
            .iter()
            .map(|(cols, _)| Row::new(cols.iter().take(n).cloned())),
        widths,
    )
    .header(Row::new(header[..n].to_vec()).style(theme.accent()))
    .block(Block::default().borders(Borders::ALL).title(title))
    .row_highlight_style(theme.selected())
    // Seen without colours too (NO_COLOR, screen readers, captures).
    .highlight_symbol("› ");
    let mut state = TableState::default();
    if !shown.is_empty() {
        state.select(Some(selected - start));
    }
    f.render_stateful_widget(table, area, &mut state);
}

fn draw_stats(f: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let s = &app.stats;
    let mut warnings: Vec<Line> = Vec::new();
    match s.events_missing.as_deref() {
        Some("") => {}
        Some(m) => warnings.push(Line::styled(
            format!(
                "notify-keyspace-events lacks \"{m}\": misses and invalidations go unseen; {}",
                if app.config.read_only {
                    "cacheops stats --enable-events adds them (not from --read-only)"
                } else {
                    "e enables them"
                }
            ),
            theme.alert(),
        )),
        None => warnings.push(Line::from("checking notify-keyspace-events…")),
    }
    if let Some(e) = &s.error {
        warnings.push(Line::styled(format!("stats: {e} (retrying)"), theme.alert()));
    }
    let evicted = s.cumulative.tally.evicted_conj_keys.len();
    if evicted > 0 {
        warnings.push(Line::styled(
            format!(
                "{evicted} conj keys evicted: their entries can no longer be invalidated (maxmemory-policy?)"
            ),
            theme.alert(),
        ));
    }
    if s.cumulative.drops > 0 {
        warnings.push(Line::from(format!(
            "the subscription dropped {} times: some events were lost",
            s.cumulative.drops
        )));
    }
    let last = s.history.back();
    let per_s = |v: u64| -> f64 { last.map(|l| v as f64 / l.interval_s.max(0.001)).unwrap_or(0.0) };
    let t = last.map(|l| l.totals.counters.clone()).unwrap_or_default();
    let c = &s.cumulative.tally.totals;
    let reads = c.hits + c.misses;
    let ratio = if reads == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * c.hits as f64 / reads as f64)
    };
    let mut lines = vec![
        Line::from(format!(
            "now: {:.0} hits/s  {:.0} misses/s  {:.0} fills/s  {:.0} invalidations/s   (hits estimated from INFO commandstats)",
            per_s(t.hits),
            per_s(t.misses),
            per_s(t.fills),
            per_s(t.invalidations)
        )),
        Line::from(format!(
            "since start: hit ratio {ratio}  {} hits  {} misses  {} fills  {} invalidations  {} expired  {} evicted",
            c.hits, c.misses, c.fills, c.invalidations, c.expired, c.evicted
        )),
    ];
    lines.extend(warnings);
    let [head, sparks, tables] = Layout::vertical([
        Constraint::Length(lines.len() as u16 + 2),
        Constraint::Length(9),
        Constraint::Min(3),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title("live stats (1 s intervals)"),
        ),
        head,
    );
    let [a, b, c3] = Layout::vertical([Constraint::Length(3); 3]).areas(sparks);
    let series = |pick: fn(&crate::stats::Counters) -> u64| -> Vec<u64> {
        s.history.iter().map(|l| pick(&l.totals.counters)).collect()
    };
    for (rect, name, data) in [
        (a, "hits", series(|c| c.hits)),
        (b, "misses", series(|c| c.misses)),
        (c3, "invalidations", series(|c| c.invalidations)),
    ] {
        // The newest interval at the right edge.
        let width = rect.width.saturating_sub(2) as usize;
        let data: Vec<u64> = data[data.len().saturating_sub(width)..].to_vec();
        let max = data.iter().copied().max().unwrap_or(0);
        f.render_widget(
            Sparkline::default()
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(format!("{name} per interval (max {max})")),
                )
                .data(&data)
                .style(theme.accent()),
            rect,
        );
    }
    draw_rows(
        f,
        app,
        theme,
        tables,
        &[
            "table",
            "hits",
            "misses",
            "fills",
            "invalidations",
            "expired+evicted",
        ],
        if app.config.read_only {
            "tables since start (Enter opens)"
        } else {
            "tables since start (Enter opens, i invalidates)"
        },
    );
}

fn draw_filecache(f: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let text: Vec<Line> = match &app.filecache {
        None => vec![Line::from("walking the file cache…")],
        Some(Err(e)) => vec![Line::styled(e.clone(), theme.alert())],
        Some(Ok(s)) => {
            let mut l = vec![
                Line::from(s.path.clone()),
                Line::from(format!(
                    "{} entries, {}; expired: {} entries, {} (cacheops cleanfilecache removes them)",
                    s.entries,
                    human_bytes(s.bytes),
                    s.expired,
                    human_bytes(s.expired_bytes)
                )),
                Line::from(
                    s.histogram
                        .iter()
                        .map(|(b, n)| format!("{b}: {n}"))
                        .collect::<Vec<_>>()
                        .join("   "),
                ),
            ];
            if s.skipped + s.errors > 0 {
                l.push(Line::from(format!(
                    "skipped {} (not cache files), errors {}",
                    s.skipped, s.errors
                )));
            }
            l
        }
    };
    let [head, rows] =
        Layout::vertical([Constraint::Length(text.len() as u16 + 2), Constraint::Min(3)]).areas(area);
    f.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title("file cache (r: walk again)"),
        ),
        head,
    );
    draw_rows(
        f,
        app,
        theme,
        rows,
        &["largest entries", "size", "expires"],
        "largest entries",
    );
}

fn draw_dialog(f: &mut Frame, d: &Dialog, theme: Theme) {
    let plain = Style::default();
    let mut lines: Vec<(String, Style)> = Vec::new();
    match &d.stage {
        Stage::Input { prompt, value, .. } => {
            lines.push((format!("{prompt} {value}▏"), plain));
            lines.push((String::new(), plain));
            lines.push(("Enter: next   Esc: cancel".into(), plain));
        }
        Stage::Planning => lines.push(("counting what would go (a dry run)…".into(), plain)),
        Stage::Confirm {
            lines: what,
            typed,
            input,
        } => {
            lines.push(("This will:".into(), theme.accent()));
            lines.extend(what.iter().map(|l| (format!("  {l}"), plain)));
            lines.push((String::new(), plain));
            match typed {
                Some(name) => {
                    lines.push((format!("Type {name} and Enter to confirm; Esc cancels."), plain));
                    lines.push((format!("> {input}▏"), plain));
                }
                None => lines.push(("y: go ahead   n/Esc: cancel".into(), plain)),
            }
        }
        Stage::Nothing { lines: what } => {
            lines.push(("Nothing to do:".into(), theme.accent()));
            lines.extend(what.iter().map(|l| (format!("  {l}"), plain)));
            lines.push((String::new(), plain));
            lines.push(("any key closes this".into(), plain));
        }
        Stage::Working(msg) => lines.push((format!("working: {msg}"), plain)),
    }
    let area = f.area();
    let w = 90.min(area.width);
    // Wrapped here, so that the height fits the text and the way to confirm
    // (the last lines) is never cut off, however narrow the terminal.
    let rows: Vec<Line> = lines
        .iter()
        .flat_map(|(l, style)| {
            wrap_indented(l, (w as usize).saturating_sub(2))
                .into_iter()
                .map(move |r| Line::styled(r, *style))
        })
        .collect();
    let h = (rows.len() as u16 + 2).min(area.height);
    let skip = rows.len().saturating_sub(h.saturating_sub(2) as usize);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(rows.into_iter().skip(skip).collect::<Vec<_>>()).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(d.title.clone(), theme.accent())),
        ),
        rect,
    );
}

fn draw_key(f: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let Some(k) = &app.key else {
        f.render_widget(
            Paragraph::new("loading…").block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let text = app.key_text(area.width.saturating_sub(2) as usize);
    let has_members = !k.members.is_empty();
    let [info, members] = Layout::vertical([
        if has_members {
            Constraint::Length((text.len() as u16 + 2).min(area.height / 2))
        } else {
            Constraint::Min(3)
        },
        if has_members {
            Constraint::Min(3)
        } else {
            Constraint::Length(0)
        },
    ])
    .areas(area);
    // An entry's text scrolls (j/k, PgDn/PgUp, g/G), and the title says
    // which lines are shown when it does not fit.
    let fit = info.height.saturating_sub(2) as usize;
    let start = if has_members {
        0
    } else {
        app.view().scroll.min(text.len().saturating_sub(fit))
    };
    let mut title = k.key.clone();
    if text.len() > fit {
        let end = (start + fit).min(text.len());
        title.push_str(&format!(" (lines {}-{end} of {}", start + 1, text.len()));
        title.push_str(if has_members {
            ")"
        } else {
            "; j/k, PgDn/PgUp scroll)"
        });
    }
    let lines: Vec<Line> = text
        .into_iter()
        .skip(start)
        .take(fit)
        .map(|(l, heading)| {
            if heading {
                Line::styled(l, theme.accent())
            } else {
                Line::from(l)
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        info,
    );
    if has_members {
        let title = if k.size > k.members.len() as u64 {
            format!("members: first {} of {}", k.members.len(), k.size)
        } else {
            format!("members: {}", k.size)
        };
        let header: &[&str] = if k.member_info.is_empty() {
            &["member", "ttl"]
        } else {
            &["key", "family", "size", "ttl"]
        };
        draw_rows(f, app, theme, members, header, &title);
    }
}

fn draw_help(f: &mut Frame, app: &App, theme: Theme) {
    let area = f.area();
    let w = app.help_width().min(area.width);
    let lines = help_lines(app.config.read_only, w.saturating_sub(2) as usize);
    let h = (lines.len() as u16 + 2).min(area.height);
    let fit = h.saturating_sub(2) as usize;
    let start = app.help_scroll.min(lines.len().saturating_sub(fit));
    let mut title = "keys".to_string();
    if lines.len() > fit {
        title.push_str(&format!(
            " (lines {}-{} of {}; j/k scroll)",
            start + 1,
            (start + fit).min(lines.len()),
            lines.len()
        ));
    }
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let shown: Vec<Line> = lines.into_iter().skip(start).take(fit).map(Line::from).collect();
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(shown).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.accent())),
        ),
        rect,
    );
}
