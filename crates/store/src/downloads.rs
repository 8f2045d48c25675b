//! Where the imported official files came from when Passerelle downloaded
//! them: URL, date, size and SHA-256 of each file, linked to the import they
//! fed (`migrations/0005_downloads.sql`), so that `passerelle info` can say
//! exactly what the database was built from.

use serde::{Deserialize, Serialize};

use crate::sql::{Backend, Change, Db};
use crate::{Result, StoreError};

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

/// Provenance of downloaded imports; implemented by every store.
pub trait DownloadRepository {
    /// Records the files behind the **latest** import of `dataset` (call it
    /// right after that import succeeded).
    fn record_downloads(&mut self, dataset: Dataset, files: &[Download]) -> Result<()>;
    /// The files behind the latest import of `dataset`; empty when that
    /// import read local files.
    fn downloads(&self, dataset: Dataset) -> Result<Vec<Download>>;
}

impl<B: Backend> DownloadRepository for B {
    fn record_downloads(&mut self, dataset: Dataset, files: &[Download]) -> Result<()> {
        self.write(Change::Provenance("enregistrement des téléchargements"),
            |db| {
                let Some(import_id) = latest_import_id(db, dataset)? else {
                    return Err(StoreError::Corrupt(format!(
                        "aucun import {} auquel rattacher les téléchargements",
                        dataset.as_str()
                    )));
                };
                for f in files {
                    db.execute(
                        "INSERT INTO import_downloads (dataset, import_id, file_name, url, downloaded_at, size_bytes, sha256)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        &[&dataset.as_str(), &import_id, &f.file_name, &f.url, &f.downloaded_at, &f.size_bytes, &f.sha256],
                        "enregistrement d'un téléchargement",
                    )?;
                }
                Ok(())
            },
        )
    }

    fn downloads(&self, dataset: Dataset) -> Result<Vec<Download>> {
        self.read("lecture des téléchargements", |db| {
            let Some(import_id) = latest_import_id(db, dataset)? else {
                return Ok(Vec::new());
            };
            db.all(
                "SELECT file_name, url, downloaded_at, size_bytes, sha256 FROM import_downloads
                 WHERE dataset = ?1 AND import_id = ?2 ORDER BY id",
                &[&dataset.as_str(), &import_id],
                "lecture des téléchargements",
                |c| {
                    Ok(Download {
                        file_name: c.text(0)?,
                        url: c.text(1)?,
                        downloaded_at: c.text(2)?,
                        size_bytes: c.num(3)?,
                        sha256: c.text(4)?,
                    })
                },
            )
        })
    }
}

fn latest_import_id(db: &mut dyn Db, dataset: Dataset) -> Result<Option<i64>> {
    // The table name comes from a closed enum, not from a user.
    db.one(
        &format!("SELECT MAX(id) FROM {}", dataset.imports_table()),
        &[],
        "lecture du dernier import",
        |c| c.opt_int(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqliteStore;

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
