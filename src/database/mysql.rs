//! MySQL and MariaDB (`mysql://user:password@host:3306/dbname`): values read
//! over the text protocol (as text, typed by the serializer), the session in
//! UTC; the pk compared to a string, which MySQL converts to the column's
//! type, so its index serves the lookup.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Value};

use super::value::Raw;
use super::{Backend, Column, DB_TIMEOUT};
use crate::conn::redact_url;
use crate::error::{Error, Result};

pub struct Mysql {
    conn: Conn,
    name: String,
}

impl Mysql {
    pub fn open(url: &str) -> Result<Mysql> {
        // mysql:// is the crate's scheme; mariadb:// is the same protocol.
        let url = url.replacen("mariadb://", "mysql://", 1);
        let opts = Opts::from_url(&url)
            .map_err(|e| Error::Config(format!("database URL {}: {e}", redact_url(&url))))?;
        let name = format!(
            "mysql {}:{}/{}",
            opts.get_ip_or_hostname(),
            opts.get_tcp_port(),
            opts.get_db_name().unwrap_or("")
        );
        // A host that accepts the connection but never greets (another service
        // on that port) must not hang: every read and write has a deadline.
        let opts = OptsBuilder::from_opts(opts)
            .tcp_connect_timeout(Some(DB_TIMEOUT))
            .read_timeout(Some(DB_TIMEOUT))
            .write_timeout(Some(DB_TIMEOUT));
        let mut conn = Conn::new(opts).map_err(|e| Error::Connect(format!("{name}: {e}")))?;
        for stmt in ["SET time_zone = '+00:00'", "SET SESSION TRANSACTION READ ONLY"] {
            conn.query_drop(stmt)
                .map_err(|e| Error::Connect(format!("{name}: {e}")))?;
        }
        Ok(Mysql { conn, name })
    }

    fn err(&self, e: mysql::Error) -> Error {
        Error::Connect(format!("{}: {e}", self.name))
    }
}

fn quote(ident: &str) -> String {
    format!("`{}`", ident.replace('`', "``"))
}

impl Backend for Mysql {
    fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        let rows: Vec<(String, String, Option<u32>)> = self
            .conn
            .exec(
                "SELECT COLUMN_NAME, COLUMN_TYPE, NUMERIC_SCALE FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                (table,),
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .map(|(name, declared, scale)| Column {
                name,
                declared: declared.to_ascii_lowercase(),
                decimal_places: scale,
            })
            .collect())
    }

    fn guess_kind(&self, c: &Column) -> (&'static str, Option<String>) {
        // Django's MySQL data_types, read backwards.
        let t = c.declared.as_str();
        let base = t.split(['(', ' ']).next().unwrap_or(t);
        match base {
            "tinyint" if t.starts_with("tinyint(1)") => (
                "BooleanField",
                Some(format!("{}: tinyint(1) read as a BooleanField", c.name)),
            ),
            "bool" | "boolean" => ("BooleanField", None),
            "int" | "integer" | "bigint" | "smallint" | "tinyint" | "mediumint" => ("IntegerField", None),
            "double" | "float" | "real" => ("FloatField", None),
            "decimal" | "numeric" => ("DecimalField", None),
            "date" => ("DateField", None),
            "datetime" | "timestamp" => ("DateTimeField", None),
            "time" => ("TimeField", None),
            "char" if t == "char(32)" => (
                "UUIDField",
                Some(format!("{}: char(32) read as a UUIDField", c.name)),
            ),
            "uuid" => ("UUIDField", None),
            "varchar" | "char" => ("CharField", None),
            "longtext" | "text" | "mediumtext" | "tinytext" => (
                "TextField",
                Some(format!(
                    "{}: a text column, left out as cacheops leaves out TextField and JSONField",
                    c.name
                )),
            ),
            "json" => ("JSONField", None),
            "longblob" | "blob" | "mediumblob" | "tinyblob" => ("BinaryField", None),
            _ => ("", Some(format!("{}: column type {t:?} taken as text", c.name))),
        }
    }

    fn row(
        &mut self,
        table: &str,
        columns: &[String],
        pk_column: &str,
        pk: &str,
    ) -> Result<Option<Vec<Raw>>> {
        if pk.contains('\\') {
            return Err(Error::Usage(format!(
                "{}: a pk with a backslash is not supported",
                self.name
            )));
        }
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = '{}' LIMIT 1",
            columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", "),
            quote(table),
            quote(pk_column),
            // The text protocol gives every value as text; the pk is inlined for
            // it, its quotes doubled (backslashes refused above): no injection.
            pk.replace('\'', "''")
        );
        let row: Option<mysql::Row> = self.conn.query_first(sql).map_err(|e| self.err(e))?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(
            row.unwrap()
                .into_iter()
                .map(|v| match v {
                    Value::NULL => Raw::Null,
                    Value::Bytes(b) => Raw::Text(String::from_utf8_lossy(&b).into_owned()),
                    Value::Int(i) => Raw::Int(i),
                    Value::UInt(u) => Raw::Int(u as i64),
                    Value::Float(f) => Raw::Float(f64::from(f)),
                    Value::Double(d) => Raw::Float(d),
                    other => Raw::Text(other.as_sql(true).trim_matches('\'').to_string()),
                })
                .collect(),
        ))
    }
}
