//! Routes between two jobs (`chemins SOURCE CIBLE`), the second circle of a
//! job (`chemins SOURCE`) and what to learn next (`apprendre SOURCE`): the
//! engine's answers with the jobs named as every output names them.

use passerelle_core::engine::{
    Candidate, Engine, Learn, Route, Routes, SecondCircle, Tier, Weights,
};
use passerelle_core::territory::local::{LocalFigures, LocalMarket, MU};
use passerelle_core::text::{fr_decimal, pct};
use passerelle_core::{JobSummary, RomeCode};
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
    /// With the local market: how the destinations were re-ranked, and the
    /// local figures of each destination, in the order of `destinations`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalRoutes>,
    #[serde(flatten)]
    pub circle: SecondCircle,
}

/// The second circle re-ranked by the local market (docs/methode.md § 13).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalRoutes {
    pub dept: String,
    pub nom: String,
    /// The rule, one sentence per line.
    pub rule: Vec<String>,
    /// Each destination's figures; `score` is the route's local score.
    pub figures: Vec<LocalFigures>,
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

/// The second circle of `source`: at most `max` destinations; with a
/// local market, re-ranked by the local demand of each destination.
pub fn second_circle(
    engine: &Engine,
    source: &Resolved,
    weights: &Weights,
    max: usize,
    market: Option<&LocalMarket>,
) -> Result<SecondCircleOut, AppError> {
    let engine = source.engine(engine);
    let s = engine.index_of(&source.job)?;
    let Some(market) = market else {
        return Ok(SecondCircleOut {
            subject: JobSummary::from(&source.job),
            local: None,
            circle: engine.second_circle(s, weights, max),
        });
    };
    let mut circle = engine.second_circle(s, weights, usize::MAX);
    let local = local_order(market, &mut circle.destinations, max);
    Ok(SecondCircleOut {
        subject: JobSummary::from(&source.job),
        local: Some(local),
        circle,
    })
}

/// A route's quality: the mean score of its steps.
fn quality(route: &Route) -> f64 {
    route.steps.iter().map(|s| s.score).sum::<f64>() / route.steps.len().max(1) as f64
}

/// Re-ranks `routes` by the local market within their class (two direct
/// passerelles; a reconversion longue on the way), each class keeping its
/// positions, as `targets --local` does within each label; keeps `max`.
fn local_order(market: &LocalMarket, routes: &mut Vec<Route>, max: usize) -> LocalRoutes {
    // Destinations are fiches (postes are never stops nor destinations).
    let fiche =
        |r: &Route| RomeCode::parse(&r.destination().id).expect("une destination est une fiche");
    let candidates: Vec<Candidate> = routes
        .iter()
        .map(|r| Candidate {
            fiche: fiche(r),
            tier: if r.steps.iter().all(|s| s.tier.is_direct()) {
                Tier::Possible
            } else {
                Tier::ReconversionLongue
            },
            score: Some(quality(r)),
            shared_items: true,
        })
        .collect();
    let order = market.order(&candidates);
    let mut taken: Vec<Option<Route>> = routes.drain(..).map(Some).collect();
    let reordered: Vec<Route> = order
        .order
        .iter()
        .filter_map(|&i| taken[i].take())
        .take(max)
        .collect();
    let figures = reordered
        .iter()
        .map(|r| market.figures(fiche(r), Some(quality(r)), order.neutral))
        .collect();
    *routes = reordered;
    LocalRoutes {
        dept: market.dept.to_string(),
        nom: market.nom.clone(),
        rule: vec![
            format!(
                "score local d'une destination = {} de la qualité de l'itinéraire (moyenne des scores de ses étapes) + {} de la demande locale du métier de destination, calculée comme pour les métiers cibles",
                pct(Some(1.0 - MU)),
                pct(Some(MU)),
            ),
            format!(
                "une destination sans chiffre local reçoit la demande neutre {} (médiane des destinations chiffrées)",
                fr_decimal(order.neutral, 2)
            ),
            "le reclassement se fait à l'intérieur de chaque classe d'itinéraires (deux passerelles directes ; une reconversion longue en chemin), qui garde ses rangs : un itinéraire avec reconversion longue ne passe jamais devant un itinéraire de passerelles directes".to_string(),
        ],
        figures,
    }
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
