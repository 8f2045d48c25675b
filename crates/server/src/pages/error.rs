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
    status: u16,
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
            message: e.message,
            layout: None,
            retry_after: e.retry_after,
        }
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
            status: self.status.as_u16(),
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
