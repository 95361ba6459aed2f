//! PostgreSQL (`postgres://user:password@host:port/dbname`): every value is
//! read as text (`::text`) with the session in UTC, and typed by the
//! serializer; the pk is compared in its own type so that its index is used.

use postgres::{Client, NoTls};

use super::value::Raw;
use super::{Backend, Column, DB_TIMEOUT};
use crate::conn::redact_url;
use crate::error::{Error, Result};

pub struct Postgres {
    client: Client,
    /// host:port/dbname, for messages (no user, no password).
    name: String,
}

impl Postgres {
    pub fn open(url: &str) -> Result<Postgres> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e| Error::Config(format!("database URL {}: {e}", redact_url(url))))?;
        let name = {
            let host = config
                .get_hosts()
                .first()
                .map(|h| match h {
                    postgres::config::Host::Tcp(h) => h.clone(),
                    postgres::config::Host::Unix(p) => p.display().to_string(),
                })
                .unwrap_or_default();
            let port = config.get_ports().first().copied().unwrap_or(5432);
            format!("postgres {host}:{port}/{}", config.get_dbname().unwrap_or(""))
        };
        // TLS is not built in yet: sslmode=require cannot be honoured, so say so.
        if url.contains("sslmode=require") || url.contains("sslmode=verify") {
            return Err(Error::Config(format!(
                "{name}: TLS (sslmode=require/verify-*) is not supported yet; connect over a trusted network or a local socket"
            )));
        }
        let mut client =
            connect_within(config, DB_TIMEOUT).map_err(|e| Error::Connect(format!("{name}: {e}")))?;
        // timestamptz as UTC text, as Django reads it with USE_TZ; and no
        // statement may run longer than the connection was given.
        client
            .batch_execute(&format!(
                "SET TIME ZONE 'UTC'; SET default_transaction_read_only = on; SET statement_timeout = {}",
                DB_TIMEOUT.as_millis()
            ))
            .map_err(|e| Error::Connect(format!("{name}: {e}")))?;
        Ok(Postgres { client, name })
    }

    fn err(&self, e: postgres::Error) -> Error {
        Error::Connect(format!("{}: {e}", self.name))
    }
}

/// Connects, giving up after `timeout`. The crate's connect_timeout covers the
/// TCP connect only; a server that accepts and then never answers the startup
/// message (another service on that port) would block for ever, so the whole
/// handshake runs on a thread that is abandoned when time is up.
fn connect_within(
    mut config: postgres::Config,
    timeout: std::time::Duration,
) -> std::result::Result<Client, String> {
    config.connect_timeout(timeout);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(config.connect(NoTls));
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "no answer within {} s (is PostgreSQL listening there?)",
            timeout.as_secs()
        )),
    }
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

impl Backend for Postgres {
    fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        let rows = self
            .client
            .query(
                "SELECT column_name::text, data_type::text, numeric_scale::int4 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                &[&table],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows
            .iter()
            .map(|r| Column {
                name: r.get(0),
                declared: r.get::<_, String>(1).to_ascii_lowercase(),
                decimal_places: r.get::<_, Option<i32>>(2).map(|s| s.max(0) as u32),
            })
            .collect())
    }

    fn guess_kind(&self, c: &Column) -> (&'static str, Option<String>) {
        match c.declared.as_str() {
            "integer" | "bigint" | "smallint" => ("IntegerField", None),
            "boolean" => ("BooleanField", None),
            "double precision" | "real" => ("FloatField", None),
            "numeric" => ("DecimalField", None),
            "date" => ("DateField", None),
            "timestamp with time zone" | "timestamp without time zone" => ("DateTimeField", None),
            "time without time zone" | "time with time zone" => ("TimeField", None),
            "uuid" => ("UUIDField", None),
            "interval" => ("DurationField", None),
            "character varying" | "character" => ("CharField", None),
            "text" => (
                "TextField",
                Some(format!(
                    "{}: a text column, left out as cacheops leaves out TextField",
                    c.name
                )),
            ),
            "jsonb" | "json" => ("JSONField", None),
            "bytea" => ("BinaryField", None),
            "array" => ("ArrayField", None),
            t => ("", Some(format!("{}: column type {t:?} taken as text", c.name))),
        }
    }

    fn row(
        &mut self,
        table: &str,
        columns: &[String],
        pk_column: &str,
        pk: &str,
    ) -> Result<Option<Vec<Raw>>> {
        // The pk's own type: `WHERE id = $1::text::integer` keeps the index usable.
        let pk_type = self
            .columns(table)?
            .into_iter()
            .find(|c| c.name == pk_column)
            .map(|c| c.declared)
            .ok_or_else(|| {
                Error::Unknown(format!("{}: table {table} has no column {pk_column}", self.name))
            })?;
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = CAST($1::text AS {pk_type}) LIMIT 1",
            columns
                .iter()
                .map(|c| format!("{}::text", quote(c)))
                .collect::<Vec<_>>()
                .join(", "),
            quote(table),
            quote(pk_column)
        );
        let rows = match self.client.query(&sql, &[&pk]) {
            Ok(r) => r,
            // A pk that is not even of the column's type (`abc` for an integer) matches no row.
            Err(e) if e.code() == Some(&postgres::error::SqlState::INVALID_TEXT_REPRESENTATION) => {
                return Ok(None)
            }
            Err(e) => return Err(self.err(e)),
        };
        let Some(r) = rows.first() else { return Ok(None) };
        Ok(Some(
            (0..columns.len())
                .map(|i| match r.get::<_, Option<String>>(i) {
                    Some(t) => Raw::Text(t),
                    None => Raw::Null,
                })
                .collect(),
        ))
    }
}
