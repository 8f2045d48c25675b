//! Readers for the official open-data files and Passerelle's own input
//! formats. Each reader turns bytes into core types and reports every row it
//! could not use (file, line, field, reason); none of them touches storage.

pub mod postes;
pub mod profils;

use std::path::{Path, PathBuf};

/// Where the official data lives when nothing says otherwise:
/// `$PASSERELLE_DATA`, else `../shared/data` beside the workspace root.
///
/// The workspace root is found from this crate's manifest directory at
/// compile time, so tests find the data whatever their working directory.
pub fn default_data_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("PASSERELLE_DATA").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    // Shown in messages and stored as import source: `/work/shared/data`
    // reads better than `/work/main/crates/import/../../../shared/data`.
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

pub mod rome;
