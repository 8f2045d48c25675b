//! The Passerelle web application and JSON API.
//!
//! [`App`] turns an immutable [`AppState`] snapshot — the catalog, the
//! engine, the search index and the providers of territorial data and
//! documents, all of one data version — into an axum router: the JSON API under
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
pub mod connections;
mod error;
mod format;
pub mod live;
mod metrics;
mod ops;
pub mod pages;
mod params;
pub mod pool;
mod security;
mod state;
mod variant;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use cache::CACHE_BYTES;
pub use connections::{ConnectionLimits, HEAD_READ_TIMEOUT};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use live::{Announcements, Live, ReloadError, Reloader, StoreFailure};
pub use metrics::Summary;
pub use ops::{MAX_HEADER_BYTES, MAX_URI_BYTES, SUMMARY_EVERY};
pub use passerelle_app::{IndexSearch, SearchHit, Searcher, SimpleSearch};
pub use pool::{Cancel, PoolLimits, Work, WorkLimits};
pub use state::{
    AppState, DeptEntry, DocFormat, DocumentProvider, ProviderError, Rendered, TerritoryProvider,
};

/// Largest request body accepted (the application only reads GET requests).
pub const BODY_LIMIT: usize = 16 * 1024;
/// Time after which a request is answered with 408 (JSON for the API); its
/// blocking work is cancelled at its next stage.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// After a stop signal, how long in-flight requests may take to finish
/// before the server stops anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// How often the store's data version is compared with the served one.
pub const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// The web application: build it once, then [`App::router`] or [`App::serve`].
pub struct App {
    live: Arc<Live>,
    reload_every: Duration,
    /// `None`: [`ConnectionLimits::for_this_process`] when serving.
    connections: Option<ConnectionLimits>,
}

impl App {
    pub fn new(state: Arc<AppState>) -> App {
        App {
            live: Arc::new(Live::new(state, WorkLimits::default())),
            reload_every: RELOAD_EVERY,
            connections: None,
        }
    }

    /// Reloads snapshots from `reloader` when the store's data version moves
    /// (checked every `every` while serving, and by [`App::reload`]).
    pub fn with_reloader(mut self, reloader: Box<dyn Reloader>, every: Duration) -> App {
        self.live_mut().set_reloader(reloader);
        self.reload_every = every;
        self
    }

    /// Other concurrency limits than [`WorkLimits::default`].
    pub fn with_limits(mut self, limits: WorkLimits) -> App {
        self.live_mut().set_limits(limits);
        self
    }

    /// Other connection bounds (shorter head deadline in tests).
    pub fn with_connection_limits(mut self, limits: ConnectionLimits) -> App {
        self.connections = Some(limits);
        self
    }

    fn live_mut(&mut self) -> &mut Live {
        Arc::get_mut(&mut self.live).expect("App configuré avant d'être servi")
    }

    /// The snapshot served now.
    pub fn state(&self) -> Arc<AppState> {
        self.live.snapshot()
    }

    pub fn live(&self) -> &Arc<Live> {
        &self.live
    }

    /// Reloads now if the store holds a newer data version (blocking).
    pub fn reload(&self) -> Result<Option<u64>, ReloadError> {
        self.live.reload_if_changed()
    }

    /// The full router: API, OpenAPI, docs UI, pages, assets, health, with
    /// the hardening layers (see [`harden`]).
    pub fn router(&self) -> Router {
        let (api_router, openapi) = api::parts();
        // The Swagger UI router also serves /api/openapi.json.
        let swagger =
            utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi);
        let app = Router::new()
            .merge(api_router.with_state(self.live.clone()))
            .merge(swagger)
            .merge(pages::router().with_state(self.live.clone()))
            .merge(assets::router())
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(readyz).with_state(self.live.clone()))
            .fallback(error::fallback);
        harden(app, self.live.clone())
    }

    /// The OpenAPI document, as served at `/api/openapi.json`.
    pub fn openapi_json(&self) -> String {
        api::openapi_json()
    }

    /// Serves on `listener` until Ctrl-C or SIGTERM. Then connections
    /// without a complete request close at once and requests in flight
    /// finish (at most [`SHUTDOWN_GRACE`]). Meanwhile the store's data
    /// version is watched (with a reloader: its announcements, and a poll)
    /// and a summary is logged every minute.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let router = self.router();
        let limits = self
            .connections
            .unwrap_or_else(ConnectionLimits::for_this_process);
        tracing::debug!(
            plafond = limits.max_connections,
            delai_entetes_s = limits.head_read_timeout.as_secs(),
            "connexions"
        );
        let summaries = tokio::spawn(ops::summaries(self.live.clone()));
        let watcher = tokio::spawn(watch(self.live.clone(), self.reload_every));
        // Stops when dropped, with the server.
        let _listening = live::listen(self.live.clone());
        let closing = connections::serve(
            listener,
            router,
            limits,
            ops::shutdown_signal(),
            SHUTDOWN_GRACE,
        )
        .await?;
        if closing.timed_out {
            tracing::warn!(
                secondes = SHUTDOWN_GRACE.as_secs(),
                "arrêt : des requêtes n'ont pas fini à temps, elles sont interrompues"
            );
        }
        summaries.abort();
        watcher.abort();
        tracing::info!(
            connexions_ouvertes = closing.open,
            "serveur arrêté (connexions sans requête complète fermées aussitôt)"
        );
        Ok(())
    }
}

/// The layers every response goes through, innermost first: panics become
/// 500 (logged), body limit, timeout (408, which cancels blocking work),
/// JSON for every error under `/api/` and bounds on URI and headers,
/// security headers, metrics, and request traces at debug level.
pub fn harden(router: Router, live: Arc<Live>) -> Router {
    router
        .layer(CatchPanicLayer::custom(ops::panic_response))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(ops::errors))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn_with_state(live, ops::observe))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::DEBUG))
                .on_response(DefaultOnResponse::new().level(Level::DEBUG))
                .on_failure(DefaultOnFailure::new().level(Level::DEBUG)),
        )
}

/// Polls the store's data version and reloads when it moved (on a blocking
/// thread: loading a snapshot takes about a second).
async fn watch(live: Arc<Live>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let l = live.clone();
        match tokio::task::spawn_blocking(move || l.reload_if_changed()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::warn!(erreur = %e, "rechargement des données impossible : l'ancienne version reste servie")
            }
            Err(e) => tracing::warn!(erreur = %e, "rechargement des données interrompu"),
        }
    }
}

/// What `/readyz` reports: what is served, including the data version.
#[derive(serde::Serialize)]
struct Readiness {
    status: &'static str,
    data_version: String,
    /// The store's data version (a counter bumped by every import).
    version_donnees: u64,
    fiches: usize,
    appellations: usize,
    postes: usize,
    territoire: bool,
    documents: bool,
}

/// Ready once a snapshot is loaded (it always is once the router exists).
async fn readyz(live::Snap(state, _): live::Snap) -> axum::Json<Readiness> {
    axum::Json(Readiness {
        status: "ready",
        data_version: state.data_version.clone(),
        version_donnees: state.stamp,
        fiches: state.catalog.referential.fiches.len(),
        appellations: state.catalog.referential.appellations.len(),
        postes: state.catalog.postes.len(),
        territoire: state.territory.is_some(),
        documents: state.documents.is_some(),
    })
}
