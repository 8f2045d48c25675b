//! [`Store`]: the database the CLI and the server use, SQLite or PostgreSQL,
//! chosen by a [`DbLocation`].

use std::fmt;
use std::path::PathBuf;

use passerelle_core::territory::TerritorialContext;
use passerelle_core::territory::records::{
    Certification, Departement, ImportReport, TerritoryData, TrainingOffer,
};
use passerelle_core::transversal::Survey;
use passerelle_core::{DeptCode, Referential, RomeCode};

use crate::pg::redact_url;
use crate::{
    Dataset, Download, DownloadRepository, NewRomeImport, PgStore, PosteRepository,
    ProfileRepository, Result, RomeInfo, RomeRepository, SqliteStore, StoredPoste, TerritoryInfo,
    TerritoryRepository,
};

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

impl RomeRepository for Store {
    fn replace_referential(&mut self, import: &NewRomeImport<'_>) -> Result<()> {
        each!(self, s => s.replace_referential(import))
    }
    fn has_referential(&self) -> Result<bool> {
        each!(self, s => s.has_referential())
    }
    fn load_referential(&self) -> Result<Referential> {
        each!(self, s => s.load_referential())
    }
    fn rome_info(&self) -> Result<Option<RomeInfo>> {
        each!(self, s => s.rome_info())
    }
    fn rome_import_report(&self) -> Result<Option<String>> {
        each!(self, s => s.rome_import_report())
    }
}

impl DownloadRepository for Store {
    fn record_downloads(&mut self, dataset: Dataset, files: &[Download]) -> Result<()> {
        each!(self, s => s.record_downloads(dataset, files))
    }
    fn downloads(&self, dataset: Dataset) -> Result<Vec<Download>> {
        each!(self, s => s.downloads(dataset))
    }
}

impl ProfileRepository for Store {
    fn save_surveys(&mut self, surveys: &[Survey], imported_at: &str) -> Result<()> {
        each!(self, s => s.save_surveys(surveys, imported_at))
    }
    fn load_surveys(&self) -> Result<Vec<Survey>> {
        each!(self, s => s.load_surveys())
    }
}

impl PosteRepository for Store {
    fn save_postes(&mut self, postes: &[StoredPoste], imported_at: &str) -> Result<()> {
        each!(self, s => s.save_postes(postes, imported_at))
    }
    fn load_postes(&self) -> Result<Vec<StoredPoste>> {
        each!(self, s => s.load_postes())
    }
}

impl TerritoryRepository for Store {
    fn replace_territory(&mut self, data: &TerritoryData, imported_at: &str) -> Result<()> {
        each!(self, s => s.replace_territory(data, imported_at))
    }
    fn has_territory(&self) -> Result<bool> {
        each!(self, s => s.has_territory())
    }
    fn territory_info(&self) -> Result<Option<TerritoryInfo>> {
        each!(self, s => s.territory_info())
    }
    fn territory_report(&self) -> Result<Option<ImportReport>> {
        each!(self, s => s.territory_report())
    }
    fn departements(&self) -> Result<Vec<Departement>> {
        each!(self, s => s.departements())
    }
    fn departement(&self, code: DeptCode) -> Result<Option<Departement>> {
        each!(self, s => s.departement(code))
    }
    fn replace_formations(
        &mut self,
        offers: &[TrainingOffer],
        source: &str,
        imported_at: &str,
    ) -> Result<()> {
        each!(self, s => s.replace_formations(offers, source, imported_at))
    }
    fn formations_in(&self, dept: DeptCode) -> Result<Vec<TrainingOffer>> {
        each!(self, s => s.formations_in(dept))
    }
    fn certifications_for(&self, rome: RomeCode) -> Result<Vec<Certification>> {
        each!(self, s => s.certifications_for(rome))
    }
    fn territorial_context(
        &self,
        dept: DeptCode,
        job: Option<(RomeCode, Option<RomeCode>)>,
    ) -> Result<Option<TerritorialContext>> {
        each!(self, s => s.territorial_context(dept, job))
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
