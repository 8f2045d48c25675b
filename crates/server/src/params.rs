//! Strict reading of query strings and path codes, with French errors that
//! name the parameter. Every failure is one of ours (JSON, stable code),
//! never a framework rejection: API routes take an [`ApiQuery`] (a typed
//! struct whose `IntoParams` derive is both the OpenAPI description and the
//! list of known names), pages read [`Params::page`] themselves.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa::IntoParams;

pub use passerelle_app::short;
use passerelle_core::engine::Weights;
use passerelle_core::{DeptCode, Job, JobRef};

use crate::error::{ApiError, ErrorCode};
use crate::live::Live;
use crate::state::{AppState, DocFormat, SERVED_FORMATS};

/// Largest `limit`, of a search and of a ranking alike: the search's own
/// bound, so that one rule holds for every route.
pub const MAX_LIMIT: usize = passerelle_search::MAX_LIMIT;
/// Most sources a fiche passerelle details (`sources=`).
pub const MAX_DETAILED_SOURCES: usize = 10;
/// Longest search text, in characters: what the search reads at most.
pub const MAX_QUERY_CHARS: usize = passerelle_search::MAX_QUERY_CHARS;

/// The query of an API route, declared once: the struct's fields and their
/// doc comments are, by the `IntoParams` derive, what the OpenAPI document
/// shows and the only names the route accepts, and, by `Deserialize`, how
/// they are read (every value a string, an empty one counting as absent);
/// [`ApiParams::check`] then turns them into the values the handler uses,
/// with the readers below, so that messages and codes stay those of
/// docs/api.md. Checked in the order a visitor's errors should be reported.
pub(crate) trait ApiParams: IntoParams + serde::de::DeserializeOwned {
    /// The checked values.
    type Checked;
    fn check(self, state: &AppState) -> Result<Self::Checked, ApiError>;
}

/// Extractor: an API route's query, checked, and the [`Params`] it was read
/// from (for the memo key). Its rejection is an [`ApiError`]: an unknown
/// name → `parametre_inconnu`, a repeated one → `requete_invalide`.
pub(crate) struct ApiQuery<T: ApiParams>(pub T::Checked, pub Params);

impl<T: ApiParams + Send> FromRequestParts<Arc<Live>> for ApiQuery<T>
where
    T::Checked: Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, live: &Arc<Live>) -> Result<Self, ApiError> {
        let names: Vec<String> = T::into_params(|| None)
            .into_iter()
            .map(|p| p.name)
            .collect();
        let known: Vec<&str> = names.iter().map(String::as_str).collect();
        let raw = parts.uri.query();
        let params = Params::api(raw, &known)?;
        let query: T = serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| unreadable())?;
        let state = crate::live::pinned(parts, live);
        Ok(ApiQuery(query.check(&state)?, params))
    }
}

fn unreadable() -> ApiError {
    ApiError::bad(
        ErrorCode::RequeteInvalide,
        "requête",
        "chaîne de requête illisible",
    )
}

/// A value as a form sends it: trimmed, and absent when empty.
pub fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// A route without query parameters (any name is unknown).
#[derive(IntoParams, serde::Deserialize)]
pub(crate) struct NoQuery {}

impl ApiParams for NoQuery {
    type Checked = ();
    fn check(self, _: &AppState) -> Result<(), ApiError> {
        Ok(())
    }
}

/// A parsed query string: each name at most once, except those listed as
/// repeatable; only the names a route knows are kept.
#[derive(Debug, Default, Clone)]
pub struct Params {
    map: BTreeMap<String, String>,
    repeated: BTreeMap<String, Vec<String>>,
}

impl Params {
    /// An API query: a name the route does not know is an error
    /// (`parametre_inconnu`), so that a typo is never silently ignored.
    pub fn api(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        Params::read(raw, known, &[], true)
    }

    /// A page query: names the page does not know are ignored (a link
    /// shared with a tracking parameter still opens), and kept out of
    /// [`Params::cache_key`]. `repeatable` names may occur several times
    /// (checkbox lists).
    pub fn page(
        raw: Option<&str>,
        known: &[&str],
        repeatable: &[&str],
    ) -> Result<Params, ApiError> {
        Params::read(raw, known, repeatable, false)
    }

    fn read(
        raw: Option<&str>,
        known: &[&str],
        repeatable: &[&str],
        strict: bool,
    ) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| unreadable())?;
        let mut p = Params::default();
        for (k, v) in pairs {
            if !known.contains(&k.as_str()) && !repeatable.contains(&k.as_str()) {
                if strict {
                    let list = if known.is_empty() {
                        "aucun".to_string()
                    } else {
                        known.join(", ")
                    };
                    return Err(ApiError::bad(
                        ErrorCode::ParametreInconnu,
                        &short(&k),
                        format!(
                            "paramètre {} inconnu de cette route (paramètres reconnus : {list})",
                            short(&k)
                        ),
                    ));
                }
                continue;
            }
            if repeatable.contains(&k.as_str()) {
                p.repeated.entry(k).or_default().push(v);
            } else if p.map.insert(k.clone(), v).is_some() {
                return Err(ApiError::bad(
                    ErrorCode::RequeteInvalide,
                    &k,
                    format!("paramètre {} : donné plusieurs fois", short(&k)),
                ));
            }
        }
        Ok(p)
    }

    /// The memo key of a response: `route`, then the known parameters with
    /// a value, sorted by name (a map), so that neither the order of the
    /// query nor an unknown parameter makes a new entry.
    pub fn cache_key(&self, route: &str) -> String {
        let mut key = String::from(route);
        for (k, v) in &self.map {
            let v = v.trim();
            if !v.is_empty() {
                key.push_str(&format!("|{k}={v}"));
            }
        }
        for (k, vs) in &self.repeated {
            let mut vs: Vec<&str> = vs.iter().map(|v| v.trim()).collect();
            vs.sort_unstable();
            key.push_str(&format!("|{k}={}", vs.join(",")));
        }
        key
    }

    /// A non-empty value (an empty field of a GET form counts as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        given(self.map.get(name).map(String::as_str))
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.repeated.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn limit(&self, default: usize) -> Result<usize, ApiError> {
        read_limit(self.get("limit"), default)
    }

    pub fn dept(&self, state: &AppState) -> Result<Option<DeptCode>, ApiError> {
        read_dept(state, self.get("dept"))
    }

    pub fn weights(&self) -> Result<Weights, ApiError> {
        read_weights(self.get("weights"), "weights")
    }

    /// The sources a fiche passerelle details, given once (`sources=M1609,200145`)
    /// or repeated (the page's checkboxes send one each).
    pub fn detailed_sources(&self, state: &AppState) -> Result<Vec<Job>, ApiError> {
        let values = self
            .get("sources")
            .into_iter()
            .chain(self.all("sources").iter().map(String::as_str));
        read_sources(state, values)
    }
}

/// `limit`: 1 to [`MAX_LIMIT`], `default` when absent.
pub fn read_limit(raw: Option<&str>, default: usize) -> Result<usize, ApiError> {
    let Some(s) = given(raw) else {
        return Ok(default);
    };
    match s.parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(ApiError::bad(
            ErrorCode::LimiteInvalide,
            "limit",
            format!(
                "paramètre limit : « {} » n'est pas un entier de 1 à {MAX_LIMIT}",
                short(s)
            ),
        )),
    }
}

/// `dept`: a département the territorial data knows, when given.
pub fn read_dept(state: &AppState, raw: Option<&str>) -> Result<Option<DeptCode>, ApiError> {
    given(raw).map(|s| parse_dept(state, s, "dept")).transpose()
}

/// A yes-or-no parameter (`local=true`): `true` or `false`, `false` when
/// absent.
pub fn read_flag(raw: Option<&str>, name: &str) -> Result<bool, ApiError> {
    match given(raw) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(s) => Err(ApiError::bad(
            ErrorCode::ParametreInvalide,
            name,
            format!("paramètre {name} : « {} » n'est ni true ni false", short(s)),
        )),
    }
}

/// Weights (the defaults when absent); `name` is the parameter typed.
pub fn read_weights(raw: Option<&str>, name: &str) -> Result<Weights, ApiError> {
    match given(raw) {
        None => Ok(Weights::default()),
        Some(s) => parse_weights(s, name),
    }
}

/// `format`: a served document format, `default` when absent.
pub fn read_format(raw: Option<&str>, default: DocFormat) -> Result<DocFormat, ApiError> {
    let Some(s) = given(raw) else {
        return Ok(default);
    };
    s.parse()
        .ok()
        .filter(|f| SERVED_FORMATS.contains(f))
        .ok_or_else(|| {
            ApiError::bad(
                ErrorCode::FormatInvalide,
                "format",
                format!(
                    "paramètre format : « {} » inconnu (attendu json, html, pdf ou md)",
                    short(s)
                ),
            )
        })
}

/// The sources a fiche passerelle details: each one a job, repeats
/// dropped, at most [`MAX_DETAILED_SOURCES`]; empty when absent (the
/// document then details the best of its ranking).
pub fn read_sources<'a>(
    state: &AppState,
    values: impl Iterator<Item = &'a str>,
) -> Result<Vec<Job>, ApiError> {
    let mut jobs: Vec<Job> = Vec::new();
    for id in values
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        let job = resolve_job(state, id, "sources")?;
        if !jobs.iter().any(|j| j.id == job.id) {
            jobs.push(job);
        }
    }
    if jobs.len() > MAX_DETAILED_SOURCES {
        return Err(ApiError::bad(
            ErrorCode::ParametreInvalide,
            "sources",
            format!(
                "paramètre sources : {} métiers donnés, au plus {MAX_DETAILED_SOURCES} peuvent être détaillés dans une fiche",
                jobs.len()
            ),
        ));
    }
    Ok(jobs)
}

/// The search text: required, at most [`MAX_QUERY_CHARS`] characters.
pub fn read_query_text(raw: Option<&str>) -> Result<&str, ApiError> {
    let q = given(raw).ok_or_else(|| {
        ApiError::bad(
            ErrorCode::ParametreInvalide,
            "q",
            "paramètre q : texte de recherche manquant",
        )
    })?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad(
            ErrorCode::ParametreInvalide,
            "q",
            format!("paramètre q : plus de {MAX_QUERY_CHARS} caractères"),
        ));
    }
    Ok(q)
}

/// Weights as the API (`weights=`) or a page (`transversal=`…) writes them;
/// `name` is the parameter the visitor typed, never the CLI flag.
pub fn parse_weights(s: &str, name: &str) -> Result<Weights, ApiError> {
    Weights::parse(s).map_err(|e| {
        ApiError::bad(
            ErrorCode::PoidsInvalides,
            name,
            format!("paramètre {name} : {e}"),
        )
    })
}

fn bad_dept(s: &str, name: &str) -> ApiError {
    ApiError::bad(
        ErrorCode::DepartementInvalide,
        name,
        format!(
            "paramètre {name} : « {} » n'est pas un département (attendu 01 à 95, 2A, 2B ou 971 à 976)",
            short(s)
        ),
    )
}

pub fn parse_dept(state: &AppState, s: &str, name: &str) -> Result<DeptCode, ApiError> {
    let d = s.parse::<DeptCode>().map_err(|_| bad_dept(s, name))?;
    known_dept(state, d, name)
}

/// `d`, when the territorial data knows it (or when there is none).
pub fn known_dept(state: &AppState, d: DeptCode, name: &str) -> Result<DeptCode, ApiError> {
    if !state.departements.is_empty() && state.dept_name(d.as_str()).is_none() {
        return Err(ApiError::not_found(
            ErrorCode::DepartementInconnu,
            Some(name),
            format!("paramètre {name} : département {d} absent des données territoriales"),
        ));
    }
    Ok(d)
}

/// A job named in a path or a parameter: ROME code, appellation OGR code
/// or `poste:<slug>`.
pub fn resolve_job(state: &AppState, code: &str, name: &'static str) -> Result<Job, ApiError> {
    Ok(passerelle_app::resolve_job(&state.catalog, code, name)?)
}

/// A path parameter that cannot be read: the API's JSON error under
/// `/api/`, the same message as a page elsewhere.
pub(crate) struct PathRejection {
    error: ApiError,
    page: bool,
}

impl axum::response::IntoResponse for PathRejection {
    fn into_response(self) -> axum::response::Response {
        if self.page {
            crate::pages::PageError::from(self.error).into_response()
        } else {
            self.error.into_response()
        }
    }
}

/// The path segments of a route, as strings (axum's own rejection only
/// happens on a segment that is not UTF-8).
async fn segments<T>(parts: &mut Parts, live: &Arc<Live>) -> Result<T, PathRejection>
where
    T: serde::de::DeserializeOwned + Send,
{
    let page = !parts.uri.path().starts_with("/api/");
    axum::extract::Path::<T>::from_request_parts(parts, live)
        .await
        .map(|axum::extract::Path(t)| t)
        .map_err(|_| PathRejection {
            error: ApiError::bad(
                ErrorCode::RequeteInvalide,
                "chemin",
                "chemin illisible : adresse mal encodée (UTF-8 attendu)",
            ),
            page,
        })
}

fn rejection(parts: &Parts) -> impl Fn(ApiError) -> PathRejection {
    let page = !parts.uri.path().starts_with("/api/");
    move |error| PathRejection { error, page }
}

/// Implements the extractor of a path type: its segments as `$raw`, then
/// `$read`, whose refusal is the API's error (or the page's).
macro_rules! path_extractor {
    ($ty:ty, $raw:ty, $read:expr) => {
        impl FromRequestParts<Arc<Live>> for $ty {
            type Rejection = PathRejection;

            async fn from_request_parts(
                parts: &mut Parts,
                live: &Arc<Live>,
            ) -> Result<Self, Self::Rejection> {
                let raw: $raw = segments(parts, live).await?;
                let read: fn($raw) -> Result<$ty, ApiError> = $read;
                read(raw).map_err(rejection(parts))
            }
        }
    };
}

/// `{code}`: a job's name, read (not yet resolved).
pub(crate) struct JobPath(pub JobRef);

path_extractor!(JobPath, String, |raw| Ok(JobPath(
    passerelle_app::parse_job(&raw, "code")?
)));

/// `{source}/{target}`: two jobs' names, read.
pub(crate) struct JobPairPath {
    pub source: JobRef,
    pub target: JobRef,
}

path_extractor!(JobPairPath, (String, String), |(s, t)| Ok(JobPairPath {
    source: passerelle_app::parse_job(&s, "source")?,
    target: passerelle_app::parse_job(&t, "target")?,
}));

/// `{dept}`: a département code, read (whether the data knows it is the
/// handler's question).
pub(crate) struct DeptPath(pub DeptCode);

path_extractor!(DeptPath, String, |raw| raw
    .parse::<DeptCode>()
    .map(DeptPath)
    .map_err(|_| bad_dept(&raw, "dept")));

/// What each named parameter accepts, as a regular expression the OpenAPI
/// document publishes (so that an outside client generates only values the
/// server reads). Each pattern is a subset of what the readers above
/// accept; an empty value counts as absent. What a pattern cannot say — an
/// OGR code that is not an item of the job, the same weight named twice,
/// all four weights at zero — is refused with a 400 (docs/api.md).
pub(crate) const PARAM_PATTERNS: &[(&str, &str)] = &[
    ("code", JOB_PATTERN),
    ("source", JOB_PATTERN),
    ("target", JOB_PATTERN),
    ("dept", DEPT_PATTERN),
    ("local", "^(true|false)?$"),
    ("rome", "^([A-Za-z][0-9]{4})?$"),
    ("sans", "^([0-9]{1,9}(,[0-9]{1,9})*)?$"),
    (
        "sources",
        "^(([A-Za-z][0-9]{4}|[0-9]{1,9}|poste:[a-z0-9-]{1,80})(,([A-Za-z][0-9]{4}|[0-9]{1,9}|poste:[a-z0-9-]{1,80})){0,9})?$",
    ),
    (
        "weights",
        "^((transversal|savoirs|savoir_faire|contextes)=(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)(,(transversal|savoirs|savoir_faire|contextes)=(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)){0,3})?$",
    ),
];

/// A job's name: ROME code, appellation OGR code or `poste:<slug>`.
const JOB_PATTERN: &str = "^([A-Za-z][0-9]{4}|[0-9]{1,9}|poste:[a-z0-9-]{1,80})$";
/// A département: 01 to 95 (not 20), 2A, 2B, 971 to 976; a leading zero
/// of a metropolitan code is accepted (034, 02A).
const DEPT_PATTERN: &str = "^(0?(0[1-9]|1[0-9]|2[1-9]|2[ABab]|[3-8][0-9]|9[0-5])|97[1-6])?$";

/// Writes [`PARAM_PATTERNS`] into every parameter of the spec that bears
/// one of those names.
pub(crate) fn publish_patterns(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{RefOr, Schema};
    for item in spec.paths.paths.values_mut() {
        let Some(op) = item.get.as_mut() else {
            continue;
        };
        for p in op.parameters.iter_mut().flatten() {
            let RefOr::T(p) = p else { continue };
            let Some((_, pattern)) = PARAM_PATTERNS.iter().find(|(n, _)| *n == p.name) else {
                continue;
            };
            if let Some(RefOr::T(Schema::Object(o))) = p.schema.as_mut() {
                o.pattern = Some((*pattern).to_string());
            }
        }
    }
}
