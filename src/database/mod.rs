//! Reading a row from the application's database, so that `invalidate
//! app.Model.pk` is exact without the user spelling out the row's values:
//! each column becomes what cacheops puts in its invalidation dict.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
pub mod value;

use serde_json::{Map, Value as Json};

use crate::config::FieldSpec;
use crate::error::{Error, Result};
use crate::labels::ModelRef;
use value::Raw;

/// A column as the database's schema describes it.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// The declared type, lowercased.
    pub declared: String,
    pub decimal_places: Option<u32>,
}

/// What a database driver provides.
pub trait Backend {
    fn columns(&mut self, table: &str) -> Result<Vec<Column>>;
    /// Django's internal type for a column, and a note when that is a guess.
    fn guess_kind(&self, c: &Column) -> (&'static str, Option<String>);
    /// The columns' values of the row whose `pk_column` equals `pk`.
    fn row(&mut self, table: &str, columns: &[String], pk_column: &str, pk: &str)
        -> Result<Option<Vec<Raw>>>;
}

/// An open application database.
pub struct Database {
    backend: Box<dyn Backend>,
}

/// The row as cacheops' `get_obj_dict` makes it, and the guesses made.
#[derive(Debug, Clone)]
pub struct RowRead {
    pub fields: Map<String, Json>,
    pub guesses: Vec<String>,
}

impl Database {
    pub fn open(url: &str) -> Result<Database> {
        let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or("");
        match scheme {
            "sqlite" => open_sqlite(url),
            "postgres" | "postgresql" => open_postgres(url),
            "mysql" | "mariadb" => open_mysql(url),
            _ => Err(Error::Config(format!(
                "database URL {:?}: use sqlite:///path/to/db.sqlite3, postgres://user@host:5432/dbname or mysql://user@host:3306/dbname",
                crate::conn::redact_url(url)
            ))),
        }
    }

    /// Reads the row `pk` of the model; `None` when there is no such row.
    pub fn read_row(&mut self, m: &ModelRef, pk: &str, use_tz: bool) -> Result<Option<RowRead>> {
        let mut guesses = Vec::new();
        let specs: Vec<FieldSpec> = match &m.fields {
            Some(f) => f.clone(),
            None => {
                let cols = self.backend.columns(&m.db_table)?;
                if cols.is_empty() {
                    return Err(Error::Unknown(format!(
                        "the database has no table {}",
                        m.db_table
                    )));
                }
                guesses.push(format!(
                    "the registry lists no fields for {}: read from the database's schema, column names taken as attnames",
                    m.db_table
                ));
                cols.iter()
                    .map(|c| {
                        let (kind, note) = self.backend.guess_kind(c);
                        guesses.extend(note);
                        FieldSpec {
                            attname: c.name.clone(),
                            column: c.name.clone(),
                            kind: kind.to_string(),
                            decimal_places: c.decimal_places,
                        }
                    })
                    .collect()
            }
        };
        let pk_spec = specs.iter().find(|f| f.attname == m.pk_field).ok_or_else(|| {
            Error::Config(format!(
                "{}: no field {} (the pk) among its fields",
                m.db_table, m.pk_field
            ))
        })?;
        // How the pk is stored: Django's sqlite keeps a UUID as 32 hex digits.
        let pk_stored = if pk_spec.kind == "UUIDField" {
            pk.replace('-', "").to_ascii_lowercase()
        } else {
            pk.to_string()
        };
        let columns: Vec<String> = specs.iter().map(|f| f.column.clone()).collect();
        let Some(raws) = self
            .backend
            .row(&m.db_table, &columns, &pk_spec.column, &pk_stored)?
        else {
            return Ok(None);
        };
        let mut fields = Map::new();
        for (spec, raw) in specs.iter().zip(raws) {
            let v = value::serialize(&spec.kind, raw, spec.decimal_places, use_tz)
                .map_err(|e| Error::Unknown(format!("{}.{}: {e}", m.db_table, spec.column)))?;
            if let Some(v) = v {
                fields.insert(spec.attname.clone(), v);
            }
        }
        Ok(Some(RowRead { fields, guesses }))
    }
}

#[cfg(feature = "mysql")]
fn open_mysql(url: &str) -> Result<Database> {
    Ok(Database {
        backend: Box::new(mysql::Mysql::open(url)?),
    })
}

#[cfg(not(feature = "mysql"))]
fn open_mysql(_: &str) -> Result<Database> {
    Err(Error::Config(
        "this build has no MySQL/MariaDB support (cargo feature `mysql`)".into(),
    ))
}

#[cfg(feature = "postgres")]
fn open_postgres(url: &str) -> Result<Database> {
    Ok(Database {
        backend: Box::new(postgres::Postgres::open(url)?),
    })
}

#[cfg(not(feature = "postgres"))]
fn open_postgres(_: &str) -> Result<Database> {
    Err(Error::Config(
        "this build has no PostgreSQL support (cargo feature `postgres`)".into(),
    ))
}

#[cfg(feature = "sqlite")]
fn open_sqlite(url: &str) -> Result<Database> {
    // sqlite:///relative or sqlite:////absolute, as dj-database-url reads them.
    let rest = url.trim_start_matches("sqlite://");
    let Some(path) = rest.strip_prefix('/') else {
        // sqlite://user:password@host/...: a file has no host (nor a password to echo).
        return Err(Error::Config(
            "a sqlite URL names a file, not a host: sqlite:///relative/path or sqlite:////absolute/path"
                .into(),
        ));
    };
    if path.is_empty() {
        return Err(Error::Config(
            "sqlite:// needs a path: sqlite:///path/to/db.sqlite3".into(),
        ));
    }
    Ok(Database {
        backend: Box::new(sqlite::Sqlite::open(path)?),
    })
}

#[cfg(not(feature = "sqlite"))]
fn open_sqlite(_: &str) -> Result<Database> {
    Err(Error::Config(
        "this build has no sqlite support (cargo feature `sqlite`)".into(),
    ))
}

/// How long a database may take to connect, or to answer one statement: a
/// host that accepts the connection but never speaks (a wrong port) must not
/// hang a deploy script.
pub const DB_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
