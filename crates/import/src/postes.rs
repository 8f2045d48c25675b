//! Job-title profile files ("postes"): reading a file of the documented,
//! human-editable TOML format (docs/postes.md) for `passerelle import postes`.
//!
//! The format itself (text ↔ [`Poste`](passerelle_core::Poste), field checks,
//! French errors) is [`passerelle_core::poste::toml`], shared with the export
//! and the server; here are only the file's bounds and encoding.

use std::path::Path;

use passerelle_core::Referential;
use passerelle_core::poste::toml::{PosteFile, PosteTomlError, parse_poste};

#[derive(Debug, thiserror::Error)]
pub enum PostesError {
    #[error("{file} : lecture impossible : {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file} : le fichier n'est pas en UTF-8")]
    Encoding { file: String },
    #[error("{file} : {size} octets : un profil de poste fait au plus {MAX_FILE_BYTES} octets")]
    TooLarge { file: String, size: u64 },
    #[error(transparent)]
    Format(#[from] PosteTomlError),
}

/// Largest poste file read, in bytes (a real profile is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads and validates one poste file against the referential.
pub fn read_poste(path: &Path, referential: &Referential) -> Result<PosteFile, PostesError> {
    let file = path.display().to_string();
    let io = |source| PostesError::Io {
        file: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(PostesError::TooLarge { file, size });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text =
        String::from_utf8(bytes).map_err(|_| PostesError::Encoding { file: file.clone() })?;
    Ok(parse_poste(&file, &text, referential)?)
}
