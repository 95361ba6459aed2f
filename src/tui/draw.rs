//! Drawing: a pure function of the app state onto a ratatui frame.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use super::app::{App, Screen};
use super::keymap::BINDINGS;
use crate::pickle::{self, RenderOptions};

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

    let crumbs: Vec<String> = app.views.iter().map(|v| v.screen.title()).collect();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("cacheops ", theme.accent()),
            Span::raw(crumbs.join(" › ")),
        ])),
        top,
    );
    if let Some(b) = &app.banner {
        f.render_widget(Paragraph::new(b.as_str()).style(theme.alert()), banner);
    }

    match &app.view().screen {
        Screen::Tables => draw_rows(
            f,
            app,
            theme,
            main,
            &["table", "conj keys", "references"],
            &tables_title(app),
        ),
        Screen::Table(t) => {
            let more = if app.conj_done {
                String::new()
            } else {
                " (m: load more)".into()
            };
            draw_rows(
                f,
                app,
                theme,
                main,
                &["conditions", "members", "ttl"],
                &format!("conditions of {t}{more}"),
            )
        }
        Screen::Key(_) => draw_key(f, app, theme, main),
    }

    let v = app.view();
    let hint = if app.editing_filter {
        format!("filter: {}▏ (Enter keeps it, Esc clears it)", v.filter)
    } else if let Some(s) = &app.status {
        s.clone()
    } else if !v.filter.is_empty() {
        format!("filter: {}   Esc clears   ? help   q quit", v.filter)
    } else {
        "Enter open   Esc back   / filter   ? help   q quit".into()
    };
    f.render_widget(Paragraph::new(hint), bottom);

    if app.help {
        draw_help(f, theme);
    }
}

fn tables_title(app: &App) -> String {
    if app.tables_done {
        format!("tables with cached data: {}", app.tables.len())
    } else {
        format!(
            "tables with cached data: {} so far (scanning {:.0}%)",
            app.tables.len(),
            app.tables_progress * 100.0
        )
    }
}

fn draw_rows(f: &mut Frame, app: &App, theme: Theme, area: Rect, header: &[&str], title: &str) {
    let rows = app.rows();
    let widths: Vec<Constraint> = header
        .iter()
        .enumerate()
        .map(|(i, _)| {
            if i == 0 {
                Constraint::Percentage(70)
            } else {
                Constraint::Percentage(15)
            }
        })
        .collect();
    let table = Table::new(rows.iter().map(|(cols, _)| Row::new(cols.clone())), widths)
        .header(Row::new(header.to_vec()).style(theme.accent()))
        .block(Block::default().borders(Borders::ALL).title(title.to_string()))
        .row_highlight_style(theme.selected());
    let mut state = TableState::default();
    if !rows.is_empty() {
        state.select(Some(app.view().selected.min(rows.len() - 1)));
    }
    f.render_stateful_widget(table, area, &mut state);
}

fn draw_key(f: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let Some(k) = &app.key else {
        f.render_widget(
            Paragraph::new("loading…").block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let mut lines = vec![Line::from(format!(
        "type {}  ttl {}  size {}  family {}",
        k.redis_type,
        if k.ttl < 0 {
            "none".into()
        } else {
            format!("{} s", k.ttl)
        },
        k.size,
        k.family
    ))];
    for c in &k.conditions {
        lines.push(Line::from(vec![
            Span::styled("condition ", theme.accent()),
            Span::raw(c.clone()),
        ]));
    }
    if let Some(r) = &k.referenced_by {
        let what = if r.conj_keys.is_empty() {
            "held by no conj set: no invalidation reaches it".to_string()
        } else {
            format!(
                "held by {} conj sets: {}",
                r.conj_keys.len(),
                r.conj_keys.join(", ")
            )
        };
        lines.push(Line::from(what));
    }
    if k.lock {
        lines.push(Line::from(
            "LOCK: a dog-pile lock, held while one client computes this entry",
        ));
    }
    if let Some(raw) = &k.value {
        if !k.lock {
            let text = pickle::describe(
                raw,
                &RenderOptions {
                    max_len: 20_000,
                    ..RenderOptions::detail()
                },
            );
            lines.push(Line::from(Span::styled("value", theme.accent())));
            lines.extend(text.lines().map(|l| Line::from(format!("  {l}"))));
        }
    }
    let has_members = !k.members.is_empty();
    let [info, members] = Layout::vertical([
        if has_members {
            Constraint::Length((lines.len() as u16 + 2).min(area.height / 2))
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
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(k.key.clone())),
        info,
    );
    if has_members {
        let title = if k.size > k.members.len() as u64 {
            format!("members: first {} of {}", k.members.len(), k.size)
        } else {
            format!("members: {}", k.size)
        };
        draw_rows(f, app, theme, members, &["key", "ttl"], &title);
    }
}

fn draw_help(f: &mut Frame, theme: Theme) {
    let area = f.area();
    let w = 60.min(area.width);
    let h = (BINDINGS.len() as u16 + 4).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| Line::from(format!("{:>8}  {}", b.label, b.help)))
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from("any key closes this help"));
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled("keys", theme.accent())),
        ),
        rect,
    );
}
