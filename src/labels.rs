//! `manage.py invalidate`'s label grammar: `all`, `app`, `app.Model`,
//! `app.Model.pk`, resolved to db tables through the `models:` registry and
//! Django's naming conventions.

use crate::config::{default_db_table, FieldSpec, Registry};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    All,
    App(String),
    Model { app: String, model: String },
    Object { app: String, model: String, pk: String },
}

impl Label {
    pub fn parse(s: &str) -> Result<Label> {
        if s == "all" {
            return Ok(Label::All);
        }
        let parts: Vec<&str> = s.split('.').collect();
        if parts.iter().any(|p| p.is_empty()) || parts.len() > 3 {
            return Err(Error::Usage(format!(
                "malformed label {s:?}: use all, <app>, <app>.<Model> or <app>.<Model>.<pk>"
            )));
        }
        if let Some(bad) = parts[..parts.len().min(2)].iter().find(|p| !is_identifier(p)) {
            return Err(Error::Usage(format!(
                "malformed label {s:?}: {bad:?} is not an app label or model name"
            )));
        }
        Ok(match parts[..] {
            [app] => Label::App(app.to_string()),
            [app, model] => Label::Model {
                app: app.into(),
                model: model.into(),
            },
            [app, model, pk] => Label::Object {
                app: app.into(),
                model: model.into(),
                pk: pk.into(),
            },
            _ => unreachable!("1 to 3 parts"),
        })
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Labels that complete `current` (case-insensitively): `all`, the registry's
/// apps and their models, as `manage.py invalidate` takes them.
pub fn candidates(reg: &Registry, current: &str) -> Vec<String> {
    let mut all: Vec<String> = vec!["all".to_string()];
    all.extend(reg.apps().into_iter().map(str::to_string));
    all.extend(reg.entries().iter().map(|e| format!("{}.{}", e.app, e.model)));
    let cur = current.to_lowercase();
    all.retain(|c| c.to_lowercase().starts_with(&cur));
    all.sort();
    all.dedup();
    all
}

/// A model resolved to where its data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRef {
    pub app: String,
    pub model: String,
    pub db_table: String,
    pub pk_field: String,
    /// Listed in the registry (otherwise Django's defaults were assumed).
    pub registered: bool,
    /// The fields cacheops serializes, when the registry lists them.
    pub fields: Option<Vec<FieldSpec>>,
}

/// Resolves `app.Model`: the registry's entry, else Django's default table
/// name and an `id` pk. Whether such a table exists is for Redis to say
/// (`Invalidator::table_known`): the registry lists only the exceptions.
pub fn resolve_model(reg: &Registry, app: &str, model: &str) -> ModelRef {
    match reg.find(app, model) {
        Some(e) => ModelRef {
            app: e.app.clone(),
            model: e.model.clone(),
            db_table: e.db_table.clone(),
            pk_field: e.pk.clone(),
            registered: true,
            fields: e.fields.clone(),
        },
        None => ModelRef {
            app: app.to_string(),
            model: model.to_string(),
            db_table: default_db_table(app, model),
            pk_field: "id".to_string(),
            registered: false,
            fields: None,
        },
    }
}

/// Which tables make up an app: the registry's, plus every table named
/// `<app>_*` found in Redis (this covers auto-created M2M through tables),
/// minus tables the registry gives to another model.
#[derive(Debug, Clone)]
pub struct AppTables {
    pub app: String,
    /// Tables the registry lists for the app.
    pub registered: Vec<String>,
    /// Tables listed for other apps: never part of this one.
    pub foreign: Vec<String>,
    /// Other apps whose label starts with `<app>_` (e.g. `blog_extra` for `blog`).
    pub colliding_apps: Vec<String>,
}

impl AppTables {
    pub fn new(reg: &Registry, app: &str) -> AppTables {
        let registered = reg.models_of(app).map(|e| e.db_table.clone()).collect();
        let foreign = reg
            .entries()
            .iter()
            .filter(|e| e.app != app)
            .map(|e| e.db_table.clone())
            .collect();
        let colliding_apps = reg
            .apps()
            .into_iter()
            .filter(|a| a.starts_with(&format!("{app}_")))
            .map(str::to_string)
            .collect();
        AppTables {
            app: app.to_string(),
            registered,
            foreign,
            colliding_apps,
        }
    }

    /// The prefix that names the app's tables by Django's convention.
    pub fn table_start(&self) -> String {
        format!("{}_", self.app)
    }

    /// Whether a table found under `<app>_` belongs to the app.
    pub fn claims(&self, table: &str) -> bool {
        if self.registered.iter().any(|t| t == table) {
            return true;
        }
        if self.foreign.iter().any(|t| t == table) {
            return false;
        }
        // A table of a registered app `<app>_x` is that app's, not ours.
        if self
            .colliding_apps
            .iter()
            .any(|a| table.starts_with(&format!("{a}_")))
        {
            return false;
        }
        table.starts_with(&self.table_start())
    }

    /// Tables that were included only by their name and could just as well be
    /// another app's (`blog_extra_post` for app `blog`: a through table of a
    /// model `extra`, or app `blog_extra`'s `post`).
    pub fn ambiguous<'a>(&self, tables: &'a [String]) -> Vec<&'a str> {
        tables
            .iter()
            .filter(|t| !self.registered.contains(t))
            .filter(|t| {
                let rest = &t[self.table_start().len().min(t.len())..];
                match rest.split_once('_') {
                    // A through table `<app>_<model>_<field>` sits beside its model's table.
                    Some((model, _)) => !tables.iter().any(|o| o == &format!("{}_{model}", self.app)),
                    None => false,
                }
            })
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ModelEntry;

    fn reg() -> Registry {
        Registry::new(vec![
            ModelEntry {
                app: "articles".into(),
                model: "LegacyThing".into(),
                db_table: "legacy_things".into(),
                pk: "id".into(),
                fields: None,
            },
            ModelEntry {
                app: "blog_extra".into(),
                model: "Post".into(),
                db_table: "blog_extra_post".into(),
                pk: "id".into(),
                fields: None,
            },
        ])
    }

    #[test]
    fn grammar() {
        assert_eq!(Label::parse("all").unwrap(), Label::All);
        assert_eq!(Label::parse("articles").unwrap(), Label::App("articles".into()));
        assert_eq!(
            Label::parse("articles.Article").unwrap(),
            Label::Model {
                app: "articles".into(),
                model: "Article".into()
            }
        );
        assert_eq!(
            Label::parse("articles.Article.6f1c0a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f").unwrap(),
            Label::Object {
                app: "articles".into(),
                model: "Article".into(),
                pk: "6f1c0a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f".into()
            }
        );
        for bad in [
            "",
            ".",
            "a..b",
            "a.b.c.d",
            "articles.",
            "a-b.C",
            "a.B-c",
            "1app.Model",
        ] {
            let e = Label::parse(bad).unwrap_err();
            assert!(matches!(e, Error::Usage(_)), "{bad}");
        }
    }

    #[test]
    fn resolution() {
        let r = reg();
        let m = resolve_model(&r, "articles", "legacything");
        assert_eq!(m.db_table, "legacy_things");
        assert!(m.registered);
        // The registry lists only exceptions: other models keep Django's defaults.
        let m = resolve_model(&r, "articles", "Article");
        assert_eq!(m.db_table, "articles_article");
        assert!(!m.registered);
        let m = resolve_model(&r, "shop", "Product");
        assert_eq!(m.db_table, "shop_product");
        assert_eq!(m.pk_field, "id");
        assert!(!m.registered);
    }

    #[test]
    fn app_tables() {
        let r = reg();
        let blog = AppTables::new(&r, "blog");
        assert!(blog.claims("blog_post"));
        assert!(blog.claims("blog_post_tags"));
        assert!(!blog.claims("blog_extra_post"), "registered to blog_extra");
        assert!(
            !blog.claims("blog_extra_comment"),
            "blog_extra is a registered app"
        );
        assert!(!blog.claims("blogx_post"));
        let tables = vec![
            "blog_post".to_string(),
            "blog_post_tags".to_string(),
            "blog_misc_item".to_string(),
        ];
        assert_eq!(blog.ambiguous(&tables), vec!["blog_misc_item"]);
        let articles = AppTables::new(&r, "articles");
        assert_eq!(articles.registered, vec!["legacy_things".to_string()]);
    }
}
