//! `invalidate --stdin`: changes written by something cacheops never sees (a
//! Go service, a migration, `QuerySet.update()`), one JSON object a line.

use serde_json::{Map, Value};

/// One line of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `{"table": "<db_table>", "obj": {...}}`: a row's invalidation dict,
    /// attname -> value as cacheops serializes it.
    Row { table: String, obj: Map<String, Value> },
    /// `{"label": "app.Model[.pk]"}`: as `cacheops invalidate LABEL`.
    Label(String),
}

/// Reads one line; the error says what is wrong with it, for the user.
pub fn parse_change(line: &str) -> Result<Change, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(mut m) = v else {
        return Err("not a JSON object".into());
    };
    if let Some(k) = m
        .keys()
        .find(|k| !["table", "obj", "label"].contains(&k.as_str()))
    {
        return Err(format!("unknown key {k:?} (expected table and obj, or label)"));
    }
    match (m.remove("table"), m.remove("obj"), m.remove("label")) {
        (Some(Value::String(table)), Some(Value::Object(obj)), None) if !table.is_empty() => {
            if let Some((k, _)) = obj.iter().find(|(_, v)| v.is_array() || v.is_object()) {
                return Err(format!(
                    "obj.{k} is not a scalar: values are what json.dumps(..., default=str) makes of a field"
                ));
            }
            if obj.is_empty() {
                return Err("obj is empty: give the row's field values (attname -> value)".into());
            }
            Ok(Change::Row { table, obj })
        }
        (None, None, Some(Value::String(label))) => Ok(Change::Label(label)),
        (Some(_), Some(_), None) => Err("table must be a non-empty string and obj an object".into()),
        (None, None, Some(_)) => Err("label must be a string".into()),
        _ => Err("expected {\"table\": ..., \"obj\": {...}} or {\"label\": ...}".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_labels_and_what_is_wrong() {
        let row =
            parse_change(r#"{"table": "blog_post", "obj": {"id": 3, "title": "a&b", "x": null}}"#).unwrap();
        match row {
            Change::Row { table, obj } => {
                assert_eq!(table, "blog_post");
                assert_eq!(obj.len(), 3);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_change(r#"{"label": "blog.Post.3"}"#).unwrap(),
            Change::Label("blog.Post.3".into())
        );
        for (line, says) in [
            ("{", "not JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"table": "t"}"#, "expected"),
            (r#"{"table": "t", "obj": {}}"#, "obj is empty"),
            (r#"{"table": "", "obj": {"a": 1}}"#, "non-empty string"),
            (r#"{"table": "t", "obj": {"a": [1]}}"#, "obj.a is not a scalar"),
            (r#"{"label": 3}"#, "label must be a string"),
            (r#"{"label": "a", "table": "t"}"#, "expected"),
            (r#"{"tabel": "t", "obj": {}}"#, "unknown key \"tabel\""),
        ] {
            let e = parse_change(line).unwrap_err();
            assert!(e.contains(says), "{line}: {e}");
        }
    }
}
