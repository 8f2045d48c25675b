//! Passerelle's measuring code, in one place: `passerelle bench …` prints the
//! figures these functions return (in French, for users), and `cargo bench -p
//! passerelle-bench` (benches/, divan) times the same operations.
//!
//! Each module measures one area and returns typed figures; none prints. The
//! binary owns the wording and the settings read from the environment.
//! `ranking` is not a timing but the engine measured against France Travail's
//! experts; it lives here because it is a figure for users too.

pub mod engine;
pub mod fixtures;
pub mod import;
pub mod local;
pub mod ranking;
pub mod render;
pub mod search;
pub mod territoire;
pub mod timing;

use std::path::PathBuf;

/// Why a measure could not be taken; each variant keeps the message of the
/// crate that failed.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Rome(#[from] passerelle_import::rome::RomeImportError),
    #[error(transparent)]
    Store(#[from] passerelle_store::StoreError),
    #[error(transparent)]
    Search(#[from] passerelle_search::SearchError),
    #[error(transparent)]
    Territory(#[from] passerelle_territory::TerritoryError),
    #[error(transparent)]
    Pipeline(#[from] passerelle_render::PipelineError),
    #[error(transparent)]
    Render(#[from] passerelle_render::RenderError),
    #[error(transparent)]
    Engine(#[from] passerelle_core::engine::EngineError),
    #[error(transparent)]
    JobRef(#[from] passerelle_core::JobRefError),
    #[error(transparent)]
    Resolve(#[from] passerelle_core::ResolveError),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Expert(#[from] ranking::ExpertFileError),
    #[error("données ROME introuvables : {} (définissez PASSERELLE_DATA)", .0.display())]
    NoRomeData(PathBuf),
    #[error("{} : {reason}", path.display())]
    Io { path: PathBuf, reason: String },
}

impl BenchError {
    fn io(path: &std::path::Path, e: impl std::fmt::Display) -> BenchError {
        BenchError::Io {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}

pub type Result<T, E = BenchError> = std::result::Result<T, E>;
