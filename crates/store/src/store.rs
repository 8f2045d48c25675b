//! [`Store`]: the database the CLI and the server use, SQLite or PostgreSQL,
//! chosen by a [`DbLocation`].

use std::fmt;
use std::path::PathBuf;

use crate::pg::redact_url;
use crate::sql::{Backend, Change, Work};
use crate::{PgStore, Result, SqliteStore};

/// Where the data lives: `--db` / `PASSERELLE_DB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    /// An SQLite file (the default, `passerelle.sqlite`).
    Sqlite(PathBuf),
    /// A PostgreSQL URL, `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl DbLocation {
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL; anything
    /// else is an SQLite file path.
    pub fn parse(s: &str) -> Self {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            DbLocation::Postgres(s.to_string())
        } else {
            DbLocation::Sqlite(PathBuf::from(s))
        }
    }

    /// Whether the database may already hold data: an SQLite file that
    /// exists, or any PostgreSQL URL (the server says the rest).
    pub fn exists(&self) -> bool {
        match self {
            DbLocation::Sqlite(p) => p.exists(),
            DbLocation::Postgres(_) => true,
        }
    }
}

impl From<PathBuf> for DbLocation {
    fn from(p: PathBuf) -> Self {
        match p.to_str() {
            Some(s) => DbLocation::parse(s),
            None => DbLocation::Sqlite(p),
        }
    }
}

/// The file path, or the URL without its password.
impl fmt::Display for DbLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbLocation::Sqlite(p) => write!(f, "{}", p.display()),
            DbLocation::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

/// An open database of either backend.
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Calls the same method on whichever store this is.
macro_rules! each {
    ($self:expr, $s:ident => $call:expr) => {
        match $self {
            Store::Sqlite($s) => $call,
            Store::Postgres($s) => $call,
        }
    };
}

impl Store {
    /// Opens (creating an SQLite file if needed) and brings the schema up to date.
    pub fn open(location: &DbLocation) -> Result<Self> {
        Ok(match location {
            DbLocation::Sqlite(path) => Store::Sqlite(SqliteStore::open(path)?),
            DbLocation::Postgres(url) => Store::Postgres(PgStore::connect(url)?),
        })
    }

    /// `"SQLite"` or `"PostgreSQL"`, for `info`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    pub fn schema_version(&self) -> Result<u32> {
        each!(self, s => s.schema_version())
    }

    /// The version of the data, bumped by every committed import: a reader
    /// that loaded version N knows it is stale when this returns more.
    pub fn data_version(&self) -> Result<u64> {
        each!(self, s => s.data_version())
    }

    /// Pins this store to the data as it is now and returns that version
    /// (the store must not import afterwards). On SQLite, one read
    /// transaction stays open ([`SqliteStore::pin_snapshot`]), so every
    /// later read sees that version. On PostgreSQL, each read is already one
    /// consistent transaction but reads are not pinned together: this only
    /// returns the current version, and a reader that loaded across an
    /// import sees a newer version at its next poll and reloads.
    pub fn pin_snapshot(&self) -> Result<u64> {
        match self {
            Store::Sqlite(s) => s.pin_snapshot(),
            Store::Postgres(s) => s.data_version(),
        }
    }

    /// Size on disk in bytes (the file, or the PostgreSQL database).
    pub fn size_bytes(&self) -> Result<u64> {
        match self {
            Store::Sqlite(s) => Ok(s.file_size()),
            Store::Postgres(s) => s.size_bytes(),
        }
    }
}

/// The repositories of this crate are implemented for every [`Backend`].
impl Backend for Store {
    fn read<T: Send>(&self, ctx: &'static str, f: impl Work<T>) -> Result<T> {
        each!(self, s => s.read(ctx, f))
    }

    fn write<T: Send>(&mut self, change: Change, f: impl Work<T>) -> Result<T> {
        each!(self, s => s.write(change, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_selects_postgres_and_anything_else_sqlite() {
        assert_eq!(
            DbLocation::parse("postgres://u@h/db"),
            DbLocation::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            DbLocation::parse("postgresql://h/db"),
            DbLocation::Postgres("postgresql://h/db".into())
        );
        assert_eq!(
            DbLocation::parse("passerelle.sqlite"),
            DbLocation::Sqlite("passerelle.sqlite".into())
        );
        assert_eq!(
            DbLocation::parse("./postgres/x.db"),
            DbLocation::Sqlite("./postgres/x.db".into())
        );
        assert_eq!(
            DbLocation::parse("postgres://u:pw@h/db").to_string(),
            "postgres://u:***@h/db"
        );
    }
}
