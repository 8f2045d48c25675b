//! Persistence for Passerelle, behind repository traits.
//!
//! Two implementations of the traits of this crate's modules
//! ([`rome::RomeRepository`], …): [`SqliteStore`] (one embedded SQLite file,
//! rusqlite with the bundled library, the default) and [`PgStore`]
//! (PostgreSQL, shared by several replicas). [`Store`] is either, chosen by
//! [`DbLocation`] (a file path or a `postgres://` URL); the CLI and the
//! server only see [`Store`]. Each repository is written once, over the
//! backend-neutral layer of `sql.rs` (one query text and one decoder per
//! record); each backend only says how to run a query, a bulk load and a
//! transaction (`sqlite.rs`, `pg/`).
//!
//! Both report a *data version* ([`Store::data_version`]), bumped by every
//! import transaction; on PostgreSQL the import also sends
//! `NOTIFY passerelle_data`, which [`DataVersionListener`] waits for.
//!
//! Error policy: every fallible call returns [`StoreError`], which says which
//! operation failed; callers at the edge (CLI, server) add their own context.

pub mod downloads;
pub mod migrations;
pub mod pg;
pub mod postes;
pub mod profiles;
pub mod rome;
mod sql;
mod sqlite;
mod store;
pub mod territory;
#[cfg(feature = "testing")]
pub mod testing;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use downloads::{Dataset, Download, DownloadRepository};
pub use pg::{DataVersionListener, PgStore};
pub use postes::{PosteRepository, StoredPoste};
pub use profiles::ProfileRepository;
pub use rome::{NewRomeImport, RomeCounts, RomeInfo, RomeRepository};
pub use store::{DbLocation, Store};
pub use territory::{TerritoryInfo, TerritoryRepository};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données {path} : {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("base de données : {context} : {source}")]
    Sql {
        context: &'static str,
        source: rusqlite::Error,
    },
    #[error("base PostgreSQL {url} : {source}")]
    PgOpen {
        url: String,
        source: postgres::Error,
    },
    #[error("base de données : {context} : {source}")]
    Pg {
        context: &'static str,
        source: postgres::Error,
    },
    #[error("base de données : {context} : {source}")]
    PgCopy {
        context: &'static str,
        source: std::io::Error,
    },
    #[error("base PostgreSQL {url} : pas de connexion disponible : {source}")]
    PgPool {
        url: String,
        source: r2d2_postgres::r2d2::Error,
    },
    #[error(
        "la base {location} a le schéma version {found}, plus récent que celui que ce programme connaît ({known}) : mettez Passerelle à jour"
    )]
    SchemaTooNew {
        location: String,
        found: u32,
        known: u32,
    },
    #[error("base de données : donnée incohérente : {0}")]
    Corrupt(String),
    #[error(
        "la base ne contient pas encore de référentiel ROME : lancez `passerelle import rome CHEMIN`"
    )]
    NoReferential,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Bumps the data version inside an import transaction (see
/// [`SqliteStore::data_version`]).
pub(crate) fn bump_data_version(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE data_version SET counter = counter + 1 WHERE id = 1",
        [],
    )
    .ctx("nouvelle version des données")
    .map(|_| ())
}

/// Attaches a static description to a rusqlite error.
pub(crate) trait SqlContext<T> {
    fn ctx(self, context: &'static str) -> Result<T>;
}

impl<T> SqlContext<T> for rusqlite::Result<T> {
    fn ctx(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Sql { context, source })
    }
}

impl<T> SqlContext<T> for std::result::Result<T, postgres::Error> {
    fn ctx(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Pg { context, source })
    }
}

/// An embedded SQLite database file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::init(conn, path.to_path_buf())
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: PathBuf) -> Result<Self> {
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
        )
        .ctx("configuration de SQLite")?;
        let mut store = SqliteStore { conn, path };
        migrations::migrate(&mut store.conn, &store.path)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Size of the database file in bytes (0 in memory).
    pub fn file_size(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }

    pub fn schema_version(&self) -> Result<u32> {
        migrations::current_version(&self.conn)
    }

    /// The data version: a counter that every import transaction bumps
    /// (in the same transaction as the data it writes). A server compares it
    /// with the version of the snapshot it serves to know when to reload.
    pub fn data_version(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT counter FROM data_version WHERE id = 1", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|v| v as u64)
            .ctx("lecture de la version des données")
    }

    /// Pins this connection to the data as it is now: opens a read
    /// transaction that stays open until the store is dropped, so that every
    /// later read through it sees the same committed version, whatever
    /// imports commit meanwhile (SQLite WAL keeps that version for it).
    /// Returns that version. The store must not be used to import afterwards.
    pub fn pin_snapshot(&self) -> Result<u64> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .ctx("ouverture d'un instantané de lecture")?;
        self.data_version()
    }

    /// Ends this pinned connection's read transaction and pins it again
    /// ([`SqliteStore::pin_snapshot`]); returns the version it now reads.
    /// Only [`SqliteStore::reclaim_wal`] calls it, with imports held off.
    pub fn repin(&self) -> Result<u64> {
        self.conn
            .execute_batch("COMMIT")
            .ctx("fin d'un instantané de lecture")?;
        self.pin_snapshot()
    }

    /// Empties the write-ahead log while snapshots stay pinned at `version`.
    ///
    /// A pinned read transaction keeps a mark in the WAL, and SQLite never
    /// rewinds a WAL that a reader has a mark in: without this, every import
    /// made while a server runs would add its pages to the file for good.
    /// So: copy the WAL into the database (`wal_checkpoint(PASSIVE)`: the
    /// pinned readers are at its end, nothing holds it back once the older
    /// snapshots are gone); hold imports off (`BEGIN IMMEDIATE`, on this
    /// connection); if the data is still at `version`, let `repin` start the
    /// pinned read transactions again — the WAL being wholly copied, they
    /// now read the database file alone, at the same version; release
    /// imports; truncate the WAL (`wal_checkpoint(TRUNCATE)`). Returns
    /// `false`, having changed nothing, when an import committed a newer
    /// version meanwhile (a reload follows, and this again after it).
    pub fn reclaim_wal(&self, version: u64, repin: &mut dyn FnMut() -> Result<()>) -> Result<bool> {
        let checkpoint = |mode: &str| {
            self.conn
                .query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .ctx("point de reprise du journal (WAL)")
        };
        checkpoint("PASSIVE")?;
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .ctx("mise en attente des imports")?;
        let same = self.data_version().map(|v| v == version);
        let repinned = match same {
            Ok(true) => repin().map(|()| true),
            Ok(false) => Ok(false),
            Err(e) => Err(e),
        };
        self.conn
            .execute_batch("ROLLBACK")
            .ctx("reprise des imports")?;
        if repinned? {
            checkpoint("TRUNCATE")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Size of the write-ahead log in bytes (0 when there is none).
    pub fn wal_size(&self) -> u64 {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
    }

    /// Starts an import transaction; the import bumps the data version
    /// inside it ([`bump_data_version`]), so that the bump is committed, or
    /// rolled back, with the import.
    fn import_transaction(&mut self, context: &'static str) -> Result<rusqlite::Transaction<'_>> {
        self.conn.transaction().ctx(context)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}
