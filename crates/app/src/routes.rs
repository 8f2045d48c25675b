//! Routes between two jobs (`chemins SOURCE CIBLE`), the second circle of a
//! job (`chemins SOURCE`) and what to learn next (`apprendre SOURCE`): the
//! engine's answers with the jobs named as every output names them.

use passerelle_core::JobSummary;
use passerelle_core::engine::{Engine, Learn, Routes, SecondCircle, Weights};
use serde::Serialize;

use crate::error::AppError;
use crate::resolve::Resolved;

/// The routes from one job to another (docs/json.md, « Itinéraires »).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutesOut {
    pub subject: JobSummary,
    pub destination: JobSummary,
    #[serde(flatten)]
    pub routes: Routes,
}

/// The destinations two steps away (docs/json.md, « Second cercle »).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondCircleOut {
    pub subject: JobSummary,
    #[serde(flatten)]
    pub circle: SecondCircle,
}

/// What to learn next (docs/json.md, « Apprendre »).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LearnOut {
    pub subject: JobSummary,
    #[serde(flatten)]
    pub learn: Learn,
}

/// The best `max` routes from `source` to `target`.
pub fn routes(
    engine: &Engine,
    source: &Resolved,
    target: &Resolved,
    weights: &Weights,
    max: usize,
) -> Result<RoutesOut, AppError> {
    // A variant of the target lives in its own engine, with every fiche.
    let engine = target.engine(engine);
    let (s, t) = (engine.index_of(&source.job)?, engine.index_of(&target.job)?);
    Ok(RoutesOut {
        subject: JobSummary::from(&source.job),
        destination: JobSummary::from(&target.job),
        routes: engine.routes(s, t, weights, max),
    })
}

/// The second circle of `source`: at most `max` destinations.
pub fn second_circle(
    engine: &Engine,
    source: &Resolved,
    weights: &Weights,
    max: usize,
) -> Result<SecondCircleOut, AppError> {
    let engine = source.engine(engine);
    let s = engine.index_of(&source.job)?;
    Ok(SecondCircleOut {
        subject: JobSummary::from(&source.job),
        circle: engine.second_circle(s, weights, max),
    })
}

/// The `max` items that open the most targets of `source`.
pub fn learn(
    engine: &Engine,
    source: &Resolved,
    weights: &Weights,
    max: usize,
) -> Result<LearnOut, AppError> {
    let engine = source.engine(engine);
    let s = engine.index_of(&source.job)?;
    Ok(LearnOut {
        subject: JobSummary::from(&source.job),
        learn: engine.learn(s, weights, max),
    })
}
