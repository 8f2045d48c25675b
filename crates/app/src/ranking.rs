//! Sources and targets: the ranking of every other job toward or from a
//! subject, with the territorial context of the département asked for
//! (which never changes a score).

use passerelle_core::engine::{Direction, Engine, Ranking, Weights};
use passerelle_core::territory::TerritorialContext;
use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{DeptCode, JobSummary};
use serde::Serialize;

use crate::error::AppError;
use crate::resolve::Resolved;
use crate::territory::{TerritoryProvider, context_of};

/// A ranking: its subject and territorial context, then the engine's
/// ranking (direction, weights, tiers, candidates, rows; docs/json.md).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankingOut {
    pub subject: JobSummary,
    pub dept: Option<String>,
    /// Contexte territorial du département (docs/territoire.md), si `dept` est donné.
    pub territoire: Option<TerritorialContext>,
    #[serde(flatten)]
    pub ranking: Ranking,
}

/// What a ranking is asked for.
pub struct RankRequest<'a> {
    pub direction: Direction,
    pub weights: &'a Weights,
    pub limit: usize,
    pub dept: Option<DeptCode>,
    /// The subject's transversal profile when the user chose a survey;
    /// `None`: the engine's (survey describing the job, else estimate).
    pub subject_tp: Option<&'a TransversalProfile>,
}

/// The engine's ranking alone (the pages sort and filter every candidate).
pub fn ranking(
    engine: &Engine,
    subject: &Resolved,
    direction: Direction,
    weights: &Weights,
    limit: usize,
    subject_tp: Option<&TransversalProfile>,
) -> Result<Ranking, AppError> {
    let engine = subject.engine(engine);
    let index = engine.index_of(&subject.job)?;
    Ok(engine.rank(direction, index, weights, limit, subject_tp))
}

/// The ranking of `subject` with its territorial context.
pub fn rank(
    engine: &Engine,
    territory: Option<&dyn TerritoryProvider>,
    subject: &Resolved,
    request: RankRequest<'_>,
) -> Result<RankingOut, AppError> {
    let ranking = ranking(
        engine,
        subject,
        request.direction,
        request.weights,
        request.limit,
        request.subject_tp,
    )?;
    Ok(RankingOut {
        subject: JobSummary::from(&subject.job),
        dept: request.dept.map(|d| d.to_string()),
        territoire: context_of(territory, request.dept, &subject.job)?,
        ranking,
    })
}
