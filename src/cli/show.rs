//! `cacheops show KEY`: one key, explained.

use clap::Args;
use serde_json::json;

use cacheops::error::{exit, Error, Result};
use cacheops::inspect::show_key;
use cacheops::keys::Namespace;
use cacheops::pickle::{self, RenderOptions};

use super::{connect, load_settings, GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  cacheops show q:0d1b08c34858921bc7c662b228acb7ba   # decoded value; the conj sets holding it
  cacheops show 'conj:articles_article:category_id=3&is_published=true'
  cacheops show schemes:articles_article
  cacheops --prefix site1: show c:5f0c... --json    # --prefix is put in front of KEY
  cacheops show \"$(cacheops keys --family conj --limit 1)\"   # whole keys as `keys` prints them";

/// Explain one key: type, TTL, size; a cache entry's decoded value and the
/// conj keys holding it; a conj key's conditions and members; a table's schemes
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct ShowArgs {
    /// The key, without the prefix (put in front), or whole as `cacheops keys` prints it
    pub key: String,
}

pub fn run(g: &GlobalArgs, a: &ShowArgs, out: &Output) -> Result<i32> {
    let settings = load_settings(g)?;
    let (_target, mut con) = connect(&settings)?;
    let ns = Namespace::new(settings.prefix.clone());
    let mut key = format!("{}{}", settings.prefix, a.key);
    // `cacheops keys` prints whole keys, prefix included: take those as they are
    // when the prefixed form is not there (`show "$(cacheops keys ...)"` works).
    if a.key.starts_with(&settings.prefix)
        && !settings.prefix.is_empty()
        && !cacheops::probe::exists(&mut con, &key)?
        && cacheops::probe::exists(&mut con, &a.key)?
    {
        key = a.key.clone();
    }
    let v = show_key(&mut con, &ns, &key)?;
    if v.redis_type == "none" {
        return Err(Error::Unknown(format!("no key {key:?} in this db")));
    }
    for w in &v.warnings {
        out.warn(w);
    }
    let registry = settings.models.clone();
    let pk_of = move |app: &str, model: &str| registry.find(app, model).map(|e| e.pk.clone());
    let opts = RenderOptions {
        pk_field: &pk_of,
        ..RenderOptions::detail()
    };
    let decoded = v
        .value
        .as_ref()
        .filter(|_| !v.lock)
        .map(|raw| pickle::describe(raw, &opts));

    if out.json {
        let mut j = serde_json::to_value(&v).unwrap_or_default();
        j["value"] = json!(decoded);
        out.print_json(&j);
        return Ok(exit::OK);
    }
    let unit = match (v.redis_type.as_str(), v.size == 1) {
        ("string", false) => "bytes",
        ("string", true) => "byte",
        ("list", false) => "items",
        ("list", true) => "item",
        ("hash", false) => "fields",
        ("hash", true) => "field",
        ("stream", false) => "entries",
        ("stream", true) => "entry",
        (_, false) => "members",
        (_, true) => "member",
    };
    let mut lines = vec![
        format!("key       {}", v.key),
        format!(
            "family    {}{}",
            v.family,
            v.table
                .as_ref()
                .map(|t| format!(" (table {t})"))
                .unwrap_or_default()
        ),
        format!(
            "type      {}{}, {} {}",
            v.redis_type,
            v.encoding.as_ref().map(|e| format!(" ({e})")).unwrap_or_default(),
            v.size,
            unit
        ),
        format!(
            "ttl       {}",
            if v.ttl < 0 {
                "none".to_string()
            } else {
                format!("{} s", v.ttl)
            }
        ),
    ];
    if let Some(m) = v.memory {
        lines.push(format!("memory    {m} bytes (MEMORY USAGE)"));
    }
    if v.lock {
        lines.push("value     LOCK: a dog-pile lock, held while one client computes this entry".into());
    }
    if let Some(sum) = &v.checksum {
        lines.push(format!(
            "checksum  {sum} (insideout: the conj stamps it was cached under)"
        ));
    }
    for c in &v.conditions {
        lines.push(format!("condition {c}"));
    }
    if let Some(r) = &v.referenced_by {
        let extent = if r.complete {
            format!("all {} conj sets searched", r.searched)
        } else {
            format!("search stopped after {} conj sets", r.searched)
        };
        if r.conj_keys.is_empty() {
            lines.push(format!(
                "held by   no conj set ({extent}): no invalidation reaches this entry"
            ));
        } else {
            lines.push(format!("held by   {} conj sets ({extent}):", r.conj_keys.len()));
            lines.extend(r.conj_keys.iter().map(|k| format!("            {k}")));
        }
    }
    if !v.members.is_empty() {
        let more = v.size.saturating_sub(v.members.len() as u64);
        lines.push(format!(
            "{unit}{}",
            if more > 0 {
                format!(" (first {}, {more} more)", v.members.len())
            } else {
                String::new()
            }
        ));
        for (m, ttl) in &v.members {
            let t = match ttl {
                -2 => "  (gone: a dead member)".to_string(),
                -1 => String::new(),
                t => format!("  (ttl {t} s)"),
            };
            lines.push(format!("  {m}{t}"));
        }
    }
    if let Some(d) = decoded {
        lines.push("value".into());
        lines.extend(d.lines().map(|l| format!("  {l}")));
    }
    out.print(&lines.join("\n"));
    Ok(exit::OK)
}
