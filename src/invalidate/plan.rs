//! What one invalidation request resolves to, shared by the CLI and the TUI:
//! the labels of `manage.py invalidate`, plus the TUI's narrower steps (one
//! conj set, one key).

use serde_json::{Map, Value};

use super::{Invalidator, Outcome};
use crate::config::Registry;
use crate::error::{Error, Result};
use crate::keys::Family;
use crate::labels::{resolve_model, AppTables, Label, ModelRef};

#[derive(Debug, Clone)]
pub enum Step {
    All,
    App(AppTables),
    Model(ModelRef),
    /// A row by pk: exact with field values, conservative without.
    Object(ModelRef, String),
    /// One conj key with the cache keys it guards (classic) or alone (insideout).
    ConjKey(String),
    /// Any one key; a conj key is dropped as `ConjKey`, so that no entry is
    /// left that no invalidation can reach.
    Key(String),
}

impl Step {
    pub fn resolve(label: &Label, reg: &Registry) -> Step {
        match label {
            Label::All => Step::All,
            Label::App(app) => Step::App(AppTables::new(reg, app)),
            Label::Model { app, model } => Step::Model(resolve_model(reg, app, model)),
            Label::Object { app, model, pk } => Step::Object(resolve_model(reg, app, model), pk.clone()),
        }
    }

    /// A step that takes more than a few keys: confirmed by typing its name.
    pub fn is_broad(&self) -> bool {
        matches!(self, Step::All | Step::App(_) | Step::Model(_))
    }
}

/// The model behind a db table: the registry's entry, else a model known by
/// its table alone with Django's default `id` pk.
pub fn model_for_table(reg: &Registry, table: &str) -> ModelRef {
    match reg.owner_of_table(table) {
        Some(e) => resolve_model(reg, &e.app, &e.model),
        None => ModelRef {
            app: String::new(),
            model: String::new(),
            db_table: table.to_string(),
            pk_field: "id".to_string(),
            registered: false,
            fields: None,
        },
    }
}

impl Invalidator<'_> {
    /// Whether Redis (or the registry) knows the step's tables: a label Redis
    /// never saw is a typo or an unregistered `Meta.db_table`.
    pub fn known(&mut self, step: &Step) -> Result<bool> {
        match step {
            Step::All | Step::ConjKey(_) | Step::Key(_) => Ok(true),
            Step::App(app) => self.app_known(app),
            Step::Model(m) | Step::Object(m, _) => Ok(m.registered || self.table_known(&m.db_table)?),
        }
    }

    /// Runs one step (or, in a dry run, counts what it would remove).
    pub fn apply(
        &mut self,
        text: &str,
        step: &Step,
        fields: Option<&Map<String, Value>>,
        flushdb: bool,
    ) -> Result<Outcome> {
        match step {
            Step::All => self.invalidate_all(text, flushdb),
            Step::App(app) => self.invalidate_app(text, app),
            Step::Model(m) => self.invalidate_model(text, m),
            Step::Object(m, pk) => match fields {
                Some(f) => self.invalidate_object(text, m, pk, f),
                None => self.invalidate_pk_conservative(text, m, pk),
            },
            Step::ConjKey(k) => self.drop_conj_key(text, k),
            Step::Key(k) => self.delete_key(text, k),
        }
    }

    /// One conj key with what it guards.
    pub fn drop_conj_key(&mut self, label: &str, key: &str) -> Result<Outcome> {
        if self.ns.family(key) != Some(Family::Conj) {
            return Err(Error::Usage(format!("{key} is not a conj key of this prefix")));
        }
        let mut out = Outcome::new(label);
        out.tables = self.ns.table_of(key).map(str::to_string).into_iter().collect();
        self.drop_conj_keys(&[key.to_string()], &mut out)?;
        Ok(out)
    }

    /// One key. Conj keys go with their entries (see `Step::Key`).
    pub fn delete_key(&mut self, label: &str, key: &str) -> Result<Outcome> {
        if self.ns.family(key) == Some(Family::Conj) {
            return self.drop_conj_key(label, key);
        }
        let mut out = Outcome::new(label);
        let there = crate::probe::exists(self.con, key)?;
        if there && !self.dry_run {
            let _: u64 = redis::cmd("UNLINK").arg(key).query(self.con)?;
        }
        let n = u64::from(there);
        match self.ns.family(key) {
            Some(f) if f.is_cache_entry() => out.cache_keys = n,
            _ => out.other_keys = n,
        }
        if self.list_keys && there {
            out.keys.push(key.to_string());
        }
        Ok(out)
    }
}
