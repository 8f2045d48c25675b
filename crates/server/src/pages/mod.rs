//! The French pages, rendered on the server with askama (auto-escaped) and
//! usable without JavaScript: every control is a link or a GET form, so a
//! page's state — département, weights, sort, filters, variant — is its URL.
//!
//! One module per page family (its handler, its template struct and the view
//! models only it uses); [`views`] holds the view models several pages share
//! and [`choices`] the closed lists a page's URL may name (sort, viability,
//! RIASEC letter, search direction). A page reads its query with
//! [`Params::page`](crate::params::Params::page): unknown names are ignored.

mod choices;
mod comparaison;
mod error;
mod explorer;
mod fiche;
mod home;
mod itineraires;
mod recherche;
mod variante;
mod views;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::live::Live;
use crate::pool::{Cancel, Work};
use crate::state::AppState;

pub use error::PageError;
pub(crate) use error::{error_page, not_found_page};

/// The notice shown on every page.
pub const NOTICE: &str = "Passerelle est une aide au jugement du conseiller ou de la conseillère, \
pas une décision automatisée : les pourcentages comparent des listes d'items du ROME et doivent être \
discutés avec la personne. Aucune donnée personnelle n'est enregistrée : le serveur ne conserve rien \
de ce que vous saisissez.";

pub(crate) fn router() -> Router<Arc<Live>> {
    Router::new()
        .route("/", get(home::home))
        .route("/recherche", get(recherche::recherche))
        .route("/fiches/{code}", get(fiche::fiche))
        .route("/fiches/{code}/variante", get(variante::variante_form))
        .route("/fiches/{code}/variante.toml", get(variante::variante_toml))
        .route(
            "/comparaison/{source}/{target}",
            get(comparaison::comparaison),
        )
        .route("/explorer/{code}", get(explorer::explorer))
        .route("/methode", get(home::methode))
}

/// What the layout shows on every page.
pub struct Layout {
    pub notice: &'static str,
    pub data_version: String,
    pub attribution: String,
}

impl Layout {
    fn of(state: &AppState) -> Layout {
        let data_version = if state.stamp > 0 {
            format!(
                "{} ; version des données n° {}",
                state.data_version, state.stamp
            )
        } else {
            state.data_version.clone()
        };
        Layout {
            notice: NOTICE,
            data_version,
            attribution: state.catalog.referential.version.attribution(),
        }
    }
}

type PageResult = Result<Response, PageError>;

fn html(t: impl Template) -> PageResult {
    render(t).map(|s| Html(s).into_response())
}

fn render(t: impl Template) -> Result<String, PageError> {
    t.render().map_err(|e| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("rendu de la page : {e}"),
        )
    })
}

/// A page computed on the blocking pool of [`Work::Calcul`] (rankings and
/// gaps take milliseconds to seconds of CPU), memoised under `key` (the
/// page's known parameters, sorted) in the snapshot's byte-bounded memo.
async fn cached_page<F>(state: Arc<AppState>, live: &Live, key: String, build: F) -> PageResult
where
    F: FnOnce(&AppState, &Cancel) -> Result<String, PageError> + Send + 'static,
{
    if let Some(b) = state.cache.get(&key) {
        return Ok(Html(b).into_response());
    }
    let st = state.clone();
    let page = live
        .run(Work::Calcul, move |cancel| build(&st, cancel))
        .await?;
    let bytes = axum::body::Bytes::from(page);
    state.cache.put(key, bytes.clone());
    Ok(Html(bytes).into_response())
}

/// `?a=1&b=2` from pairs, skipping empty values (links keep the page state).
fn query(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    format!("?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

fn path_segment(s: &str) -> String {
    // Codes are validated before they reach a link; ':' of poste: is fine in a path.
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
        .collect()
}
