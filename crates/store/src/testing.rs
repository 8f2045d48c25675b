//! Test support: the same test on both backends, each on a fresh database.
//!
//! Used by this crate's tests and by the CLI's parity test. The PostgreSQL
//! side reads `PASSERELLE_TEST_PG`:
//! - a URL (`postgres://passerelle@127.0.0.1:PORT/passerelle`, printed by
//!   `scripts/pg-cluster start`) of a role that may `CREATE DATABASE`: every
//!   test gets its own database, dropped afterwards;
//! - `off`: PostgreSQL cases are not run (they say so on stderr);
//! - unset: PostgreSQL cases **fail**, saying how to start a cluster, so that
//!   a missing server is never mistaken for a green run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::pg::off_runtime;
use crate::{DbLocation, Store};

/// Writes one test function per backend, `on_sqlite::NAME` and
/// `on_postgres::NAME`, each calling `NAME(db: TestDb)` with a fresh database.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                if let Some(db) = $crate::testing::TestDb::new($crate::testing::Backend::Sqlite) {
                    super::$name(db)
                }
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                if let Some(db) = $crate::testing::TestDb::new($crate::testing::Backend::Postgres) {
                    super::$name(db)
                }
            })*
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What `PASSERELLE_TEST_PG` asks for.
pub enum PgTarget {
    Url(String),
    Off,
}

/// Reads `PASSERELLE_TEST_PG`; panics with how to start a cluster when unset.
pub fn pg_target() -> PgTarget {
    match std::env::var("PASSERELLE_TEST_PG") {
        Ok(v) if v == "off" => PgTarget::Off,
        Ok(v) if v.starts_with("postgres://") || v.starts_with("postgresql://") => PgTarget::Url(v),
        Ok(v) if !v.is_empty() => panic!(
            "PASSERELLE_TEST_PG=« {v} » : attendu une URL postgres://… ou « off » (SQLite seulement)"
        ),
        _ => panic!(
            "PASSERELLE_TEST_PG n'est pas défini : les tests PostgreSQL ont besoin d'un serveur. \
             Depuis la racine du dépôt, démarrez un cluster jetable avec `eval \"$(scripts/pg-cluster start)\"` \
             (paquet Debian postgresql), relancez les tests, puis arrêtez-le avec `scripts/pg-cluster stop`. \
             Pour ne tester que SQLite : PASSERELLE_TEST_PG=off."
        ),
    }
}

/// A fresh, empty database, removed (file) or dropped (PostgreSQL) on drop.
pub struct TestDb {
    pub location: DbLocation,
    /// PostgreSQL: the URL of the server's maintenance connection and the database name.
    admin: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "passerelle_t{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    format!("{}/{db}{query}", &base[..authority_end])
}

impl TestDb {
    /// `None` only for PostgreSQL when `PASSERELLE_TEST_PG=off`.
    pub fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let path: PathBuf = std::env::temp_dir().join(format!("{}.sqlite", unique_name()));
                Some(TestDb {
                    location: DbLocation::Sqlite(path),
                    admin: None,
                })
            }
            Backend::Postgres => match pg_target() {
                PgTarget::Off => {
                    eprintln!("PASSERELLE_TEST_PG=off : cas PostgreSQL non exécuté");
                    None
                }
                PgTarget::Url(admin) => {
                    let name = unique_name();
                    off_runtime(|| {
                        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
                            .unwrap_or_else(|e| {
                                panic!("PASSERELLE_TEST_PG={admin} : connexion impossible : {e}")
                            });
                        // `name` is made here of [a-z0-9_] only.
                        client
                            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                            .unwrap_or_else(|e| panic!("création de la base de test {name} : {e}"));
                    });
                    let url = with_database(&admin, &name);
                    Some(TestDb {
                        location: DbLocation::Postgres(url),
                        admin: Some((admin, name)),
                    })
                }
            },
        }
    }

    pub fn backend(&self) -> Backend {
        match self.location {
            DbLocation::Sqlite(_) => Backend::Sqlite,
            DbLocation::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens the database (migrating it on first open).
    pub fn open(&self) -> Store {
        Store::open(&self.location)
            .unwrap_or_else(|e| panic!("ouverture de {} : {e}", self.location))
    }

    /// The file path or URL, as `--db` takes it.
    pub fn arg(&self) -> String {
        match &self.location {
            DbLocation::Sqlite(p) => p.display().to_string(),
            DbLocation::Postgres(url) => url.clone(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match (&self.location, &self.admin) {
            (DbLocation::Sqlite(p), _) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            (DbLocation::Postgres(_), Some((admin, name))) => off_runtime(|| {
                if let Ok(mut client) = postgres::Client::connect(admin, postgres::NoTls) {
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
                }
            }),
            (DbLocation::Postgres(_), None) => {}
        }
    }
}

/// One column as both backends can describe it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub name: String,
    /// `integer`, `real` or `text` (SQLite's declared type; PostgreSQL's
    /// `bigint`, `double precision`, `text`).
    pub kind: String,
    pub not_null: bool,
}

/// Table → columns (in declaration order) of an open store, to check that
/// both migration lists describe the same schema.
pub fn schema_of(store: &Store) -> BTreeMap<String, Vec<Column>> {
    let mut out: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    match store {
        Store::Sqlite(s) => {
            let conn = s.conn();
            let mut tables = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .unwrap();
            let names: Vec<String> = tables
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            for t in names {
                // `t` comes from sqlite_master, not from a user.
                let mut st = conn
                    .prepare(&format!("PRAGMA table_info(\"{t}\")"))
                    .unwrap();
                let cols = st
                    .query_map([], |r| {
                        let kind: String = r.get(2)?;
                        let (not_null, pk): (bool, i64) = (r.get(3)?, r.get(5)?);
                        Ok(Column {
                            name: r.get(1)?,
                            kind: kind.to_ascii_lowercase(),
                            not_null: not_null || pk > 0,
                        })
                    })
                    .unwrap()
                    .map(|r| r.unwrap())
                    .collect();
                out.insert(t, cols);
            }
        }
        Store::Postgres(s) => {
            let rows = s
                .read_tx("description du schéma", |tx| {
                    crate::SqlContext::ctx(
                        tx.query(
                            "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO'
                             FROM information_schema.columns WHERE table_schema = current_schema()
                             ORDER BY table_name, ordinal_position",
                            &[],
                        ),
                        "description du schéma",
                    )
                })
                .unwrap();
            for r in rows {
                let kind: String = r.get(2);
                let kind = match kind.as_str() {
                    "bigint" => "integer",
                    "double precision" => "real",
                    other => other,
                };
                out.entry(r.get(0)).or_default().push(Column {
                    name: r.get(1),
                    kind: kind.into(),
                    not_null: r.get(3),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(
            with_database("postgres://u@h:5/passerelle", "x"),
            "postgres://u@h:5/x"
        );
        assert_eq!(with_database("postgres://u@h:5", "x"), "postgres://u@h:5/x");
        assert_eq!(
            with_database("postgres://u@h/p?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
