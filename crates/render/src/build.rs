//! Builds the document models from the catalog, the engine and the
//! territorial context. Nothing is invented: what the data does not give is
//! left empty and rendered "non disponible".
//!
//! The entry points are here; the work is split by document and section:
//! [`crate::fiche`] and [`crate::parcours`] assemble the two documents from
//! [`crate::description`] (the job's own texts, profile and RIASEC),
//! [`crate::certifications`], [`crate::territory`] (figures and training
//! offers) and [`crate::links`]; [`crate::interviews`] reads the authored
//! employer interviews. Their sentences are in [`crate::wording`].

pub use crate::fiche::{FicheInput, build_fiche};
pub use crate::interviews::parse_entretiens;
pub use crate::parcours::{ParcoursInput, build_parcours};
pub use crate::territory::figure_lines;

use passerelle_core::engine::EngineError;

/// Errors of the builder (unknown job in the engine, bad authored file).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Engine(#[from] EngineError),
    #[error("métier source « {0} » : {1}")]
    Source(String, String),
    #[error("fichier d'entretiens {path} : {message}")]
    Entretiens { path: String, message: String },
}
