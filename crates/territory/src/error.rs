//! Errors of the territorial readers.
//!
//! Every variant names the file and, when known, the line (and column for
//! XML) so that the one-line French message printed by the CLI is enough to
//! find the faulty input.

use std::path::PathBuf;

/// Why a territorial file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TerritoryError {
    #[error("{path} : lecture impossible : {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} : fichier absent ({what})")]
    Missing { path: PathBuf, what: &'static str },
    #[error("{path}, ligne {line} : {message}")]
    Line {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}, ligne {line}, colonne {column} : XML invalide : {message}")]
    Xml {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path} : {message}")]
    File { path: PathBuf, message: String },
}

impl TerritoryError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        TerritoryError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    pub(crate) fn line(path: &std::path::Path, line: u64, message: impl Into<String>) -> Self {
        TerritoryError::Line {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
    pub(crate) fn file(path: &std::path::Path, message: impl Into<String>) -> Self {
        TerritoryError::File {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = TerritoryError> = std::result::Result<T, E>;
