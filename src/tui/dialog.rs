//! The confirmation dialog of an action: its input stages (a pk, field
//! values, a label), the dry run's answer, the confirmation (typed for broad
//! actions), then the work.

use crossterm::event::{KeyCode, KeyEvent};
use serde_json::{Map, Value};

use super::app::App;
use super::worker::{Confirm, Job, Request};
use crate::invalidate::{model_for_table, Step};
use crate::labels::Label;

/// What a dialog is waiting for.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Text entry; `then` says what the text is for.
    Input {
        prompt: String,
        value: String,
        then: InputFor,
    },
    /// The dry run is on its way.
    Planning,
    /// What will go, and how to say yes: `typed` is a name to type, else `y`.
    Confirm {
        lines: Vec<String>,
        typed: Option<String>,
        input: String,
    },
    /// The dry run found nothing to change: said, and closed by any key.
    Nothing {
        lines: Vec<String>,
    },
    Working(String),
}

#[derive(Debug, Clone)]
pub enum InputFor {
    ObjectPk { table: String },
    ObjectFields { table: String, pk: String },
    Label,
}

pub struct Dialog {
    pub title: String,
    /// `None` while the input stages build it.
    pub job: Option<Job>,
    pub stage: Stage,
}

impl App {
    /// The dry run answered: what would go, and how to say yes.
    pub(super) fn planned(&mut self, lines: Vec<String>, confirm: Confirm) {
        if let Some(d) = &mut self.dialog {
            d.stage = match confirm {
                Confirm::Nothing => Stage::Nothing { lines },
                Confirm::Yes => Stage::Confirm {
                    lines,
                    typed: None,
                    input: String::new(),
                },
                Confirm::Typed(name) => Stage::Confirm {
                    lines,
                    typed: Some(name),
                    input: String::new(),
                },
            };
        }
    }

    /// Opens the dialog of an invalidation and asks the worker for its dry run.
    pub(super) fn plan(
        &mut self,
        title: String,
        label: String,
        step: Step,
        fields: Option<Map<String, Value>>,
    ) {
        let job = Job::Invalidate {
            label,
            step: Box::new(step),
            fields,
        };
        self.dialog = Some(Dialog {
            title,
            job: Some(job.clone()),
            stage: Stage::Planning,
        });
        self.send(Request::Plan(job));
    }

    pub(super) fn dialog_key(&mut self, key: KeyEvent) {
        let Some(d) = &mut self.dialog else { return };
        if key.code == KeyCode::Esc {
            if matches!(d.stage, Stage::Working(_)) {
                return; // already running: it finishes, and says what it did
            }
            self.dialog = None;
            self.status = Some("cancelled; nothing was changed".into());
            return;
        }
        match &mut d.stage {
            Stage::Input { value, .. } => match key.code {
                KeyCode::Char(c) => value.push(c),
                KeyCode::Backspace => {
                    value.pop();
                }
                KeyCode::Enter => self.input_done(),
                _ => {}
            },
            Stage::Confirm { typed, input, .. } => match (typed.as_deref(), key.code) {
                (Some(_), KeyCode::Char(c)) => input.push(c),
                (Some(_), KeyCode::Backspace) => {
                    input.pop();
                }
                (Some(name), KeyCode::Enter) => {
                    if input == name {
                        self.confirmed();
                    } else {
                        self.status = Some(format!("type {name} exactly to confirm, Esc to cancel"));
                    }
                }
                (None, KeyCode::Char('y') | KeyCode::Enter) => self.confirmed(),
                (None, KeyCode::Char('n')) => {
                    self.dialog = None;
                    self.status = Some("cancelled; nothing was changed".into());
                }
                _ => {}
            },
            Stage::Nothing { .. } => {
                self.dialog = None;
                self.status = Some("nothing to do; nothing was changed".into());
            }
            Stage::Planning | Stage::Working(_) => {}
        }
    }

    fn confirmed(&mut self) {
        let Some(d) = &mut self.dialog else { return };
        let Some(job) = d.job.clone() else { return };
        d.stage = Stage::Working("starting".into());
        self.send(Request::Apply(job));
    }

    /// An input stage finished: the next stage, or the dry run.
    fn input_done(&mut self) {
        let Some(d) = &mut self.dialog else { return };
        let Stage::Input { value, then, .. } = &d.stage else {
            return;
        };
        let value = value.trim().to_string();
        match then.clone() {
            InputFor::ObjectPk { table } => {
                if value.is_empty() {
                    self.status = Some("a pk is needed".into());
                    return;
                }
                d.stage = Stage::Input {
                    prompt: "field values as JSON (optional; empty: pk only, conservative) =".into(),
                    value: String::new(),
                    then: InputFor::ObjectFields { table, pk: value },
                };
            }
            InputFor::ObjectFields { table, pk } => {
                let fields = if value.is_empty() {
                    None
                } else {
                    match serde_json::from_str::<Value>(&value) {
                        Ok(Value::Object(m)) => Some(m),
                        _ => {
                            self.status =
                                Some("field values: a JSON object, e.g. {\"category_id\": 3}".into());
                            return;
                        }
                    }
                };
                let m = model_for_table(&self.config.registry, &table);
                let title = format!("invalidate {table} {}={pk}", m.pk_field);
                let label = format!("{table}.{pk}");
                self.plan(title, label, Step::Object(m, pk), fields);
            }
            InputFor::Label => match Label::parse(&value) {
                Ok(l) => {
                    let step = Step::resolve(&l, &self.config.registry);
                    self.plan(format!("invalidate {value}"), value, step, None);
                }
                Err(e) => self.status = Some(e.to_string()),
            },
        }
    }
}
