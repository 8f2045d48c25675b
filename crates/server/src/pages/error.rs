//! Errors shown as pages: the same French message as the API's, with the
//! status and, under load, `Retry-After`.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::{Layout, NOTICE};
use crate::error::ApiError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: String,
}

/// An error shown as a page (same French message as the API's).
pub struct PageError {
    status: StatusCode,
    message: String,
    layout: Option<Layout>,
    retry_after: Option<u32>,
}

impl PageError {
    pub(super) fn new(status: StatusCode, message: String) -> Self {
        PageError {
            status,
            message,
            layout: None,
            retry_after: None,
        }
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError {
            status: e.status,
            message: in_words(&e.message, e.parametre.as_deref()),
            layout: None,
            retry_after: e.retry_after,
        }
    }
}

/// What a counsellor calls each parameter of the pages' addresses and
/// forms (the JSON errors keep the parameter's name).
const FIELD_WORDS: &[(&str, &str)] = &[
    ("code", "Le métier"),
    ("source", "Le métier source"),
    ("target", "Le métier cible"),
    ("job", "Le métier"),
    ("dept", "Le département"),
    ("q", "La recherche"),
    ("limit", "Le nombre de lignes"),
    ("sans", "La variante"),
    ("garder", "Les items gardés"),
    ("sources", "Les métiers à détailler"),
    ("weights", "Les poids"),
    ("transversal", "Le poids des compétences transversales"),
    ("savoirs", "Le poids des savoirs"),
    ("savoir_faire", "Le poids des savoir-faire"),
    ("contextes", "Le poids des contextes de travail"),
    ("tri", "Le tri"),
    ("viabilite", "La viabilité"),
    ("domaine", "Le grand domaine"),
    ("riasec", "Le profil RIASEC"),
    ("rome", "Le code ROME"),
    ("format", "Le format"),
];

/// An API message (« paramètre dept : … ») as a page says it
/// (« Le département : … »).
fn in_words(message: &str, parametre: Option<&str>) -> String {
    let Some(name) = parametre else {
        return message.to_string();
    };
    let Some(words) = FIELD_WORDS.iter().find(|(n, _)| *n == name).map(|(_, w)| w) else {
        return message.to_string();
    };
    match message.strip_prefix(&format!("paramètre {name} : ")) {
        Some(rest) => format!("{words} : {rest}"),
        None => message.to_string(),
    }
}

impl From<passerelle_app::AppError> for PageError {
    fn from(e: passerelle_app::AppError) -> Self {
        ApiError::from(e).into()
    }
}

/// An error page for `status` (framework rejections, panics).
pub(crate) fn error_page(status: StatusCode, message: String) -> Response {
    PageError::new(status, message).into_response()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.status.as_u16() {
            400 => "Demande invalide",
            404 => "Page introuvable",
            405 => "Méthode non autorisée",
            408 => "Délai dépassé",
            413 => "Demande trop volumineuse",
            414 => "Adresse trop longue",
            431 => "En-têtes trop volumineux",
            503 => "Service indisponible",
            _ => "Erreur",
        };
        let retry_after = self.retry_after;
        let page = ErrorPage {
            layout: self.layout.unwrap_or(Layout {
                notice: NOTICE,
                data_version: String::new(),
                attribution: String::new(),
            }),
            title,
            message: self.message,
        };
        let mut res = match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, "erreur").into_response(),
        };
        if let Some(s) = retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, s.into());
        }
        res
    }
}

pub(crate) fn not_found_page() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Cette adresse ne correspond à aucune page.".into(),
    )
}
