//! Reader of the official ROME 4.0 open-data set (France Travail), as
//! published: a directory of `unix_*_vNNN_utf8.csv` files with `version.txt`,
//! or the zip archive holding them.
//!
//! [`read`] returns the whole referential as [`passerelle_core::ReferentialData`]
//! and an [`ImportReport`] that accounts for every row of every file. Structural
//! problems (missing required file, wrong header, malformed row, bad encoding)
//! stop the import with a [`RomeImportError`] naming the file and line; rows
//! that merely refer to something unknown, or repeat a key, are left out and
//! counted in the report. See `docs/import-rome.md`.

mod build;
mod error;
pub mod files;
mod report;
mod rows;
mod source;
mod table;

use std::path::Path;

use passerelle_core::ReferentialData;

pub use error::RomeImportError;
pub use files::{FILES, FileSpec};
pub use report::{FileReport, FileStatus, ImportReport, Issue, IssueKind, MAX_EXAMPLES};

/// Reading progress: `step` of `total` files, `file` being the stem just started.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub step: usize,
    pub total: usize,
    pub file: &'static str,
}

/// A successfully read set.
#[derive(Debug, Clone)]
pub struct RomeImport {
    pub data: ReferentialData,
    pub report: ImportReport,
}

/// Bounds on what a set may make the reader allocate. The official files
/// are under 3 MB each; the cap only stops crafted archives (a 4 MB zip
/// holding a 1.5 GiB entry, or an entry declaring 2^62 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest decompressed (or plain) file, in bytes: both the size an
    /// archive declares and the bytes actually read are checked.
    pub max_file_bytes: u64,
}

/// 256 MiB: about a hundred times the largest official file.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// Reads the set at `path` (directory or zip). Touches nothing but `path`.
pub fn read(
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<RomeImport, RomeImportError> {
    read_with(path, ReadLimits::default(), progress)
}

/// [`read`] with explicit [`ReadLimits`] (tests use a small cap on small
/// generated archives).
pub fn read_with(
    path: &Path,
    limits: ReadLimits,
    progress: &mut dyn FnMut(Progress),
) -> Result<RomeImport, RomeImportError> {
    let source = source::Source::open(path, limits)?;
    let (data, report) = build::Builder::new(source, progress).run()?;
    Ok(RomeImport { data, report })
}
