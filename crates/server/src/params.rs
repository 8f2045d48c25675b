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

/// The typed query of an API route. Its fields and their doc comments, by
/// the `IntoParams` derive, are what the OpenAPI document shows and the only
/// names the route accepts; [`ApiParams::read`] builds it from the checked
/// [`Params`] with the helpers below, so that messages and codes stay those
/// of docs/api.md. Read in the order a visitor's errors should be reported.
pub(crate) trait ApiParams: IntoParams + Sized {
    fn read(p: &Params, state: &AppState) -> Result<Self, ApiError>;
}

/// Extractor: an API route's query, typed, and the [`Params`] it was read
/// from (for the memo key). Its rejection is an [`ApiError`]: an unknown
/// name → `parametre_inconnu`, a repeated one → `requete_invalide`, an empty
/// value counts as absent.
pub(crate) struct ApiQuery<T>(pub T, pub Params);

impl<T: ApiParams + Send> FromRequestParts<Arc<Live>> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, live: &Arc<Live>) -> Result<Self, ApiError> {
        let names: Vec<String> = T::into_params(|| None)
            .into_iter()
            .map(|p| p.name)
            .collect();
        let known: Vec<&str> = names.iter().map(String::as_str).collect();
        let params = Params::api(parts.uri.query(), &known)?;
        let state = crate::live::pinned(parts, live);
        Ok(ApiQuery(T::read(&params, &state)?, params))
    }
}

/// A route without query parameters (any name is unknown).
#[derive(IntoParams)]
pub(crate) struct NoQuery {}

impl ApiParams for NoQuery {
    fn read(_: &Params, _: &AppState) -> Result<Self, ApiError> {
        Ok(NoQuery {})
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
            serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
                ApiError::bad(
                    ErrorCode::RequeteInvalide,
                    "requête",
                    "chaîne de requête illisible",
                )
            })?;
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
        self.map
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.repeated.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn limit(&self, default: usize) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(default),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(ApiError::bad(
                    ErrorCode::LimiteInvalide,
                    "limit",
                    format!(
                        "paramètre limit : « {} » n'est pas un entier de 1 à {MAX_LIMIT}",
                        short(s)
                    ),
                )),
            },
        }
    }

    pub fn dept(&self, state: &AppState) -> Result<Option<DeptCode>, ApiError> {
        self.get("dept")
            .map(|s| parse_dept(state, s, "dept"))
            .transpose()
    }

    pub fn weights(&self) -> Result<Weights, ApiError> {
        match self.get("weights") {
            None => Ok(Weights::default()),
            Some(s) => parse_weights(s, "weights"),
        }
    }

    pub fn format(&self, default: DocFormat) -> Result<DocFormat, ApiError> {
        match self.get("format") {
            None => Ok(default),
            Some(s) => s
                .parse()
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
                }),
        }
    }

    /// The sources a fiche passerelle details (`sources=M1609,200145`, or
    /// repeated where the page's checkboxes send one each): each one a job,
    /// repeats dropped, at most [`MAX_DETAILED_SOURCES`]; empty when absent
    /// (the document then details the best of its ranking).
    pub fn detailed_sources(&self, state: &AppState) -> Result<Vec<Job>, ApiError> {
        let values = self
            .get("sources")
            .into_iter()
            .chain(self.all("sources").iter().map(String::as_str));
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
    pub fn query_text(&self) -> Result<&str, ApiError> {
        let q = self.get("q").ok_or_else(|| {
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

pub fn parse_dept(state: &AppState, s: &str, name: &str) -> Result<DeptCode, ApiError> {
    let d = s.parse::<DeptCode>().map_err(|_| {
        ApiError::bad(
            ErrorCode::DepartementInvalide,
            name,
            format!(
                "paramètre {name} : « {} » n'est pas un département (attendu 01 à 95, 2A, 2B ou 971 à 976)",
                short(s)
            ),
        )
    })?;
    if !state.departements.is_empty() && state.dept_name(d.as_str()).is_none() {
        return Err(ApiError::not_found(
            ErrorCode::DepartementInconnu,
            Some(name),
            format!("paramètre {name} : département {d} absent des données territoriales"),
        ));
    }
    Ok(d)
}

/// A job named in a path: ROME code, appellation OGR code or `poste:<slug>`.
pub fn resolve_job(state: &AppState, code: &str, name: &str) -> Result<Job, ApiError> {
    let r: JobRef = code.parse().map_err(|_| {
        ApiError::bad(
            ErrorCode::CodeInvalide,
            name,
            format!(
                "paramètre {name} : « {} » n'est ni un code ROME (J1303), ni un code d'appellation (200145), ni un profil de poste (poste:assistant-medical)",
                short(code)
            ),
        )
    })?;
    state.catalog.resolve(&r).map_err(|e| {
        ApiError::not_found(
            ErrorCode::MetierInconnu,
            Some(name),
            format!("paramètre {name} : {e}"),
        )
    })
}

/// Characters of a visitor's value quoted in an error message.
const QUOTED_CHARS: usize = 40;

/// A user string cut for an error message (the message is JSON- or
/// HTML-escaped where shown; this only bounds its length).
pub fn short(s: &str) -> String {
    let mut t: String = s.chars().take(QUOTED_CHARS).collect();
    if s.chars().count() > QUOTED_CHARS {
        t.push('…');
    }
    t
}
