//! The JSON API under `/api/v1/` (see docs/api.md). Every route is declared
//! with `utoipa::path` and mounted through `routes!`, so the OpenAPI spec is
//! derived from the router and cannot drift from it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passerelle_app::{
    ChosenProfiles, FicheOut, GapOut, ProfilOut, RankRequest, RankingOut, SearchHit, SearchOut,
};
use passerelle_core::engine::{DEFAULT_RANKING_LIMIT, Direction, Weights};
use passerelle_core::territory::TerritorialContext;
use passerelle_core::{DeptCode, Job, RomeCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::live::{Live, Snap};
use crate::params::{
    ApiParams, ApiQuery, DeptPath, JobPairPath, JobPath, NoQuery, given, known_dept, read_dept,
    read_flag, read_format, read_limit, read_query_text, read_sources, read_weights, short,
};
use crate::pool::{Cancel, Work};
use crate::state::{AppState, DocFormat, ProviderError};

mod chemins;

type ApiResult = Result<Response, ApiError>;

/// Results of `/search` without `limit`: a typeahead shows about ten.
pub(crate) const SEARCH_LIMIT: usize = passerelle_search::DEFAULT_LIMIT;

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

/// The API's routes and their OpenAPI document, each parameter with the
/// pattern of the values it accepts.
pub(crate) fn parts() -> (axum::Router<Arc<Live>>, utoipa::openapi::OpenApi) {
    let (routes, mut spec) = router().split_for_parts();
    crate::params::publish_patterns(&mut spec);
    (routes, spec)
}

fn router() -> OpenApiRouter<Arc<Live>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(search))
        .routes(routes!(fiche))
        .routes(routes!(sources))
        .routes(routes!(targets))
        .routes(routes!(fiche_document))
        .routes(routes!(gap))
        .routes(routes!(chemins::routes))
        .routes(routes!(chemins::second_circle))
        .routes(routes!(chemins::learn))
        .routes(routes!(parcours_document))
        .routes(routes!(profil))
        .routes(routes!(territoire))
}

/// The spec, pretty-printed (what `/api/openapi.json` serves).
pub(crate) fn openapi_json() -> String {
    let (_, spec) = parts();
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

// ---------------------------------------------------------------------------
// search

/// Query of `/search`.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// Texte recherché (1 à 200 caractères)
    #[param(value_type = String, required, min_length = 1, max_length = 200)]
    q: Option<String>,
    /// Nombre de résultats, 1 à 200 (défaut 10)
    #[param(value_type = Option<usize>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

/// A search, checked.
struct Search {
    q: String,
    limit: usize,
}

impl ApiParams for SearchQuery {
    type Checked = Search;
    fn check(self, _: &AppState) -> Result<Search, ApiError> {
        Ok(Search {
            q: read_query_text(self.q.as_deref())?.to_string(),
            limit: read_limit(self.limit.as_deref(), SEARCH_LIMIT)?,
        })
    }
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
            json_bytes(&passerelle_app::search(
                state.search.as_ref(),
                &query.q,
                query.limit,
            ))
        },
    )
    .await
}

// ---------------------------------------------------------------------------
// fiche

/// Query of `/fiches/{code}`.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct FicheQuery {
    /// Variante : codes OGR des items décochés, séparés par des virgules
    sans: Option<String>,
}

impl ApiParams for FicheQuery {
    /// The variant asked for, if any.
    type Checked = Option<String>;
    fn check(self, _: &AppState) -> Result<Option<String>, ApiError> {
        Ok(given(self.sans.as_deref()).map(str::to_string))
    }
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
    JobPath(code): JobPath,
    ApiQuery(sans, p): ApiQuery<FicheQuery>,
) -> ApiResult {
    // A variant recomputes the engine: on the pool; the plain fiche is cheap.
    let work = sans.as_ref().map(|_| Work::Calcul);
    let key = p.cache_key(&format!("fiche/{code}"));
    cached(state, &live, work, key, move |state, _| {
        let r = state.resolve("code", &code, sans.as_deref())?;
        json_bytes(&passerelle_app::fiche(
            &state.catalog,
            &r.job,
            state.data_version.clone(),
        ))
    })
    .await
}

// ---------------------------------------------------------------------------
// sources / targets

/// Query of `/sources` and `/targets`.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct RankQuery {
    /// Département (34, 2A, 971) : ajoute le contexte territorial, ne change pas les scores
    #[param(example = "34")]
    dept: Option<String>,
    /// Nombre de métiers, 1 à 200 (défaut 15)
    #[param(value_type = Option<usize>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// Poids des quatre axes : transversal=1,savoirs=1,savoir_faire=1,contextes=0.5
    weights: Option<String>,
    /// Variante : codes OGR des items décochés, séparés par des virgules
    sans: Option<String>,
    /// true : reclasse les métiers cibles selon le marché local du département `dept`
    /// (projets de recrutement BMO, part difficile, offres 2021), à l'intérieur de chaque
    /// étiquette ; demande `dept` ; refusé par /sources (la demande locale est celle du
    /// métier cible)
    #[param(value_type = Option<bool>)]
    local: Option<String>,
}

/// A ranking's query, checked.
struct Rank {
    dept: Option<DeptCode>,
    local: bool,
    limit: usize,
    weights: Weights,
    sans: Option<String>,
}

impl ApiParams for RankQuery {
    type Checked = Rank;
    fn check(self, state: &AppState) -> Result<Rank, ApiError> {
        let limit = read_limit(self.limit.as_deref(), DEFAULT_RANKING_LIMIT)?;
        let weights = read_weights(self.weights.as_deref(), "weights")?;
        let dept = read_dept(state, self.dept.as_deref())?;
        let local = read_flag(self.local.as_deref(), "local")?;
        Ok(Rank {
            dept,
            local,
            limit,
            weights,
            sans: given(self.sans.as_deref()).map(str::to_string),
        })
    }
}

/// Sources or targets: parameters checked inline, the ranking (and the
/// territorial context, a database read) computed on the pool, memoised.
async fn rank_route(
    state: Arc<AppState>,
    live: &Live,
    code: passerelle_core::JobRef,
    query: ApiQuery<RankQuery>,
    direction: Direction,
) -> ApiResult {
    let ApiQuery(
        Rank {
            dept,
            local,
            limit,
            weights,
            sans,
        },
        p,
    ) = query;
    // Refused before any work, with the use case's own words.
    if local {
        if direction == Direction::Sources {
            return Err(
                passerelle_app::AppError::Local(passerelle_app::LocalRefusal::Sources).into(),
            );
        }
        if dept.is_none() {
            return Err(
                passerelle_app::AppError::Local(passerelle_app::LocalRefusal::NoDept).into(),
            );
        }
    }
    let key = p.cache_key(&format!("{direction:?}/{code}"));
    cached(
        state,
        live,
        Some(Work::Calcul),
        key,
        move |state, cancel| {
            let r = state.resolve("code", &code, sans.as_deref())?;
            cancel.check()?;
            let request = RankRequest {
                direction,
                weights: &weights,
                limit,
                dept,
                subject_tp: None,
                local,
            };
            let out = passerelle_app::rank(&state.engine, state.territory(), &r, request)?;
            cancel.check()?;
            json_bytes(&out)
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
        (status = 200, description = "Classement avec pourcentages et explications", body = RankingOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier ou département inconnu", body = ErrorBody),
    )
)]
async fn sources(
    Snap(state, live): Snap,
    JobPath(code): JobPath,
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
        (status = 200, description = "Classement", body = RankingOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier ou département inconnu", body = ErrorBody),
    )
)]
async fn targets(
    Snap(state, live): Snap,
    JobPath(code): JobPath,
    query: ApiQuery<RankQuery>,
) -> ApiResult {
    rank_route(state, &live, code, query, Direction::Targets).await
}

// ---------------------------------------------------------------------------
// gap

/// Query of `/gaps/{source}/{target}`.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct GapQuery {
    /// Département (34, 2A, 971)
    #[param(example = "34")]
    dept: Option<String>,
    /// Poids des quatre axes : transversal=1,savoirs=1,savoir_faire=1,contextes=0.5
    weights: Option<String>,
    /// Variante de la cible : codes OGR des items décochés, séparés par des virgules
    sans: Option<String>,
}

/// A gap's query, checked.
struct GapAsked {
    dept: Option<DeptCode>,
    weights: Weights,
    sans: Option<String>,
}

impl ApiParams for GapQuery {
    type Checked = GapAsked;
    fn check(self, state: &AppState) -> Result<GapAsked, ApiError> {
        let dept = read_dept(state, self.dept.as_deref())?;
        let weights = read_weights(self.weights.as_deref(), "weights")?;
        Ok(GapAsked {
            dept,
            weights,
            sans: given(self.sans.as_deref()).map(str::to_string),
        })
    }
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
        (status = 200, description = "Mesure des écarts", body = GapOut),
        (status = 400, description = "Paramètre invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
async fn gap(
    Snap(state, live): Snap,
    JobPairPath { source, target }: JobPairPath,
    ApiQuery(
        GapAsked {
            dept,
            weights,
            sans,
        },
        p,
    ): ApiQuery<GapQuery>,
) -> ApiResult {
    let key = p.cache_key(&format!("gap/{source}/{target}"));
    cached(state, &live, Some(Work::Calcul), key, move |state, _| {
        let s = passerelle_app::resolve_ref(&state.catalog, &source, "source")?;
        let t = state.resolve("target", &target, sans.as_deref())?;
        let profiles = ChosenProfiles::default();
        json_bytes(&passerelle_app::gap_out(
            &state.engine,
            &s,
            &t,
            &weights,
            profiles,
            dept,
        )?)
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
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct DocumentQuery {
    /// Département (34, 2A, 971) : ajoute le contexte territorial
    #[param(example = "34")]
    dept: Option<String>,
    /// Format du document (défaut json)
    #[param(value_type = Option<FormatName>, inline)]
    format: Option<String>,
}

/// A document's query, checked (the sources: the fiche passerelle's only).
struct DocumentAsked {
    dept: Option<DeptCode>,
    format: DocFormat,
    sources: Vec<Job>,
}

/// Query of the fiche passerelle document route: the parcours' one, and
/// the sources to detail.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct FicheDocumentQuery {
    /// Département (34, 2A, 971) : ajoute le contexte territorial
    #[param(example = "34")]
    dept: Option<String>,
    /// Format du document (défaut json)
    #[param(value_type = Option<FormatName>, inline)]
    format: Option<String>,
    /// Métiers sources à détailler (mesure des écarts), séparés par des virgules : codes ROME, codes d'appellation ou profils de poste, au plus 10 (défaut : les 3 premiers du classement)
    #[param(example = "M1609,J1301")]
    sources: Option<String>,
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
    type Checked = DocumentAsked;
    fn check(self, state: &AppState) -> Result<DocumentAsked, ApiError> {
        let dept = read_dept(state, self.dept.as_deref())?;
        Ok(DocumentAsked {
            dept,
            format: read_format(self.format.as_deref(), DocFormat::Json)?,
            sources: Vec::new(),
        })
    }
}

impl ApiParams for FicheDocumentQuery {
    type Checked = DocumentAsked;
    fn check(self, state: &AppState) -> Result<DocumentAsked, ApiError> {
        let dept = read_dept(state, self.dept.as_deref())?;
        let format = read_format(self.format.as_deref(), DocFormat::Json)?;
        Ok(DocumentAsked {
            dept,
            format,
            sources: read_sources(state, self.sources.as_deref().into_iter())?,
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
    JobPath(code): JobPath,
    ApiQuery(
        DocumentAsked {
            dept,
            format,
            sources,
        },
        _,
    ): ApiQuery<FicheDocumentQuery>,
) -> ApiResult {
    let job = passerelle_app::resolve_ref(&state.catalog, &code, "code")?;
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
    JobPairPath { source, target }: JobPairPath,
    ApiQuery(DocumentAsked { dept, format, .. }, _): ApiQuery<DocumentQuery>,
) -> ApiResult {
    let s = passerelle_app::resolve_ref(&state.catalog, &source, "source")?;
    let t = passerelle_app::resolve_ref(&state.catalog, &target, "target")?;
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

/// Le profil de compétences transversales (14 compétences) d'un métier, avec sa provenance.
#[utoipa::path(
    get, path = "/api/v1/profils/{code}", tag = "profils",
    params(("code" = String, Path, description = "Code ROME, code OGR d'appellation ou poste:slug")),
    responses(
        (status = 200, description = "Profil et provenance (enquête ou estimé)", body = ProfilOut),
        (status = 400, description = "Code invalide", body = ErrorBody),
        (status = 404, description = "Métier inconnu", body = ErrorBody),
    )
)]
async fn profil(Snap(state, _): Snap, JobPath(code): JobPath, _: ApiQuery<NoQuery>) -> ApiResult {
    let job = passerelle_app::resolve_ref(&state.catalog, &code, "code")?;
    Ok(json_response(json_bytes(&passerelle_app::profil(
        &state.engine,
        &job,
    )?)?))
}

/// Query of `/territoires/{dept}`.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
struct TerritoireQuery {
    /// Code ROME du métier (J1303) : ajoute les chiffres du métier
    #[param(example = "J1303")]
    rome: Option<String>,
}

impl ApiParams for TerritoireQuery {
    /// The fiche asked for, if any.
    type Checked = Option<RomeCode>;
    fn check(self, state: &AppState) -> Result<Option<RomeCode>, ApiError> {
        let Some(s) = given(self.rome.as_deref()) else {
            return Ok(None);
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
        Ok(Some(code))
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
    DeptPath(dept): DeptPath,
    ApiQuery(rome, p): ApiQuery<TerritoireQuery>,
) -> ApiResult {
    let d = known_dept(&state, dept, "dept")?;
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
