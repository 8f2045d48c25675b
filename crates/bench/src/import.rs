//! The ROME import (`bench import`): parsing the official CSV, writing them
//! to a database, loading the referential back.

use std::path::Path;
use std::time::Duration;

use passerelle_store::{DbLocation, RomeCounts, RomeRepository, Store};

use crate::timing::{Samples, timed};

/// Full imports measured.
pub const RUNS: usize = 3;
/// Loads of the referential measured.
pub const LOADS: usize = 7;

/// What `bench import` prints.
#[derive(Debug, Clone)]
pub struct ImportFigures {
    /// `SQLite` or `PostgreSQL`.
    pub backend: &'static str,
    pub counts: RomeCounts,
    /// Per run: CSV parsing, database write, both.
    pub parse: Samples,
    pub write: Samples,
    pub full: Samples,
    /// Opening the database once.
    pub connect: Duration,
    pub load: Samples,
}

/// Measures the import of the ROME in `dir` into a scratch SQLite file,
/// removed afterwards.
pub fn measure_on_scratch_sqlite(dir: &Path, imported_at: &str) -> crate::Result<ImportFigures> {
    let db = std::env::temp_dir().join(format!("passerelle-bench-{}.sqlite", std::process::id()));
    let result = measure(dir, &DbLocation::Sqlite(db.clone()), imported_at);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    result
}

/// Measures the import of the ROME in `dir` into `db`, whose referential it
/// replaces (a database made for measuring).
pub fn measure(dir: &Path, db: &DbLocation, imported_at: &str) -> crate::Result<ImportFigures> {
    if !dir.is_dir() {
        return Err(crate::BenchError::NoRomeData(dir.to_path_buf()));
    }
    let (mut parse, mut write, mut full) = (Vec::new(), Vec::new(), Vec::new());
    let mut counts = None;
    let mut backend = "";
    for _ in 0..RUNS {
        let (import, t_parse) = timed(|| passerelle_import::rome::read(dir, &mut |_| {}));
        let import = import?;
        let (store, t_write) = timed(|| -> crate::Result<Store> {
            let mut store = Store::open(db)?;
            let report = serde_json::to_string(&import.report)?;
            store.replace_referential(&passerelle_store::NewRomeImport {
                data: &import.data,
                imported_at,
                source: &import.report.source,
                report_json: &report,
            })?;
            Ok(store)
        });
        let store = store?;
        backend = store.backend();
        parse.push(t_parse);
        write.push(t_write);
        full.push(t_parse + t_write);
        counts = store.rome_info()?.map(|i| i.counts);
    }
    let (store, connect) = timed(|| Store::open(db));
    let store = store?;
    let mut load = Vec::new();
    for _ in 0..LOADS {
        let (r, t) = timed(|| store.load_referential());
        std::hint::black_box(r?);
        load.push(t);
    }
    Ok(ImportFigures {
        backend,
        counts: counts.unwrap_or_default(),
        parse: Samples::new(parse),
        write: Samples::new(write),
        full: Samples::new(full),
        connect,
        load: Samples::new(load),
    })
}
