//! JSON errors of the API: a stable machine `code`, a French `message`
//! naming the parameter, and the HTTP status. Bad input is always 4xx.

use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Stable error codes (documented in docs/api.md; never renamed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A query string that cannot be read (duplicate or malformed parameter).
    RequeteInvalide,
    /// A job name that is neither a ROME code, an OGR code nor `poste:<slug>`.
    CodeInvalide,
    DepartementInvalide,
    PoidsInvalides,
    LimiteInvalide,
    FormatInvalide,
    ParametreInvalide,
    /// A well-formed job name the referential does not know.
    MetierInconnu,
    DepartementInconnu,
    RouteInconnue,
    /// Data the server was started without (territory, documents).
    DonneesIndisponibles,
    ErreurInterne,
}

/// `{"error": {"code": …, "message": …, "parametre": …}}`
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// One French sentence.
    pub message: String,
    /// The query or path parameter at fault, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parametre: Option<String>,
}

/// An API error.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub parametre: Option<String>,
}

impl ApiError {
    pub fn bad(code: ErrorCode, parametre: &str, message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, code, message: message.into(), parametre: Some(parametre.into()) }
    }

    pub fn not_found(code: ErrorCode, parametre: Option<&str>, message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::NOT_FOUND, code, message: message.into(), parametre: parametre.map(Into::into) }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: ErrorCode::DonneesIndisponibles,
            message: message.into(),
            parametre: None,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        let message = message.into();
        tracing::error!(%message, "erreur interne");
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, code: ErrorCode::ErreurInterne, message, parametre: None }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail { code: self.code, message: self.message.clone(), parametre: self.parametre.clone() },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// Unknown routes: JSON under /api/, an HTML page elsewhere.
pub(crate) async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(ErrorCode::RouteInconnue, None, "route inconnue de l'API (voir /api/docs)")
            .into_response();
    }
    crate::pages::not_found_page()
}
