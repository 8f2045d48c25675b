//! Routes between jobs, the second circle of a job and what to learn next
//! (`/api/v1/chemins/…`, `/api/v1/fiches/{code}/chemins`,
//! `/api/v1/fiches/{code}/apprendre`): the answers of `passerelle chemins`
//! and `passerelle apprendre --json`.

use passerelle_app::{LearnOut, RoutesOut, SecondCircleOut};
use passerelle_core::engine::{
    DEFAULT_LEARN_ITEMS, DEFAULT_ROUTES, DEFAULT_SECOND_CIRCLE, Weights,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApiResult, cached, json_bytes};
use crate::error::{ApiError, ErrorBody};
use crate::live::Snap;
use crate::params::{
    ApiParams, ApiQuery, JobPairPath, JobPath, read_dept, read_flag, read_limit, read_weights,
};
use crate::pool::Work;
use crate::state::AppState;
use passerelle_core::DeptCode;

/// Query of the routes, second circle and learning routes.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
pub(super) struct RouteQuery {
    /// Nombre d'itinéraires (défaut 3), de destinations (défaut 15) ou d'items (défaut 5), 1 à 200
    #[param(value_type = Option<usize>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// Poids des quatre axes : transversal=1,savoirs=1,savoir_faire=1,contextes=0.5
    weights: Option<String>,
}

/// A route query, checked (`limit` is read with each route's default).
pub(super) struct RouteAsked {
    limit: Option<String>,
    weights: Weights,
}

impl ApiParams for RouteQuery {
    type Checked = RouteAsked;
    fn check(self, _: &AppState) -> Result<RouteAsked, ApiError> {
        let weights = read_weights(self.weights.as_deref(), "weights")?;
        read_limit(self.limit.as_deref(), 1)?;
        Ok(RouteAsked {
            limit: self.limit,
            weights,
        })
    }
}

impl RouteAsked {
    fn limit(&self, default: usize) -> Result<usize, ApiError> {
        read_limit(self.limit.as_deref(), default)
    }
}

/// Itinéraires d'un métier vers un autre : trois étapes au plus, chacune passerelle directe
/// ou reconversion longue (avec son diplôme), les moins coûteux d'abord.
#[utoipa::path(
    get, path = "/api/v1/chemins/{source}/{target}", tag = "passerelles",
    params(
        ("source" = String, Path, description = "Métier de départ"),
        ("target" = String, Path, description = "Métier visé"),
        RouteQuery,
    ),
    responses(
        (status = 200, description = "Itinéraires, les moins coûteux d'abord", body = RoutesOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
pub(super) async fn routes(
    Snap(state, live): Snap,
    JobPairPath { source, target }: JobPairPath,
    ApiQuery(asked, p): ApiQuery<RouteQuery>,
) -> ApiResult {
    let limit = asked.limit(DEFAULT_ROUTES)?;
    let key = p.cache_key(&format!("chemins/{source}/{target}"));
    cached(state, &live, Some(Work::Calcul), key, move |state, _| {
        let s = state.resolve("source", &source, None)?;
        let t = state.resolve("target", &target, None)?;
        json_bytes(&passerelle_app::routes(
            &state.engine,
            &s,
            &t,
            &asked.weights,
            limit,
        )?)
    })
    .await
}

/// Query of the second circle: the routes' query, and the local market.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
pub(super) struct CircleQuery {
    /// Nombre de destinations, 1 à 200 (défaut 15)
    #[param(value_type = Option<usize>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// Poids des quatre axes : transversal=1,savoirs=1,savoir_faire=1,contextes=0.5
    weights: Option<String>,
    /// Département (34, 2A, 971) : avec local=true, reclasse selon le marché local
    #[param(example = "34")]
    dept: Option<String>,
    /// Reclasser les destinations selon la demande locale de leur métier (avec dept)
    #[param(value_type = Option<bool>)]
    local: Option<String>,
}

/// A second circle's query, checked.
pub(super) struct CircleAsked {
    limit: usize,
    weights: Weights,
    dept: Option<DeptCode>,
    local: bool,
}

impl ApiParams for CircleQuery {
    type Checked = CircleAsked;
    fn check(self, state: &AppState) -> Result<CircleAsked, ApiError> {
        Ok(CircleAsked {
            limit: read_limit(self.limit.as_deref(), DEFAULT_SECOND_CIRCLE)?,
            weights: read_weights(self.weights.as_deref(), "weights")?,
            dept: read_dept(state, self.dept.as_deref())?,
            local: read_flag(self.local.as_deref(), "local")?,
        })
    }
}

/// Second cercle d'un métier : les destinations à deux étapes qui ne sont pas des passerelles
/// directes, chacune avec son métier intermédiaire ; avec `local=true` et `dept`, reclassées
/// selon la demande locale de leur métier.
#[utoipa::path(
    get, path = "/api/v1/fiches/{code}/chemins", tag = "passerelles",
    params(
        ("code" = String, Path, description = "Métier de départ : code ROME, code OGR d'appellation ou poste:slug"),
        CircleQuery,
    ),
    responses(
        (status = 200, description = "Destinations, les moins coûteuses d'abord", body = SecondCircleOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
pub(super) async fn second_circle(
    Snap(state, live): Snap,
    JobPath(code): JobPath,
    ApiQuery(asked, p): ApiQuery<CircleQuery>,
) -> ApiResult {
    let key = p.cache_key(&format!("cercle/{code}"));
    cached(state, &live, Some(Work::Calcul), key, move |state, _| {
        let s = state.resolve("code", &code, None)?;
        let market = if asked.local {
            Some(passerelle_app::market_of(state.territory(), asked.dept)?)
        } else {
            None
        };
        json_bytes(&passerelle_app::second_circle(
            &state.engine,
            &s,
            &asked.weights,
            asked.limit,
            market.as_ref(),
        )?)
    })
    .await
}

/// Ce qu'il faut apprendre : les savoirs et savoir-faire dont l'acquisition ouvre le plus de
/// passerelles directes depuis un métier, avec les métiers qu'ils ouvrent.
#[utoipa::path(
    get, path = "/api/v1/fiches/{code}/apprendre", tag = "passerelles",
    params(
        ("code" = String, Path, description = "Métier de départ : code ROME, code OGR d'appellation ou poste:slug"),
        RouteQuery,
    ),
    responses(
        (status = 200, description = "Items, ceux qui ouvrent le plus de passerelles d'abord", body = LearnOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
pub(super) async fn learn(
    Snap(state, live): Snap,
    JobPath(code): JobPath,
    ApiQuery(asked, p): ApiQuery<RouteQuery>,
) -> ApiResult {
    let limit = asked.limit(DEFAULT_LEARN_ITEMS)?;
    let key = p.cache_key(&format!("apprendre/{code}"));
    cached(state, &live, Some(Work::Calcul), key, move |state, _| {
        let s = state.resolve("code", &code, None)?;
        json_bytes(&passerelle_app::learn(
            &state.engine,
            &s,
            &asked.weights,
            limit,
        )?)
    })
    .await
}
