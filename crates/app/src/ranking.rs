//! Sources and targets: the ranking of every other job toward or from a
//! subject, with the territorial context of the département asked for
//! (which never changes a score), and, for targets with `local`, the
//! re-ranking by the local market (`passerelle_core::territory::local`).

use passerelle_core::engine::{Direction, Engine, Ranking, Weights};
use passerelle_core::territory::TerritorialContext;
use passerelle_core::territory::local::LocalBlend;
use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{DeptCode, JobSummary};
use serde::Serialize;

use crate::error::{AppError, LocalRefusal};
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
    /// With `local`: the rule of the local re-ranking and its constants;
    /// each row then carries its `local` figures (docs/json.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalBlend>,
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
    /// Re-rank the targets by the local market of `dept`.
    pub local: bool,
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

/// The ranking of `subject` with its territorial context (and, with
/// `local`, re-ranked by the local market within each label group).
pub fn rank(
    engine: &Engine,
    territory: Option<&dyn TerritoryProvider>,
    subject: &Resolved,
    request: RankRequest<'_>,
) -> Result<RankingOut, AppError> {
    let (ranking, local) = if request.local {
        let (ranking, blend) = local_ranking(engine, territory, subject, &request)?;
        (ranking, Some(blend))
    } else {
        let ranking = ranking(
            engine,
            subject,
            request.direction,
            request.weights,
            request.limit,
            request.subject_tp,
        )?;
        (ranking, None)
    };
    Ok(RankingOut {
        subject: JobSummary::from(&subject.job),
        dept: request.dept.map(|d| d.to_string()),
        territoire: context_of(territory, request.dept, &subject.job)?,
        local,
        ranking,
    })
}

/// The targets re-ranked by the local market of the département asked for.
fn local_ranking(
    engine: &Engine,
    territory: Option<&dyn TerritoryProvider>,
    subject: &Resolved,
    request: &RankRequest<'_>,
) -> Result<(Ranking, LocalBlend), AppError> {
    if request.direction == Direction::Sources {
        return Err(AppError::Local(LocalRefusal::Sources));
    }
    let market = crate::territory::market_of(territory, request.dept)?;
    let engine = subject.engine(engine);
    let index = engine.index_of(&subject.job)?;
    let mut decided = None;
    let mut ranking = engine.rank_with(
        request.direction,
        index,
        request.weights,
        request.limit,
        request.subject_tp,
        |candidates| {
            let o = market.order(candidates);
            let order = o.order.clone();
            decided = Some(o);
            Some(order)
        },
    );
    let decided = decided.unwrap_or_else(|| market.order(&[]));
    for row in &mut ranking.rows {
        let fiche = passerelle_core::RomeCode::parse(&row.code).ok();
        row.local = fiche.map(|f| market.figures(f, row.score, decided.neutral));
    }
    Ok((ranking, market.blend(&decided)))
}
