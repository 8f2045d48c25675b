//! The Passerelle web application and JSON API.
//!
//! [`App`] turns an immutable [`AppState`] — the catalog, the engine, the
//! search index and the providers of territorial data and documents, all
//! loaded once at startup — into an axum router: the JSON API under
//! `/api/v1/` (its OpenAPI spec derived from the router by utoipa, served at
//! `/api/openapi.json` with a vendored Swagger UI at `/api/docs`), the
//! server-rendered French pages (askama, working without JavaScript) and the
//! static assets. Nothing a visitor sends is ever stored: every handler is a
//! pure function of the state and the request.
//!
//! Error policy: API handlers return [`ApiError`] (JSON with a stable `code`
//! and a French `message`, 4xx for bad input, never 500 for what a visitor
//! typed); page handlers return [`pages::PageError`] (the same information as
//! an HTML page).

mod api;
mod assets;
mod cache;
mod error;
mod format;
mod markdown;
pub mod pages;
mod params;
mod search;
mod security;
mod state;
mod variant;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ErrorBody, ErrorCode};
pub use search::{IndexSearch, SearchHit, Searcher, SimpleSearch};
pub use state::{AppState, DeptEntry, DocFormat, DocumentProvider, Rendered, TerritoryProvider};

/// Largest request body accepted (the application only reads GET requests).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Time after which a request is answered with 408 (JSON for the API).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The web application: build it once, then [`App::router`] or [`App::serve`].
pub struct App {
    state: Arc<AppState>,
}

impl App {
    pub fn new(state: Arc<AppState>) -> App {
        App { state }
    }

    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    /// The full router: API, OpenAPI, docs UI, pages, assets, health, with the
    /// security headers, body limit, timeout and request logs.
    pub fn router(&self) -> Router {
        let (api_router, openapi) = api::router().split_for_parts();
        let openapi = Arc::new(openapi);
        let spec = openapi.clone();
        let swagger = utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/openapi.json", (*openapi).clone());
        // The Swagger UI router also serves /api/openapi.json.
        let _ = spec;
        Router::new()
            .merge(api_router.with_state(self.state.clone()))
            .merge(swagger)
            .merge(pages::router().with_state(self.state.clone()))
            .merge(assets::router())
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(readyz).with_state(self.state.clone()))
            .fallback(error::fallback)
            .layer(axum::middleware::from_fn(security::headers))
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
            .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO))
                    .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
            )
    }

    /// The OpenAPI document, as served at `/api/openapi.json`.
    pub fn openapi_json(&self) -> String {
        api::openapi_json()
    }

    /// Serves on `listener` until ctrl-c (graceful shutdown: in-flight
    /// requests finish).
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let router = self.router();
        axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await
    }
}

/// Ready once the state is loaded (it always is once the router exists);
/// reports what was loaded.
async fn readyz(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({
        "status": "ready",
        "data_version": state.data_version,
        "fiches": state.catalog.referential.fiches.len(),
        "appellations": state.catalog.referential.appellations.len(),
        "postes": state.catalog.postes.len(),
        "territoire": state.territory.is_some(),
        "documents": state.documents.is_some(),
    }))
}

async fn shutdown_signal() {
    if tokio::signal::ctrl_c().await.is_ok() {
        tracing::info!("arrêt demandé : fin des requêtes en cours");
    }
}
