//! Security headers on every response. The pages load their only style
//! sheet and script from /static (no inline code), so the policy needs no
//! 'unsafe-inline'; a handler that serves a document with inline styles sets
//! its own policy with their hashes, which this layer keeps.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of the pages and of the API.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The policy of a rendered document with inline `<style>` blocks.
pub fn csp_with_style_hashes(hashes: &[String]) -> String {
    let styles: String = hashes.iter().map(|h| format!(" '{h}'")).collect();
    format!(
        "default-src 'none'; style-src 'self'{styles}; img-src 'self' data:; font-src 'self' data:; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

pub(crate) async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    res
}
