//! PostgreSQL implementation of the repository traits: [`PgStore`].
//!
//! Same behaviour as [`crate::SqliteStore`], so that any number of stateless
//! replicas can share one database:
//! - every import is one transaction that first bumps the data version (its
//!   row lock also serialises concurrent imports), deletes the old rows (not
//!   `TRUNCATE`, whose lock would block readers), bulk-loads the new ones with
//!   `COPY … FROM STDIN` (text format, values escaped by [`copy`], so no SQL
//!   is ever built from data), and sends `NOTIFY passerelle_data`;
//! - every read runs in a `REPEATABLE READ READ ONLY` transaction, so a reader
//!   sees one committed version, the old one until the import commits;
//! - the schema is versioned by `migrations/postgres/`, the twin of the SQLite
//!   list (a test compares both schemas);
//! - the repositories are those of the SQLite store, written once over
//!   [`crate::sql::Db`]: [`db`] runs their queries here.
//!
//! The client is the synchronous `postgres` crate, pooled by r2d2. It runs
//! its own small tokio runtime, which must not be entered from an async task:
//! [`off_runtime`] moves such calls to a scoped thread.

mod copy;
pub(crate) mod db;
mod listen;

use std::time::Duration;

use postgres::{Client, IsolationLevel, NoTls, Transaction};
use r2d2_postgres::{PostgresConnectionManager, r2d2};

use crate::sql::{Backend, Change, Work};
use crate::{Result, SqlContext, StoreError};
use db::PgDb;

pub(crate) use copy::CopyBuf;
pub use listen::DataVersionListener;

/// Channel of the notification sent by every import transaction; its payload
/// is the new data version.
pub const DATA_CHANNEL: &str = "passerelle_data";

/// Key of the advisory lock taken while migrating, so that replicas starting
/// together do not apply the same migration twice.
const MIGRATION_LOCK: i64 = 0x7061_7373_6572_0001;

/// (version, name, SQL), the twin of [`crate::migrations::MIGRATIONS`].
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (
        1,
        "rome",
        include_str!("../../migrations/postgres/0001_rome.sql"),
    ),
    (
        2,
        "profils",
        include_str!("../../migrations/postgres/0002_profils.sql"),
    ),
    (
        3,
        "territoire",
        include_str!("../../migrations/postgres/0003_territoire.sql"),
    ),
    (
        4,
        "postes",
        include_str!("../../migrations/postgres/0004_postes.sql"),
    ),
    (
        5,
        "downloads",
        include_str!("../../migrations/postgres/0005_downloads.sql"),
    ),
    (
        6,
        "version des données",
        include_str!("../../migrations/postgres/0006_data_version.sql"),
    ),
];

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

/// A PostgreSQL database, reached through a small connection pool.
pub struct PgStore {
    pool: Pool,
    /// The URL without its password, for messages.
    url: String,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`), brings the schema
    /// up to date, and keeps a pool of up to 8 connections opened on demand.
    pub fn connect(url: &str) -> Result<Self> {
        let shown = redact_url(url);
        off_runtime(|| {
            let config: postgres::Config = url.parse().map_err(|source| StoreError::PgOpen {
                url: shown.clone(),
                source,
            })?;
            // A direct connection first: a wrong URL fails now, with the
            // server's own message, instead of after the pool's timeout.
            let mut client = config.connect(NoTls).map_err(|source| StoreError::PgOpen {
                url: shown.clone(),
                source,
            })?;
            migrate(&mut client, &shown)?;
            let pool = r2d2::Pool::builder()
                .max_size(8)
                .min_idle(Some(0))
                .connection_timeout(Duration::from_secs(10))
                .build_unchecked(PostgresConnectionManager::new(config, NoTls));
            Ok(PgStore { pool, url: shown })
        })
    }

    /// The URL, password hidden.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn schema_version(&self) -> Result<u32> {
        self.read_tx("lecture de la version du schéma", current_version)
    }

    /// Size of the database on disk, in bytes.
    pub fn size_bytes(&self) -> Result<u64> {
        self.read_tx("lecture de la taille de la base", |tx| {
            let n: i64 = tx
                .query_one("SELECT pg_database_size(current_database())", &[])
                .ctx("lecture de la taille de la base")?
                .get(0);
            Ok(n as u64)
        })
    }

    /// The version of the data: bumped by every committed import.
    pub fn data_version(&self) -> Result<u64> {
        self.read_tx("lecture de la version des données", |tx| {
            data_version_in(tx)
        })
    }

    fn conn(&self) -> Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>> {
        self.pool.get().map_err(|source| StoreError::PgPool {
            url: self.url.clone(),
            source,
        })
    }

    /// Runs `f` in a read-only transaction that sees one committed version.
    pub(crate) fn read_tx<T: Send>(
        &self,
        context: &'static str,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T> + Send,
    ) -> Result<T> {
        off_runtime(|| {
            let mut conn = self.conn()?;
            let mut tx = conn
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .ctx(context)?;
            let out = f(&mut tx)?;
            tx.commit().ctx(context)?;
            Ok(out)
        })
    }
}

impl Backend for PgStore {
    fn read<T: Send>(&self, ctx: &'static str, f: impl Work<T>) -> Result<T> {
        self.read_tx(ctx, |tx| f(&mut PgDb::new(tx)))
    }

    /// A data change bumps the data version first (its row lock makes a
    /// concurrent import wait for this one to commit, then start from what
    /// it wrote) and notifies listeners at commit.
    fn write<T: Send>(&mut self, change: Change, f: impl Work<T>) -> Result<T> {
        let ctx = change.context();
        off_runtime(|| {
            let mut conn = self.conn()?;
            let mut tx = conn.transaction().ctx(ctx)?;
            let version = match change {
                Change::Data(_) => Some(bump_data_version(&mut tx)?),
                Change::Provenance(_) => None,
            };
            let out = f(&mut PgDb::new(&mut tx))?;
            if let Some(version) = version {
                tx.execute(
                    "SELECT pg_notify($1, $2)",
                    &[&DATA_CHANNEL, &version.to_string()],
                )
                .ctx("notification de la nouvelle version")?;
            }
            tx.commit().ctx(ctx)?;
            Ok(out)
        })
    }
}

fn bump_data_version(tx: &mut Transaction<'_>) -> Result<i64> {
    Ok(tx
        .query_one(
            "UPDATE data_version SET counter = counter + 1 WHERE id = 1 RETURNING counter",
            &[],
        )
        .ctx("incrément de la version des données")?
        .get(0))
}

pub(crate) fn data_version_in(tx: &mut Transaction<'_>) -> Result<u64> {
    let v: i64 = tx
        .query_one("SELECT counter FROM data_version WHERE id = 1", &[])
        .ctx("lecture de la version des données")?
        .get(0);
    Ok(v as u64)
}

fn current_version(tx: &mut Transaction<'_>) -> Result<u32> {
    let v: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .ctx("lecture de la version du schéma")?
        .get(0);
    Ok(v as u32)
}

/// Applies the missing migrations, each in its own transaction, under an
/// advisory lock; refuses a schema newer than this program.
fn migrate(client: &mut Client, url: &str) -> Result<()> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .ctx("verrou de migration")?;
    let result = migrate_locked(client, url);
    // On error the connection is dropped right after, which releases the lock too.
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .ctx("verrou de migration")?;
    result
}

fn migrate_locked(client: &mut Client, url: &str) -> Result<()> {
    // No "already exists, skipping" notice in the logs at every start.
    client
        .batch_execute("SET client_min_messages = warning")
        .ctx("configuration de la session")?;
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
            );",
        )
        .ctx("création de la table des migrations")?;
    let mut tx = client
        .transaction()
        .ctx("lecture de la version du schéma")?;
    let current = current_version(&mut tx)?;
    tx.commit().ctx("lecture de la version du schéma")?;
    let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    if current > known {
        return Err(StoreError::SchemaTooNew {
            location: url.to_string(),
            found: current,
            known,
        });
    }
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let mut tx = client.transaction().ctx("début de migration")?;
        tx.batch_execute(sql).ctx("application d'une migration")?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&(version as i64), &name],
        )
        .ctx("enregistrement d'une migration")?;
        tx.commit().ctx("validation d'une migration")?;
    }
    Ok(())
}

/// Runs `f` where the synchronous client may block: on this thread, or on a
/// scoped thread when this one is inside a tokio runtime (the client would
/// otherwise panic starting its own runtime there).
pub(crate) fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db` (and
/// `password=…` parameters), for messages and `info`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let (start, end) = (scheme_end + 3 + colon + 1, scheme_end + 3 + at);
            out.replace_range(start..end, "***");
        }
    }
    if let Some(p) = out.find("password=") {
        let start = p + "password=".len();
        let end = out[start..]
            .find('&')
            .map(|e| start + e)
            .unwrap_or(out.len());
        out.replace_range(start..end, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact_url("postgres://u:s3cr@t@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("postgresql://h/db?password=x&sslmode=disable"),
            "postgresql://h/db?password=***&sslmode=disable"
        );
    }

    #[test]
    fn both_migration_lists_have_the_same_versions_and_names() {
        let names =
            |l: &[(u32, &'static str, &str)]| l.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>();
        assert_eq!(names(MIGRATIONS), names(crate::migrations::MIGRATIONS));
    }

    #[test]
    fn off_runtime_runs_inside_and_outside_tokio() {
        assert_eq!(off_runtime(|| 1), 1);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let on_other_thread = rt.block_on(async { off_runtime(|| std::thread::current().id()) });
        assert_ne!(on_other_thread, std::thread::current().id());
    }
}
