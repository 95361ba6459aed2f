//! Invalidating one row: exactly, from its field values, or conservatively,
//! from its primary key alone.

use serde_json::{Map, Value};

use super::scripts::{self, DictCall, DictReply};
use super::{Invalidator, Outcome, MEMBER_BUDGET};
use crate::conj::{self, parse_with_schemes, Scheme};
use crate::error::{Error, Result};
use crate::labels::ModelRef;
use crate::layout::Layout;
use crate::scan::sscan_if_set;

impl Invalidator<'_> {
    /// cacheops' `invalidate_dict(model, fields)`: `fields` maps attnames to the
    /// values cacheops serializes (`json.dumps(obj_dict, default=str)`).
    pub fn invalidate_object(
        &mut self,
        label: &str,
        m: &ModelRef,
        pk: &str,
        fields: &Map<String, Value>,
    ) -> Result<Outcome> {
        let fields = with_pk(m, pk, fields)?;
        let row = Row {
            label: label.to_string(),
            table: m.db_table.clone(),
            fields,
        };
        Ok(self.invalidate_rows(std::slice::from_ref(&row))?.remove(0))
    }

    /// Rows' exact invalidations (`invalidate_dict` of each), pipelined: one
    /// round trip for the batch. Until a reply has shown the layout, rows go
    /// one at a time, so that a batch never acts on a layout it has not seen.
    pub fn invalidate_rows(&mut self, rows: &[Row]) -> Result<Vec<Outcome>> {
        let mut outs = Vec::with_capacity(rows.len());
        let mut rest = rows;
        while !rest.is_empty() {
            let n = if self.seen.or(self.configured).is_some() {
                rest.len()
            } else {
                1
            };
            let (batch, more) = rest.split_at(n);
            rest = more;
            let jsons: Vec<(String, String)> = batch.iter().map(|r| dict_jsons(&r.fields)).collect();
            let expected = self.seen.or(self.configured);
            let calls: Vec<DictCall> = batch
                .iter()
                .zip(&jsons)
                .map(|(r, (classic, insideout))| DictCall {
                    prefix: &self.ns.prefix,
                    table: &r.table,
                    classic_json: classic,
                    insideout_json: insideout,
                    expected,
                    max_members: MEMBER_BUDGET * 10,
                    dry_run: self.dry_run,
                })
                .collect();
            let replies = if calls.len() == 1 {
                vec![scripts::invalidate_dict(self.con, &calls[0])?]
            } else {
                scripts::invalidate_dicts(self.con, &calls)?
            };
            for (r, reply) in batch.iter().zip(replies) {
                outs.push(self.fold_dict_reply(r, reply)?);
            }
        }
        Ok(outs)
    }

    fn fold_dict_reply(&mut self, row: &Row, reply: DictReply) -> Result<Outcome> {
        let mut out = Outcome::new(&row.label);
        out.tables = vec![row.table.clone()];
        match reply {
            DictReply::Nothing => {}
            DictReply::Done {
                layout,
                conj,
                cache,
                keys,
            } => {
                self.settle_layout(Some(layout), &format!("conj keys of {}", row.table))?;
                out.layout = Some(layout.name());
                out.conj_keys = conj;
                out.cache_keys = cache;
                if self.list_keys {
                    out.keys = keys;
                }
            }
            DictReply::Big { layout, keys } => {
                // Sets too large to drop in one atomic call: drain them in steps.
                self.settle_layout(Some(layout), &format!("conj keys of {}", row.table))?;
                out.layout = Some(layout.name());
                self.drop_conj_keys(&keys, &mut out)?;
                out.notes.push(if self.dry_run {
                    "large conj sets would be drained in bounded steps, not in one atomic call".into()
                } else {
                    "large conj sets were drained in bounded steps, not in one atomic call".into()
                });
            }
            DictReply::Conflict { what, detail } => {
                let found = Layout::parse(&what);
                let evidence = detail.join(" ");
                self.settle_layout(found, &evidence)?;
                // settle_layout accepts a found layout the config did not name;
                // the script only reports a conflict when it must refuse.
                return Err(Error::Refused(format!(
                    "{}: Redis holds conj keys of both layouts for {} ({evidence}); nothing was changed",
                    row.label, row.table
                )));
            }
        }
        Ok(out)
    }

    /// Without the row's values: drop every conj key of the table that
    /// `pk=<value>` does not contradict. Removes all that cacheops'
    /// invalidate_obj would, and conj keys of other rows that share no pk
    /// condition.
    pub fn invalidate_pk_conservative(&mut self, label: &str, m: &ModelRef, pk: &str) -> Result<Outcome> {
        let mut out = Outcome::new(label);
        out.tables = vec![m.db_table.clone()];
        out.exact = false;
        let mut schemes = Vec::new();
        let schemes_key = self.ns.schemes_key(&m.db_table);
        let is_set = sscan_if_set(self.con, &schemes_key, |page| {
            schemes.extend(page.iter().map(|s| Scheme::parse(s)));
            Ok(())
        })?;
        if !is_set {
            // Someone else's key: no schemes to rule a conj key out with, so
            // every conj key of the table goes (the safe side).
            out.notes.push(format!(
                "{schemes_key} is not a set (not cacheops'): read as no schemes"
            ));
        }
        let spellings = pk_spellings(pk);
        let start = self.ns.conj_key_start(&m.db_table);
        let pattern = self.ns.conj_pattern(&m.db_table);
        let table = m.db_table.clone();
        let pk_field = m.pk_field.clone();
        let mut kept = 0u64;
        self.drain_matching(&pattern, &mut out, |t, key| {
            if t != table {
                return false;
            }
            let part = &key[start.len()..];
            let readings = parse_with_schemes(part, &schemes);
            let contradicted = !readings.is_empty()
                && readings.iter().all(|conds| {
                    conds
                        .iter()
                        .any(|c| c.field == pk_field && !spellings.contains(&c.value))
                });
            if contradicted {
                kept += 1;
            }
            !contradicted
        })?;
        out.notes.push(format!(
            "conservative: without the row's values every condition not ruling out {}={pk} was dropped \
             ({kept} conj keys of other rows kept)",
            m.pk_field
        ));
        Ok(out)
    }
}

/// One row to invalidate exactly: its table and its invalidation dict.
#[derive(Debug, Clone)]
pub struct Row {
    /// Names the row in outcomes and errors (a label, a line number).
    pub label: String,
    pub table: String,
    /// attname -> value as cacheops serializes it (`json.dumps(..., default=str)`).
    pub fields: Map<String, Value>,
}

/// The dict as cacheops' script receives it: JSON for the classic layout,
/// and with every value rendered as the insideout layout spells it.
fn dict_jsons(fields: &Map<String, Value>) -> (String, String) {
    let classic = Value::Object(fields.clone()).to_string();
    let insideout: Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(conj::render_insideout(v))))
        .collect();
    (classic, Value::Object(insideout).to_string())
}

/// The row's fields, with the label's pk in them. A pk the fields already
/// hold must agree with the label; a missing one is added when its JSON type
/// cannot change how it is spelled in a conj key.
fn with_pk(m: &ModelRef, pk: &str, fields: &Map<String, Value>) -> Result<Map<String, Value>> {
    let mut fields = fields.clone();
    match fields.get(&m.pk_field) {
        Some(v) => {
            let spelled = conj::render_insideout(v);
            if !pk_spellings(pk).contains(&spelled) && spelled != pk {
                return Err(Error::Usage(format!(
                    "--fields says {}={spelled} but the label says pk {pk}",
                    m.pk_field
                )));
            }
        }
        None => {
            let v = match pk.parse::<i64>() {
                // Up to 14 digits a number and a string print alike in both layouts.
                Ok(n) if n.unsigned_abs() < 100_000_000_000_000 && n.to_string() == pk => Value::from(n),
                Ok(_) => {
                    return Err(Error::Usage(format!(
                        "pk {pk} is spelled differently as a number and as a string in conj keys: \
                         put \"{}\" in --fields with its JSON type",
                        m.pk_field
                    )))
                }
                Err(_) => Value::String(pk.to_string()),
            };
            fields.insert(m.pk_field.clone(), v);
        }
    }
    Ok(fields)
}

/// Every way cacheops could have spelled this pk in a conj key, in either
/// layout: as typed, as a Lua number (`%.14g`), as a normalised integer, as a
/// canonical UUID.
pub(crate) fn pk_spellings(pk: &str) -> Vec<String> {
    let mut out = vec![pk.to_string()];
    if let Ok(n) = pk.parse::<i128>() {
        out.push(n.to_string());
        out.push(conj::lua_number(n as f64));
    } else if let Ok(f) = pk.parse::<f64>() {
        if f.is_finite() {
            out.push(conj::lua_number(f));
            out.push(conj::python_float_repr(f));
        }
    }
    if let Some(u) = canonical_uuid(pk) {
        out.push(u);
    }
    out.sort();
    out.dedup();
    out
}

/// `str(uuid.UUID(s))` for the spellings Django's UUIDField accepts.
fn canonical_uuid(s: &str) -> Option<String> {
    let hex: String = s
        .trim_start_matches("urn:uuid:")
        .trim_matches(|c| c == '{' || c == '}')
        .chars()
        .filter(|c| *c != '-')
        .collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ModelRef {
        ModelRef {
            app: "a".into(),
            model: "M".into(),
            db_table: "a_m".into(),
            pk_field: "id".into(),
            registered: false,
            fields: None,
        }
    }

    #[test]
    fn spellings() {
        let s = pk_spellings("123456789012345678");
        assert!(s.contains(&"123456789012345678".to_string()));
        assert!(s.contains(&"1.2345678901235e+17".to_string()));
        let s = pk_spellings("6F1C0A9E1D2B4C3D8E4F5A6B7C8D9E0F");
        assert!(s.contains(&"6f1c0a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f".to_string()));
        assert_eq!(pk_spellings("slug"), vec!["slug".to_string()]);
    }

    #[test]
    fn pk_added_or_checked() {
        let m = model();
        let f = with_pk(&m, "34", &Map::new()).unwrap();
        assert_eq!(f["id"], Value::from(34));
        let f = with_pk(&m, "abc", &Map::new()).unwrap();
        assert_eq!(f["id"], Value::from("abc"));
        assert!(matches!(
            with_pk(&m, "123456789012345678", &Map::new()),
            Err(Error::Usage(_))
        ));
        let mut given = Map::new();
        given.insert("id".into(), Value::from(35));
        assert!(matches!(with_pk(&m, "34", &given), Err(Error::Usage(_))));
        given.insert("id".into(), Value::from(34));
        assert!(with_pk(&m, "34", &given).is_ok());
    }
}
