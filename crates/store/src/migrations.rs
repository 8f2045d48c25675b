//! Versioned schema migrations.
//!
//! Each migration is a SQL file under `crates/store/migrations/`, applied once,
//! in order, inside a transaction, and recorded in `schema_migrations`. A
//! database written by a newer Passerelle is refused rather than misread.
//! PostgreSQL has its own list, `migrations/postgres/` ([`crate::pg::MIGRATIONS`]):
//! same versions and names, and a test checks that both describe the same
//! tables and columns.

use std::path::Path;

use rusqlite::Connection;

use crate::{Result, SqlContext, StoreError};

/// (version, name, SQL). Append only: never edit a migration that has shipped.
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "rome", include_str!("../migrations/0001_rome.sql")),
    (2, "profils", include_str!("../migrations/0002_profils.sql")),
    (
        3,
        "territoire",
        include_str!("../migrations/0003_territoire.sql"),
    ),
    (4, "postes", include_str!("../migrations/0004_postes.sql")),
    (
        5,
        "downloads",
        include_str!("../migrations/0005_downloads.sql"),
    ),
    (
        6,
        "version des données",
        include_str!("../migrations/0006_data_version.sql"),
    ),
];

pub fn current_version(conn: &Connection) -> Result<u32> {
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )
    .ctx("lecture de la version du schéma")
}

pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );",
    )
    .ctx("création de la table des migrations")?;
    let current = current_version(conn)?;
    let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    if current > known {
        return Err(StoreError::SchemaTooNew {
            location: path.display().to_string(),
            found: current,
            known,
        });
    }
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = conn.transaction().ctx("début de migration")?;
        tx.execute_batch(sql).ctx("application d'une migration")?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
            rusqlite::params![version, name],
        )
        .ctx("enregistrement d'une migration")?;
        tx.commit().ctx("validation d'une migration")?;
    }
    Ok(())
}
