//! The gap analysis of a source and a target: each axis, the items
//! acquired and to acquire, the contexts, the written synthesis.

use passerelle_core::engine::{Engine, Gap, Weights};
use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{DeptCode, Job};
use serde::Serialize;

use crate::error::AppError;
use crate::resolve::Resolved;

/// A gap analysis (docs/json.md), with the département asked for.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapOut {
    pub dept: Option<String>,
    #[serde(flatten)]
    pub gap: Gap,
}

/// The transversal profiles a user chose (a survey); `None`: the engine's.
#[derive(Default, Clone, Copy)]
pub struct ChosenProfiles<'a> {
    pub source: Option<&'a TransversalProfile>,
    pub target: Option<&'a TransversalProfile>,
}

/// The gap from `source` to `target` (possibly a variant).
pub fn gap(
    engine: &Engine,
    source: &Job,
    target: &Resolved,
    weights: &Weights,
    profiles: ChosenProfiles<'_>,
) -> Result<Gap, AppError> {
    Ok(target.engine(engine).gap(
        source,
        &target.job,
        weights,
        profiles.source,
        profiles.target,
    )?)
}

/// [`gap`] with the département asked for.
pub fn gap_out(
    engine: &Engine,
    source: &Job,
    target: &Resolved,
    weights: &Weights,
    profiles: ChosenProfiles<'_>,
    dept: Option<DeptCode>,
) -> Result<GapOut, AppError> {
    Ok(GapOut {
        dept: dept.map(|d| d.to_string()),
        gap: gap(engine, source, target, weights, profiles)?,
    })
}
