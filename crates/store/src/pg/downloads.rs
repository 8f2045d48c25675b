//! [`DownloadRepository`] on PostgreSQL (`migrations/postgres/0005_downloads.sql`).
//!
//! Recording downloads is provenance metadata, not data: it does not bump the
//! data version (as on SQLite).

use postgres::Transaction;

use super::{PgStore, off_runtime};
use crate::{Dataset, Download, DownloadRepository, Result, SqlContext, StoreError};

fn latest_import_id(tx: &mut Transaction<'_>, dataset: Dataset) -> Result<Option<i64>> {
    // The table name comes from a closed enum, not from a user.
    tx.query_one(
        &format!("SELECT MAX(id) FROM {}", dataset.imports_table()),
        &[],
    )
    .ctx("lecture du dernier import")
    .map(|r| r.get(0))
}

impl DownloadRepository for PgStore {
    fn record_downloads(&mut self, dataset: Dataset, files: &[Download]) -> Result<()> {
        off_runtime(|| {
            let mut conn = self.conn()?;
            let mut tx = conn
                .transaction()
                .ctx("début de l'enregistrement des téléchargements")?;
            let Some(import_id) = latest_import_id(&mut tx, dataset)? else {
                return Err(StoreError::Corrupt(format!(
                    "aucun import {} auquel rattacher les téléchargements",
                    dataset.as_str()
                )));
            };
            for f in files {
                tx.execute(
                    "INSERT INTO import_downloads (dataset, import_id, file_name, url, downloaded_at, size_bytes, sha256)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[&dataset.as_str(), &import_id, &f.file_name, &f.url, &f.downloaded_at, &(f.size_bytes as i64), &f.sha256],
                )
                .ctx("enregistrement d'un téléchargement")?;
            }
            tx.commit().ctx("validation des téléchargements")
        })
    }

    fn downloads(&self, dataset: Dataset) -> Result<Vec<Download>> {
        self.read("lecture des téléchargements", |tx| {
            let Some(import_id) = latest_import_id(tx, dataset)? else {
                return Ok(Vec::new());
            };
            let rows = tx
                .query(
                    "SELECT file_name, url, downloaded_at, size_bytes, sha256 FROM import_downloads
                     WHERE dataset = $1 AND import_id = $2 ORDER BY id",
                    &[&dataset.as_str(), &import_id],
                )
                .ctx("lecture des téléchargements")?;
            Ok(rows
                .iter()
                .map(|r| Download {
                    file_name: r.get(0),
                    url: r.get(1),
                    downloaded_at: r.get(2),
                    size_bytes: r.get::<_, i64>(3) as u64,
                    sha256: r.get(4),
                })
                .collect())
        })
    }
}
