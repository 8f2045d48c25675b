//! Persistence for Passerelle, behind repository traits.
//!
//! The only implementation today is [`SqliteStore`] (one embedded SQLite file,
//! rusqlite with the bundled library). Every other crate talks to storage
//! through the traits of this crate's modules ([`rome::RomeRepository`], …), so
//! that a PostgreSQL implementation can be added later without touching the
//! engine, the renderers or the server.
//!
//! Error policy: every fallible call returns [`StoreError`], which says which
//! operation failed; callers at the edge (CLI, server) add their own context.

pub mod downloads;
pub mod migrations;
pub mod postes;
pub mod profiles;
pub mod rome;
pub mod territory;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use downloads::{Dataset, Download, DownloadRepository};
pub use postes::{PosteRepository, StoredPoste};
pub use profiles::ProfileRepository;
pub use rome::{NewRomeImport, RomeCounts, RomeInfo, RomeRepository};
pub use territory::{TerritoryInfo, TerritoryRepository};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("base de données {path} : {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("base de données : {context} : {source}")]
    Sql { context: &'static str, source: rusqlite::Error },
    #[error(
        "la base {path} a le schéma version {found}, plus récent que celui que ce programme connaît ({known}) : mettez Passerelle à jour"
    )]
    SchemaTooNew { path: PathBuf, found: u32, known: u32 },
    #[error("base de données : donnée incohérente : {0}")]
    Corrupt(String),
    #[error("la base ne contient pas encore de référentiel ROME : lancez `passerelle import rome CHEMIN`")]
    NoReferential,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Bumps the data version inside an import transaction (see
/// [`SqliteStore::data_version`]).
pub(crate) fn bump_data_version(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute("UPDATE data_version SET counter = counter + 1 WHERE id = 1", [])
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

/// An embedded SQLite database file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)
            .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        Self::init(conn, path.to_path_buf())
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()
            .map_err(|source| StoreError::Open { path: ":memory:".into(), source })?;
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
            .query_row("SELECT counter FROM data_version WHERE id = 1", [], |r| r.get::<_, i64>(0))
            .map(|v| v as u64)
            .ctx("lecture de la version des données")
    }

    /// Pins this connection to the data as it is now: opens a read
    /// transaction that stays open until the store is dropped, so that every
    /// later read through it sees the same committed version, whatever
    /// imports commit meanwhile (SQLite WAL keeps that version for it).
    /// Returns that version. The store must not be used to import afterwards.
    pub fn pin_snapshot(&self) -> Result<u64> {
        self.conn.execute_batch("BEGIN DEFERRED").ctx("ouverture d'un instantané de lecture")?;
        self.data_version()
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
