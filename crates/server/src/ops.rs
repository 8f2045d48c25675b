//! Operations: request metrics ([`crate::metrics`]) recorded and the
//! one-line summary logged every minute, JSON for every error under
//! `/api/` (framework rejections included), bounds on the URI and headers,
//! panics turned into 500, and the shutdown signals.

use std::any::Any;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorCode};

/// Longest request target (path and query) answered; longer ones get a
/// JSON 414 under `/api/` (hyper itself stops at 64 KiB with an empty 414).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest total of request header names and values; larger gets 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// How often the summary line is logged.
pub const SUMMARY_EVERY: Duration = Duration::from_secs(60);

/// Counts every request and logs it at debug level (never at info: one
/// line per request filled 381 MB of logs in one load test).
pub(crate) async fn observe(
    State(live): State<std::sync::Arc<crate::live::Live>>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    live.metrics.record(res.status(), elapsed);
    tracing::debug!(%method, path = %crate::params::short(&path), status = res.status().as_u16(), us = elapsed.as_micros() as u64, "requête");
    res
}

/// Logs the summary of the last minute, every minute, until the server stops.
pub(crate) async fn summaries(live: std::sync::Arc<crate::live::Live>) {
    let mut tick = tokio::time::interval(SUMMARY_EVERY);
    tick.tick().await;
    loop {
        tick.tick().await;
        let s = live.metrics.take();
        tracing::info!(
            requetes = s.requests,
            erreurs = s.errors,
            reponses_503 = s.unavailable,
            refusees_surcharge = live.pools.shed(),
            p99_ms = s.p99_ms,
            version = live.snapshot().stamp,
            "dernière minute : {} requêtes, {} erreurs, {} réponses 503, p99 ≤ {} ms",
            s.requests,
            s.errors,
            s.unavailable,
            s.p99_ms
        );
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Bounds on the request line and headers, then, from one place, the
/// user's language for every error a handler did not answer itself
/// (rejections of axum, hyper's service and tower: 405 method, 408 timeout,
/// 413 body, 400 from an extractor — a path that is not UTF-8, `%FF%FE` —,
/// a panic's 500): JSON with a stable code under `/api/`, the French error
/// page elsewhere.
pub(crate) async fn errors(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let uri_len = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().len())
        .unwrap_or(0);
    if uri_len > MAX_URI_BYTES {
        let message = format!("adresse de {uri_len} octets : au plus {MAX_URI_BYTES}");
        return reject(
            api,
            StatusCode::URI_TOO_LONG,
            ErrorCode::UriTropLongue,
            message,
        );
    }
    let header_len: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if header_len > MAX_HEADER_BYTES {
        let message = format!("en-têtes de {header_len} octets : au plus {MAX_HEADER_BYTES}");
        return reject(
            api,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::EnTetesTropGrands,
            message,
        );
    }
    let res = next.run(req).await;
    let status = res.status();
    let answered = if api { is_json(&res) } else { is_html(&res) };
    if !(status.is_client_error() || status.is_server_error()) || answered {
        return res;
    }
    let (code, message) = rejection_words(status, api);
    let mut ours = if api {
        ApiError::new(status, code, message).into_response()
    } else {
        crate::pages::error_page(status, message)
    };
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = res.headers().get(&name) {
            ours.headers_mut().insert(name, v.clone());
        }
    }
    ours
}

/// The code and the French words of a rejection that axum, hyper or tower
/// produced (a handler answers in JSON or HTML itself): the same words
/// under `/api/` and on the pages, where "l'API" becomes "le site".
fn rejection_words(status: StatusCode, api: bool) -> (ErrorCode, String) {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodeNonAutorisee,
            if api {
                "méthode non autorisée : l'API ne répond qu'à GET".to_string()
            } else {
                "méthode non autorisée : le site ne répond qu'aux demandes de lecture (GET)"
                    .to_string()
            },
        ),
        StatusCode::REQUEST_TIMEOUT => (
            ErrorCode::DelaiDepasse,
            format!(
                "délai de {} s dépassé : réessayez dans un moment",
                crate::REQUEST_TIMEOUT.as_secs()
            ),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::CorpsTropGrand,
            format!("corps de requête de plus de {} octets", crate::BODY_LIMIT),
        ),
        StatusCode::NOT_FOUND if api => (
            ErrorCode::RouteInconnue,
            "route inconnue de l'API (voir /api/docs)".to_string(),
        ),
        StatusCode::NOT_FOUND => (
            ErrorCode::RouteInconnue,
            "cette page n'existe pas".to_string(),
        ),
        s if s.is_server_error() => (
            ErrorCode::ErreurInterne,
            "erreur interne du serveur".to_string(),
        ),
        _ => (
            ErrorCode::RequeteInvalide,
            "requête illisible : chemin ou paramètres mal encodés (UTF-8 attendu)".to_string(),
        ),
    }
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn reject(api: bool, status: StatusCode, code: ErrorCode, message: String) -> Response {
    if api {
        ApiError::new(status, code, message).into_response()
    } else {
        crate::pages::error_page(status, message)
    }
}

/// A panic in a handler: logged at error level, answered 500 (JSON under
/// `/api/` through [`errors`], an HTML page elsewhere).
pub(crate) fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("panique sans message");
    tracing::error!(
        panique = detail,
        "panique dans un gestionnaire de requête : réponse 500"
    );
    let mut res = crate::pages::error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "erreur interne du serveur".into(),
    );
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

/// Ctrl-C or SIGTERM (what service managers and `docker stop` send).
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
        "SIGTERM"
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<&str>();
    let which = tokio::select! { w = ctrl_c => w, w = term => w };
    tracing::info!(signal = which, "arrêt demandé : fin des requêtes en cours");
}
