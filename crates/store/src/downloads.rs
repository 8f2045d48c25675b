//! Where the imported official files came from when Passerelle downloaded
//! them: URL, date, size and SHA-256 of each file, linked to the import they
//! fed (`migrations/0005_downloads.sql`), so that `passerelle info` can say
//! exactly what the database was built from.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Result, SqlContext, SqliteStore, StoreError};

/// The imports that can be fed by downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Rome,
    Territoire,
}

impl Dataset {
    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Rome => "rome",
            Dataset::Territoire => "territoire",
        }
    }

    /// The table whose last row is the current import of this dataset.
    pub(crate) fn imports_table(self) -> &'static str {
        match self {
            Dataset::Rome => "rome_imports",
            Dataset::Territoire => "terr_imports",
        }
    }
}

/// One downloaded file, as recorded and as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    pub file_name: String,
    pub url: String,
    pub downloaded_at: String,
    pub size_bytes: u64,
    pub sha256: String,
}

/// Provenance of downloaded imports; implemented by [`SqliteStore`],
/// [`crate::PgStore`] and [`crate::Store`].
pub trait DownloadRepository {
    /// Records the files behind the **latest** import of `dataset` (call it
    /// right after that import succeeded).
    fn record_downloads(&mut self, dataset: Dataset, files: &[Download]) -> Result<()>;
    /// The files behind the latest import of `dataset`; empty when that
    /// import read local files.
    fn downloads(&self, dataset: Dataset) -> Result<Vec<Download>>;
}

impl SqliteStore {
    fn latest_import_id(&self, dataset: Dataset) -> Result<Option<i64>> {
        self.conn()
            .query_row(
                &format!("SELECT MAX(id) FROM {}", dataset.imports_table()),
                [],
                |r| r.get(0),
            )
            .ctx("lecture du dernier import")
    }
}

impl DownloadRepository for SqliteStore {
    fn record_downloads(&mut self, dataset: Dataset, files: &[Download]) -> Result<()> {
        let Some(import_id) = self.latest_import_id(dataset)? else {
            return Err(StoreError::Corrupt(format!(
                "aucun import {} auquel rattacher les téléchargements",
                dataset.as_str()
            )));
        };
        let tx = self.import_transaction("début de l'enregistrement des téléchargements")?;
        for f in files {
            tx.execute(
                "INSERT INTO import_downloads (dataset, import_id, file_name, url, downloaded_at, size_bytes, sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![dataset.as_str(), import_id, f.file_name, f.url, f.downloaded_at, f.size_bytes as i64, f.sha256],
            )
            .ctx("enregistrement d'un téléchargement")?;
        }
        tx.commit().ctx("validation des téléchargements")
    }

    fn downloads(&self, dataset: Dataset) -> Result<Vec<Download>> {
        let Some(import_id) = self.latest_import_id(dataset)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT file_name, url, downloaded_at, size_bytes, sha256 FROM import_downloads
                 WHERE dataset = ?1 AND import_id = ?2 ORDER BY id",
            )
            .ctx("lecture des téléchargements")?;
        let rows = stmt
            .query_map(params![dataset.as_str(), import_id], |r| {
                Ok(Download {
                    file_name: r.get(0)?,
                    url: r.get(1)?,
                    downloaded_at: r.get(2)?,
                    size_bytes: r.get::<_, i64>(3)? as u64,
                    sha256: r.get(4)?,
                })
            })
            .ctx("lecture des téléchargements")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("lecture des téléchargements")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn download(name: &str) -> Download {
        Download {
            file_name: name.into(),
            url: format!("http://127.0.0.1:1/{name}"),
            downloaded_at: "2026-11-23T08:00:00Z".into(),
            size_bytes: 3,
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
        }
    }

    fn fake_import(store: &SqliteStore, table: &str) {
        let sql = match table {
            "rome_imports" => {
                "INSERT INTO rome_imports (version, imported_at, source, report) VALUES (60, 'x', 's', '{}')"
            }
            _ => {
                "INSERT INTO terr_imports (imported_at, source, bmo_year, report) VALUES ('x', 's', 2025, '{}')"
            }
        };
        store.conn().execute(sql, []).unwrap();
    }

    #[test]
    fn downloads_belong_to_the_latest_import_only() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        assert!(
            store
                .record_downloads(Dataset::Rome, &[download("a.zip")])
                .is_err(),
            "no import yet"
        );
        fake_import(&store, "rome_imports");
        store
            .record_downloads(Dataset::Rome, &[download("RefRomeCsv.zip")])
            .unwrap();
        assert_eq!(
            store.downloads(Dataset::Rome).unwrap(),
            vec![download("RefRomeCsv.zip")]
        );
        assert!(store.downloads(Dataset::Territoire).unwrap().is_empty());
        // A later import from local files has no downloads.
        fake_import(&store, "rome_imports");
        assert!(store.downloads(Dataset::Rome).unwrap().is_empty());
        fake_import(&store, "terr_imports");
        store
            .record_downloads(
                Dataset::Territoire,
                &[download("communes.json"), download("regions.json")],
            )
            .unwrap();
        let names: Vec<_> = store
            .downloads(Dataset::Territoire)
            .unwrap()
            .into_iter()
            .map(|d| d.file_name)
            .collect();
        assert_eq!(names, ["communes.json", "regions.json"]);
    }
}
