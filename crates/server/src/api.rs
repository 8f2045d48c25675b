//! The JSON API under `/api/v1/` (see docs/api.md). Every route is declared
//! with `utoipa::path` and mounted through `routes!`, so the OpenAPI spec is
//! derived from the router and cannot drift from it.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passerelle_core::engine::{Direction, Engine, Gap, Ranking, Weights};
use passerelle_core::territory::TerritorialContext;
use passerelle_core::{DeptCode, ItemKind, Job, JobSummary, OgrCode, RomeCode};
use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::live::{Live, Snap};
use crate::params::{ApiParams, ApiQuery, NoQuery, Params, parse_dept, resolve_job, short};
use crate::pool::{Cancel, Work};
use crate::search::SearchHit;
use crate::state::{AppState, DocFormat, ProviderError};
use crate::variant::{Variant, parse_removed, variant};

type ApiResult = Result<Response, ApiError>;

/// Results of `/search` without `limit`: a typeahead shows about ten.
pub(crate) const SEARCH_LIMIT: usize = passerelle_search::DEFAULT_LIMIT;
/// Rows of `/sources` and `/targets` without `limit`.
pub(crate) const RANKING_LIMIT: usize = passerelle_core::engine::DEFAULT_RANKING_LIMIT;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Passerelle API",
        description = "Passerelles métiers du ROME 4.0 : recherche, fiches, métiers sources et cibles, \
mesure des écarts, profils transversaux, contexte territorial, documents. Erreurs : JSON \
`{\"error\": {\"code\", \"message\", \"parametre\"}}` avec un code stable et un message en français.",
        version = "1"
    ),
    components(schemas(ErrorBody, SearchHit))
)]
struct ApiDoc;

pub(crate) fn router() -> OpenApiRouter<Arc<Live>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(search))
        .routes(routes!(fiche))
        .routes(routes!(sources))
        .routes(routes!(targets))
        .routes(routes!(fiche_document))
        .routes(routes!(gap))
        .routes(routes!(parcours_document))
        .routes(routes!(profil))
        .routes(routes!(territoire))
}

/// The spec, pretty-printed (what `/api/openapi.json` serves).
pub(crate) fn openapi_json() -> String {
    let (_, spec) = router().split_for_parts();
    spec.to_pretty_json().unwrap_or_default()
}

// ---------------------------------------------------------------------------
// helpers

fn json_bytes(value: &impl Serialize) -> Result<Bytes, ApiError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| ApiError::internal(format!("sérialisation JSON : {e}")))
}

fn json_response(bytes: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// Serves from the snapshot's memo, or computes and stores. `key` is the
/// normalised key (route and known parameters, sorted). With `work`, the
/// computation runs on that blocking pool; without, inline (cheap answers).
async fn cached<F>(
    state: Arc<AppState>,
    live: &Live,
    work: Option<Work>,
    key: String,
    f: F,
) -> ApiResult
where
    F: FnOnce(&AppState, &Cancel) -> Result<Bytes, ApiError> + Send + 'static,
{
    if let Some(b) = state.cache.get(&key) {
        return Ok(json_response(b));
    }
    let b = match work {
        None => f(&state, &Cancel::new())?,
        Some(work) => {
            let st = state.clone();
            live.run(work, move |cancel| f(&st, cancel)).await?
        }
    };
    state.cache.put(key, b.clone());
    Ok(json_response(b))
}

/// A job, possibly narrowed by `sans=`, with the engine that knows it.
pub(crate) struct Resolved {
    pub job: Job,
    pub variant: Option<Arc<Variant>>,
}

impl Resolved {
    pub(crate) fn engine<'a>(&'a self, state: &'a AppState) -> &'a Engine {
        self.variant
            .as_ref()
            .map(|v| &v.engine)
            .unwrap_or(&state.engine)
    }

    pub(crate) fn removed(&self) -> BTreeSet<OgrCode> {
        self.variant
            .as_ref()
            .map(|v| v.removed.clone())
            .unwrap_or_default()
    }
}

pub(crate) fn resolve_with_variant(
    state: &AppState,
    code: &str,
    sans: Option<&str>,
) -> Result<Resolved, ApiError> {
    let job = resolve_job(state, code, "code")?;
    let removed = parse_removed(&job, sans)?;
    if removed.is_empty() {
        return Ok(Resolved { job, variant: None });
    }
    let v = variant(state, &job, &removed)?;
    Ok(Resolved {
        job: v.job.clone(),
        variant: Some(v),
    })
}

/// The full ranking (every candidate) of a subject.
pub(crate) fn ranking(
    state: &AppState,
    r: &Resolved,
    direction: Direction,
    weights: &Weights,
    limit: usize,
) -> Result<Ranking, ApiError> {
    let engine = r.engine(state);
    let subject = engine
        .index_of(&r.job)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(engine.rank(direction, subject, weights, limit, None))
}

/// The territorial context of `job`'s fiche in `dept`, when both are known.
fn territory_of(
    state: &AppState,
    dept: Option<DeptCode>,
    job: &Job,
) -> Result<Option<TerritorialContext>, ApiError> {
    let (Some(d), Some(t)) = (dept, state.territory.as_ref()) else {
        return Ok(None);
    };
    t.context(d, Some(job.fiche))
        .map_err(|e| ApiError::internal(e.to_string()))
}

// ---------------------------------------------------------------------------
// search

/// Query of `/search`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// Texte recherché (1 à 200 caractères)
    #[param(min_length = 1, max_length = 200)]
    q: String,
    /// Nombre de résultats, 1 à 200 (défaut 10)
    #[param(value_type = Option<usize>, minimum = 1, maximum = 200)]
    limit: usize,
}

impl ApiParams for SearchQuery {
    fn read(p: &Params, _: &AppState) -> Result<Self, ApiError> {
        Ok(SearchQuery {
            q: p.query_text()?.to_string(),
            limit: p.limit(SEARCH_LIMIT)?,
        })
    }
}

#[derive(Serialize, ToSchema)]
struct SearchOut {
    query: String,
    hits: Vec<SearchHit>,
}

/// Appellations, fiches et profils de poste correspondant à un texte (tolère accents et fautes de frappe).
#[utoipa::path(
    get, path = "/api/v1/search", tag = "recherche",
    params(SearchQuery),
    responses(
        (status = 200, description = "Résultats, les meilleurs d'abord", body = SearchOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
    )
)]
async fn search(Snap(state, live): Snap, ApiQuery(query, p): ApiQuery<SearchQuery>) -> ApiResult {
    // The index answers in about a millisecond: inline, so that typeahead is
    // never shed behind heavy work.
    cached(
        state,
        &live,
        None,
        p.cache_key("search"),
        move |state, _| {
            let hits = state.search.search(&query.q, query.limit);
            json_bytes(&SearchOut {
                query: query.q,
                hits,
            })
        },
    )
    .await
}

// ---------------------------------------------------------------------------
// fiche

#[derive(Serialize, ToSchema)]
pub(crate) struct ItemOut {
    #[schema(value_type = u32)]
    pub ogr: OgrCode,
    pub label: String,
    /// `savoir_faire`, `savoir_etre`, `savoir` or `contexte`.
    #[schema(value_type = String)]
    pub kind: ItemKind,
    /// Group: macro-compétence / savoir category / context type.
    pub group: Option<String>,
    pub coeur_metier: bool,
}

#[derive(Serialize, ToSchema)]
struct FicheOut {
    job: JobSummary,
    fiche: FicheInfo,
    items: Vec<ItemOut>,
    data_version: String,
}

#[derive(Serialize, ToSchema)]
struct FicheInfo {
    code: String,
    title: String,
    domaine: String,
    riasec: Option<String>,
    definition: Vec<String>,
    acces: Vec<String>,
    appellations: Vec<AppellationOut>,
}

#[derive(Serialize, ToSchema)]
struct AppellationOut {
    #[schema(value_type = u32)]
    ogr: OgrCode,
    label: String,
}

/// Query of `/fiches/{code}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct FicheQuery {
    /// Variante : codes OGR des items décochés, séparés par des virgules
    sans: Option<String>,
}

impl ApiParams for FicheQuery {
    fn read(p: &Params, _: &AppState) -> Result<Self, ApiError> {
        Ok(FicheQuery {
            sans: p.get("sans").map(str::to_string),
        })
    }
}

pub(crate) fn items_of(state: &AppState, job: &Job) -> Vec<ItemOut> {
    let r = &state.catalog.referential;
    job.items
        .iter()
        .map(|l| {
            let (label, group) = match r.item(l.ogr) {
                Some(passerelle_core::ItemRef::Savoir(s)) => {
                    (s.label.clone(), Some(s.category.label_fr().to_string()))
                }
                Some(passerelle_core::ItemRef::Contexte(c)) => {
                    (c.label.clone(), Some(c.type_label.clone()))
                }
                Some(i) => (i.label().to_string(), None),
                None => (l.ogr.to_string(), None),
            };
            ItemOut {
                ogr: l.ogr,
                label,
                kind: l.kind,
                group,
                coeur_metier: l.coeur != passerelle_core::CoeurMetier::Non,
            }
        })
        .collect()
}

/// Une fiche, une appellation (sa fiche ou son profil de poste) ou un profil de poste, avec ses items.
#[utoipa::path(
    get, path = "/api/v1/fiches/{code}", tag = "fiches",
    params(
        ("code" = String, Path, description = "Code ROME (J1303), code OGR d'appellation (200145) ou profil de poste (poste:assistant-medical)"),
        FicheQuery,
    ),
    responses(
        (status = 200, description = "La fiche et ses items", body = FicheOut),
        (status = 400, description = "Code invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
async fn fiche(
    Snap(state, live): Snap,
    Path(code): Path<String>,
    ApiQuery(query, p): ApiQuery<FicheQuery>,
) -> ApiResult {
    // A variant recomputes the engine: on the pool; the plain fiche is cheap.
    let work = query.sans.as_ref().map(|_| Work::Calcul);
    let key = p.cache_key(&format!("fiche/{code}"));
    cached(state, &live, work, key, move |state, _| {
        fiche_json(state, &code, query.sans.as_deref())
    })
    .await
}

fn fiche_json(state: &AppState, code: &str, sans: Option<&str>) -> Result<Bytes, ApiError> {
    let r = resolve_with_variant(state, code, sans)?;
    let job = &r.job;
    let referential = &state.catalog.referential;
    let f = referential
        .fiche(job.fiche)
        .ok_or_else(|| ApiError::internal("fiche absente"))?;
    let out = FicheOut {
        job: JobSummary::from(job),
        fiche: FicheInfo {
            code: f.code.to_string(),
            title: f.title.clone(),
            domaine: f.domaine.clone(),
            riasec: f.riasec.map(|x| x.to_string()),
            definition: f.definition.clone(),
            acces: f.acces.clone(),
            appellations: referential
                .appellations_of(f)
                .into_iter()
                .map(|a| AppellationOut {
                    ogr: a.ogr,
                    label: a.long_label.clone(),
                })
                .collect(),
        },
        items: items_of(state, job),
        data_version: state.data_version.clone(),
    };
    json_bytes(&out)
}

// ---------------------------------------------------------------------------
// sources / targets

/// A ranking: its subject and territorial context, then the engine's
/// ranking (direction, weights, tiers, candidates, rows; docs/json.md).
#[derive(Serialize, ToSchema)]
struct RankingOut<'a> {
    subject: JobSummary,
    dept: Option<String>,
    /// Contexte territorial du département (docs/territoire.md), si `dept` est donné.
    territoire: Option<TerritorialContext>,
    #[serde(flatten)]
    ranking: &'a Ranking,
}

/// Query of `/sources` and `/targets`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct RankQuery {
    /// Département (34, 2A, 971) : ajoute le contexte territorial, ne change pas les scores
    #[param(value_type = Option<String>, example = "34")]
    dept: Option<DeptCode>,
    /// Nombre de métiers, 1 à 200 (défaut 15)
    #[param(value_type = Option<usize>, minimum = 1, maximum = 200)]
    limit: usize,
    /// Poids des quatre axes : transversal=1,savoirs=1,savoir_faire=1,contextes=0.5
    #[param(value_type = Option<String>)]
    weights: Weights,
    /// Variante : codes OGR des items décochés, séparés par des virgules
    sans: Option<String>,
}

impl ApiParams for RankQuery {
    fn read(p: &Params, state: &AppState) -> Result<Self, ApiError> {
        let limit = p.limit(RANKING_LIMIT)?;
        let weights = p.weights()?;
        let dept = p.dept(state)?;
        Ok(RankQuery {
            dept,
            limit,
            weights,
            sans: p.get("sans").map(str::to_string),
        })
    }
}

/// Sources or targets: parameters checked inline, the ranking (and the
/// territorial context, a database read) computed on the pool, memoised.
async fn rank_route(
    state: Arc<AppState>,
    live: &Live,
    code: String,
    query: ApiQuery<RankQuery>,
    direction: Direction,
) -> ApiResult {
    let ApiQuery(
        RankQuery {
            dept,
            limit,
            weights,
            sans,
        },
        p,
    ) = query;
    let key = p.cache_key(&format!("{direction:?}/{code}"));
    cached(
        state,
        live,
        Some(Work::Calcul),
        key,
        move |state, cancel| {
            let r = resolve_with_variant(state, &code, sans.as_deref())?;
            cancel.check()?;
            let ranking = ranking(state, &r, direction, &weights, limit)?;
            cancel.check()?;
            json_bytes(&RankingOut {
                subject: JobSummary::from(&r.job),
                dept: dept.map(|d| d.to_string()),
                territoire: territory_of(state, dept, &r.job)?,
                ranking: &ranking,
            })
        },
    )
    .await
}

/// Métiers sources classés d'un métier cible : d'où peuvent venir les personnes recrutées ou formées.
#[utoipa::path(
    get, path = "/api/v1/fiches/{code}/sources", tag = "passerelles",
    params(
        ("code" = String, Path, description = "Métier cible : code ROME, code OGR d'appellation ou poste:slug"),
        RankQuery,
    ),
    responses(
        (status = 200, description = "Classement avec pourcentages et explications", body = RankingOut<'_>),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier ou département inconnu", body = ErrorBody),
    )
)]
async fn sources(
    Snap(state, live): Snap,
    Path(code): Path<String>,
    query: ApiQuery<RankQuery>,
) -> ApiResult {
    rank_route(state, &live, code, query, Direction::Sources).await
}

/// Métiers cibles classés d'un métier source : vers où une personne peut évoluer.
#[utoipa::path(
    get, path = "/api/v1/fiches/{code}/targets", tag = "passerelles",
    params(
        ("code" = String, Path, description = "Métier source : code ROME, code OGR d'appellation ou poste:slug"),
        RankQuery,
    ),
    responses(
        (status = 200, description = "Classement", body = RankingOut<'_>),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier ou département inconnu", body = ErrorBody),
    )
)]
async fn targets(
    Snap(state, live): Snap,
    Path(code): Path<String>,
    query: ApiQuery<RankQuery>,
) -> ApiResult {
    rank_route(state, &live, code, query, Direction::Targets).await
}

// ---------------------------------------------------------------------------
// gap

/// A gap analysis (docs/json.md), with the département asked for.
#[derive(Serialize, ToSchema)]
struct GapOut<'a> {
    dept: Option<String>,
    #[serde(flatten)]
    gap: &'a Gap,
}

/// Query of `/gaps/{source}/{target}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct GapQuery {
    /// Département (34, 2A, 971)
    #[param(value_type = Option<String>, example = "34")]
    dept: Option<DeptCode>,
    /// Poids des quatre axes : transversal=1,savoirs=1,savoir_faire=1,contextes=0.5
    #[param(value_type = Option<String>)]
    weights: Weights,
    /// Variante de la cible : codes OGR des items décochés, séparés par des virgules
    sans: Option<String>,
}

impl ApiParams for GapQuery {
    fn read(p: &Params, state: &AppState) -> Result<Self, ApiError> {
        let dept = p.dept(state)?;
        let weights = p.weights()?;
        Ok(GapQuery {
            dept,
            weights,
            sans: p.get("sans").map(str::to_string),
        })
    }
}

/// The gap analysis of two jobs, named source first.
pub(crate) fn compute_gap(
    state: &AppState,
    source: &str,
    target: &str,
    weights: &Weights,
    sans: Option<&str>,
) -> Result<(Resolved, Job, Gap), ApiError> {
    let s = resolve_job(state, source, "source")?;
    let t = resolve_with_variant(state, target, sans)?;
    let gap = t
        .engine(state)
        .gap(&s, &t.job, weights, None, None)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((t, s, gap))
}

/// Mesure des écarts source → cible : chaque axe, les items acquis et à
/// acquérir, les contextes, la synthèse rédigée.
#[utoipa::path(
    get, path = "/api/v1/gaps/{source}/{target}", tag = "passerelles",
    params(
        ("source" = String, Path, description = "Métier source"),
        ("target" = String, Path, description = "Métier cible"),
        GapQuery,
    ),
    responses(
        (status = 200, description = "Mesure des écarts", body = GapOut<'_>),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
async fn gap(
    Snap(state, live): Snap,
    Path((source, target)): Path<(String, String)>,
    ApiQuery(
        GapQuery {
            dept,
            weights,
            sans,
        },
        p,
    ): ApiQuery<GapQuery>,
) -> ApiResult {
    let key = p.cache_key(&format!("gap/{source}/{target}"));
    cached(state, &live, Some(Work::Calcul), key, move |state, _| {
        let (_, _, gap) = compute_gap(state, &source, &target, &weights, sans.as_deref())?;
        json_bytes(&GapOut {
            dept: dept.map(|d| d.to_string()),
            gap: &gap,
        })
    })
    .await
}

// ---------------------------------------------------------------------------
// documents

fn document_response(rendered: crate::state::Rendered, format: DocFormat, name: &str) -> Response {
    let mut res = (StatusCode::OK, rendered.bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let csp = crate::security::csp_with_style_hashes(&rendered.style_hashes);
    if let (DocFormat::Html, Ok(v)) = (format, HeaderValue::from_str(&csp)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    let disposition = match format {
        DocFormat::Html => format!("inline; filename=\"{name}.html\""),
        f => format!("attachment; filename=\"{name}.{}\"", f.extension()),
    };
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Query of the parcours document route.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct DocumentQuery {
    /// Département (34, 2A, 971) : ajoute le contexte territorial
    #[param(value_type = Option<String>, example = "34")]
    dept: Option<DeptCode>,
    /// Format du document (défaut json)
    #[param(value_type = Option<FormatName>, inline)]
    format: DocFormat,
}

/// Query of the fiche passerelle document route: the parcours' one, and
/// the sources to detail.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct FicheDocumentQuery {
    /// Département (34, 2A, 971) : ajoute le contexte territorial
    #[param(value_type = Option<String>, example = "34")]
    dept: Option<DeptCode>,
    /// Format du document (défaut json)
    #[param(value_type = Option<FormatName>, inline)]
    format: DocFormat,
    /// Métiers sources à détailler (mesure des écarts), séparés par des virgules : codes ROME, codes d'appellation ou profils de poste, au plus 10 (défaut : les 3 premiers du classement)
    #[param(value_type = Option<String>, example = "M1609,J1301")]
    sources: Vec<Job>,
}

/// The names `format=` accepts (for the OpenAPI document, where its
/// description is shown to API users, hence in French).
#[derive(ToSchema)]
#[schema(
    rename_all = "lowercase",
    description = "json (défaut), html, pdf ou md (Markdown)"
)]
#[allow(dead_code)]
enum FormatName {
    Json,
    Html,
    Pdf,
    Md,
}

impl ApiParams for DocumentQuery {
    fn read(p: &Params, state: &AppState) -> Result<Self, ApiError> {
        let dept = p.dept(state)?;
        Ok(DocumentQuery {
            dept,
            format: p.format(DocFormat::Json)?,
        })
    }
}

impl ApiParams for FicheDocumentQuery {
    fn read(p: &Params, state: &AppState) -> Result<Self, ApiError> {
        let dept = p.dept(state)?;
        let format = p.format(DocFormat::Json)?;
        Ok(FicheDocumentQuery {
            dept,
            format,
            sources: p.detailed_sources(state)?,
        })
    }
}

/// La fiche passerelle d'un métier cible (JSON, HTML, PDF ou Markdown).
///
/// La mesure des écarts y détaille les métiers sources choisis (`sources=`),
/// sinon les 3 premiers du classement.
#[utoipa::path(
    get, path = "/api/v1/fiches/{code}/document", tag = "documents",
    params(
        ("code" = String, Path, description = "Métier cible"),
        FicheDocumentQuery,
    ),
    responses(
        (status = 200, description = "La fiche passerelle", content(
            (Object = "application/json"), (String = "text/html"), (Vec<u8> = "application/pdf"),
            (String = "text/markdown")
        )),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
        (status = 503, description = "Rendu des documents indisponible", body = ErrorBody),
    )
)]
async fn fiche_document(
    Snap(state, live): Snap,
    Path(code): Path<String>,
    ApiQuery(
        FicheDocumentQuery {
            dept,
            format,
            sources,
        },
        _,
    ): ApiQuery<FicheDocumentQuery>,
) -> ApiResult {
    let job = resolve_job(&state, &code, "code")?;
    if state.documents.is_none() {
        return Err(ApiError::unavailable(
            "rendu des documents indisponible sur ce serveur",
        ));
    }
    let name = passerelle_render::fiche_file_stem(&job.id, dept);
    let rendered = live
        .run(Work::Documents, move |cancel| {
            let docs = state.documents.as_ref().expect("vérifié plus haut");
            docs.fiche(&state, &job, &sources, dept, format, cancel)
                .map_err(|e| document_error(cancel, e))
        })
        .await?;
    Ok(document_response(rendered, format, &name))
}

/// A provider's error: nobody reads it when the request was abandoned.
fn document_error(cancel: &Cancel, e: ProviderError) -> ApiError {
    match cancel.check() {
        Err(abandoned) => abandoned,
        Ok(()) => ApiError::internal(e.to_string()),
    }
}

/// Le parcours de mobilité d'un couple source → cible (JSON, HTML, PDF ou Markdown).
#[utoipa::path(
    get, path = "/api/v1/gaps/{source}/{target}/document", tag = "documents",
    params(
        ("source" = String, Path, description = "Métier source"),
        ("target" = String, Path, description = "Métier cible"),
        DocumentQuery,
    ),
    responses(
        (status = 200, description = "Le parcours", content(
            (Object = "application/json"), (String = "text/html"), (Vec<u8> = "application/pdf"),
            (String = "text/markdown")
        )),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
        (status = 503, description = "Rendu des documents indisponible", body = ErrorBody),
    )
)]
async fn parcours_document(
    Snap(state, live): Snap,
    Path((source, target)): Path<(String, String)>,
    ApiQuery(DocumentQuery { dept, format }, _): ApiQuery<DocumentQuery>,
) -> ApiResult {
    let s = resolve_job(&state, &source, "source")?;
    let t = resolve_job(&state, &target, "target")?;
    if state.documents.is_none() {
        return Err(ApiError::unavailable(
            "rendu des documents indisponible sur ce serveur",
        ));
    }
    let name = passerelle_render::parcours_file_stem(&s.id, &t.id, dept);
    let rendered = live
        .run(Work::Documents, move |cancel| {
            let docs = state.documents.as_ref().expect("vérifié plus haut");
            docs.parcours(&state, &s, &t, dept, format, cancel)
                .map_err(|e| document_error(cancel, e))
        })
        .await?;
    Ok(document_response(rendered, format, &name))
}

// ---------------------------------------------------------------------------
// profil, territoire

#[derive(Serialize, ToSchema)]
struct ProfilOut<'a> {
    job: JobSummary,
    /// `null` when no profile is known (surveyed or estimated).
    profil: Option<&'a passerelle_core::transversal::TransversalProfile>,
}

/// Le profil de compétences transversales (14 compétences) d'un métier, avec sa provenance.
#[utoipa::path(
    get, path = "/api/v1/profils/{code}", tag = "profils",
    params(("code" = String, Path, description = "Code ROME, code OGR d'appellation ou poste:slug")),
    responses(
        (status = 200, description = "Profil et provenance (enquête ou estimé)", body = ProfilOut<'_>),
        (status = 400, description = "Code invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
async fn profil(Snap(state, _): Snap, Path(code): Path<String>, _: ApiQuery<NoQuery>) -> ApiResult {
    let job = resolve_job(&state, &code, "code")?;
    let idx = state
        .engine
        .index_of(&job)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let profil = state.engine.profile(idx).transversal.as_ref();
    Ok(json_response(json_bytes(&ProfilOut {
        job: JobSummary::from(&job),
        profil,
    })?))
}

/// Query of `/territoires/{dept}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct TerritoireQuery {
    /// Code ROME du métier (J1303) : ajoute les chiffres du métier
    #[param(value_type = Option<String>, example = "J1303")]
    rome: Option<RomeCode>,
}

impl ApiParams for TerritoireQuery {
    fn read(p: &Params, state: &AppState) -> Result<Self, ApiError> {
        let Some(s) = p.get("rome") else {
            return Ok(TerritoireQuery { rome: None });
        };
        let code = RomeCode::parse(s).map_err(|_| {
            ApiError::bad(
                ErrorCode::CodeInvalide,
                "rome",
                format!(
                    "paramètre rome : « {} » n'est pas un code ROME (J1303)",
                    short(s)
                ),
            )
        })?;
        state.catalog.referential.fiche(code).ok_or_else(|| {
            ApiError::not_found(
                ErrorCode::MetierInconnu,
                Some("rome"),
                format!("paramètre rome : fiche ROME {code} inconnue"),
            )
        })?;
        Ok(TerritoireQuery { rome: Some(code) })
    }
}

/// Le contexte territorial d'un département, éventuellement pour une fiche.
#[utoipa::path(
    get, path = "/api/v1/territoires/{dept}", tag = "territoires",
    params(
        ("dept" = String, Path, description = "Département : 34, 2A, 971…"),
        TerritoireQuery,
    ),
    responses(
        (status = 200, description = "Contexte territorial, chaque chiffre avec sa source (docs/territoire.md)", body = TerritorialContext),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Département ou fiche inconnus", body = ErrorBody),
        (status = 503, description = "Données territoriales non importées", body = ErrorBody),
    )
)]
async fn territoire(
    Snap(state, live): Snap,
    Path(dept): Path<String>,
    ApiQuery(TerritoireQuery { rome }, p): ApiQuery<TerritoireQuery>,
) -> ApiResult {
    let d = parse_dept(&state, &dept, "dept")?;
    if state.territory.is_none() {
        return Err(ApiError::unavailable(
            "données territoriales non importées sur ce serveur",
        ));
    }
    let key = p.cache_key(&format!("territoire/{d}"));
    cached(state, &live, Some(Work::Base), key, move |state, _| {
        let t = state.territory.as_ref().expect("vérifié plus haut");
        let ctx = t
            .context(d, rome)
            .map_err(|e| ApiError::internal(e.to_string()))?
            .ok_or_else(|| {
                ApiError::not_found(
                    ErrorCode::DepartementInconnu,
                    Some("dept"),
                    format!("département {d} absent des données territoriales"),
                )
            })?;
        json_bytes(&ctx)
    })
    .await
}
