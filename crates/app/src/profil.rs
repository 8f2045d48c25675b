//! The transversal profile of a job (14 competencies) with its provenance.

use passerelle_core::engine::Engine;
use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{Job, JobSummary};
use serde::Serialize;

use crate::error::AppError;

/// `/profils/{code}`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfilOut {
    pub job: JobSummary,
    /// `null` when no profile is known (surveyed or estimated).
    pub profil: Option<TransversalProfile>,
}

/// The profile the engine compares `job` on.
pub fn profil(engine: &Engine, job: &Job) -> Result<ProfilOut, AppError> {
    let idx = engine.index_of(job)?;
    Ok(ProfilOut {
        job: JobSummary::from(job),
        profil: engine.profile(idx).transversal.clone(),
    })
}
