//! The style sheet, the enhancement script and the icon, compiled into the
//! binary.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

pub const STYLE: &str = include_str!("../static/style.css");
pub const SCRIPT: &str = include_str!("../static/app.js");
/// The site's icon, an SVG; also served as /favicon.ico, which browsers ask
/// for by themselves (they read the content type, not the extension).
pub const ICON: &str = include_str!("../static/favicon.svg");

pub(crate) fn router() -> Router {
    Router::new()
        .route(
            "/static/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/favicon.svg",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
