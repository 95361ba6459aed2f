//! SQLite (`sqlite:///path`): Django's sqlite backend, read-only.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::value::Raw;
use super::{Backend, Column};
use crate::error::{Error, Result};

pub struct Sqlite {
    con: Connection,
    path: String,
}

impl Sqlite {
    pub fn open(path: &str) -> Result<Sqlite> {
        // Read-only, and never created: a wrong path is an error, not an empty db.
        let con = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Connect(format!("sqlite database {path}: {e}")))?;
        Ok(Sqlite {
            con,
            path: path.to_string(),
        })
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        Error::Connect(format!("sqlite database {}: {e}", self.path))
    }
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

impl Backend for Sqlite {
    fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        let mut st = self
            .con
            .prepare(&format!("PRAGMA table_info({})", quote(table)))
            .map_err(|e| self.err(e))?;
        let cols = st
            .query_map([], |r| {
                Ok(Column {
                    name: r.get::<_, String>(1)?,
                    declared: r.get::<_, String>(2)?.to_ascii_lowercase(),
                    decimal_places: None,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>());
        drop(st);
        cols.map_err(|e| self.err(e))
    }

    fn guess_kind(&self, c: &Column) -> (&'static str, Option<String>) {
        // Django's sqlite data_types, read backwards.
        let t = c.declared.as_str();
        match t {
            "integer" | "bigint" | "smallint" | "integer unsigned" | "bigint unsigned" | "smallint unsigned" => {
                ("IntegerField", None)
            }
            "bool" => ("BooleanField", None),
            "real" => ("FloatField", None),
            "decimal" => (
                "DecimalField",
                Some(format!(
                    "{}: a decimal column; its decimal_places are not in the schema (list the model's fields in the registry)",
                    c.name
                )),
            ),
            "date" => ("DateField", None),
            "datetime" => ("DateTimeField", None),
            "time" => ("TimeField", None),
            "char(32)" => ("UUIDField", Some(format!("{}: char(32) read as a UUIDField", c.name))),
            "text" => (
                "TextField",
                Some(format!("{}: a text column, left out as cacheops leaves out TextField and JSONField", c.name)),
            ),
            "blob" => ("BinaryField", None),
            t if t.starts_with("varchar") => ("CharField", None),
            _ => ("", Some(format!("{}: column type {t:?} taken as it comes", c.name))),
        }
    }

    fn row(
        &mut self,
        table: &str,
        columns: &[String],
        pk_column: &str,
        pk: &str,
    ) -> Result<Option<Vec<Raw>>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = ?1 LIMIT 1",
            columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", "),
            quote(table),
            quote(pk_column)
        );
        let mut st = self.con.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = st
            .query([pk])
            .map_err(|e| Error::Connect(format!("sqlite database: {e}")))?;
        let Some(r) = rows
            .next()
            .map_err(|e| Error::Connect(format!("sqlite database: {e}")))?
        else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            let v = r
                .get_ref(i)
                .map_err(|e| Error::Connect(format!("sqlite database: {e}")))?;
            out.push(match v {
                ValueRef::Null => Raw::Null,
                ValueRef::Integer(i) => Raw::Int(i),
                ValueRef::Real(f) => Raw::Float(f),
                ValueRef::Text(t) => Raw::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Raw::Bytes(b.to_vec()),
            });
        }
        Ok(Some(out))
    }
}
