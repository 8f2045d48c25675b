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
    /// A query parameter the route does not know (API only; pages ignore it).
    ParametreInconnu,
    /// A method other than GET (or HEAD) on an API route.
    MethodeNonAutorisee,
    /// A path or query longer than [`crate::MAX_URI_BYTES`].
    UriTropLongue,
    /// Request headers larger than [`crate::MAX_HEADER_BYTES`].
    EnTetesTropGrands,
    /// A request body over [`crate::BODY_LIMIT`].
    CorpsTropGrand,
    /// The request took longer than [`crate::REQUEST_TIMEOUT`].
    DelaiDepasse,
    /// Load shedding: the queue of this kind of work is full; retry later
    /// (`Retry-After`).
    ServeurOccupe,
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
    /// Seconds for a `Retry-After` header (load shedding).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error with no parameter.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            parametre: None,
            retry_after: None,
        }
    }

    /// Load shedding: 503 with `Retry-After`.
    pub fn overloaded(work: &str, retry_after: u32) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServeurOccupe,
                format!("serveur occupé ({work}) : réessayez dans {retry_after} s"),
            )
        }
    }

    pub fn bad(code: ErrorCode, parametre: &str, message: impl Into<String>) -> Self {
        ApiError {
            parametre: Some(parametre.into()),
            ..ApiError::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    pub fn not_found(code: ErrorCode, parametre: Option<&str>, message: impl Into<String>) -> Self {
        ApiError {
            parametre: parametre.map(Into::into),
            ..ApiError::new(StatusCode::NOT_FOUND, code, message)
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::DonneesIndisponibles,
            message,
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        let message = message.into();
        tracing::error!(%message, "erreur interne");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::ErreurInterne,
            message,
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message.clone(),
                parametre: self.parametre.clone(),
            },
        }
    }
}

/// A use case's refusal: the user's input is a 4xx naming its parameter,
/// anything else a 500.
impl From<passerelle_app::AppError> for ApiError {
    fn from(e: passerelle_app::AppError) -> Self {
        use passerelle_app::AppError as E;
        let message = e.to_string();
        match &e {
            E::InvalidJob { param, .. } => ApiError::bad(ErrorCode::CodeInvalide, param, message),
            E::UnknownJob { param, .. } => {
                ApiError::not_found(ErrorCode::MetierInconnu, Some(param), message)
            }
            E::NotAnItem { .. } | E::NothingKept => {
                ApiError::bad(ErrorCode::ParametreInvalide, "sans", message)
            }
            E::Local(r) => {
                use passerelle_app::LocalRefusal as L;
                match r {
                    L::NoDept | L::Sources => {
                        ApiError::bad(ErrorCode::ParametreInvalide, "local", message)
                    }
                    L::NoData => ApiError::unavailable(message),
                    L::UnknownDept => {
                        ApiError::not_found(ErrorCode::DepartementInconnu, Some("dept"), message)
                    }
                }
            }
            E::Engine(_) | E::Territory(_) => ApiError::internal(message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.body())).into_response();
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, s.into());
        }
        res
    }
}

/// Unknown routes: JSON under /api/, an HTML page elsewhere.
pub(crate) async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(
            ErrorCode::RouteInconnue,
            None,
            "route inconnue de l'API (voir /api/docs)",
        )
        .into_response();
    }
    crate::pages::not_found_page()
}
