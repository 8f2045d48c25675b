//! Rendering: the transversal radar (SVG) and the documents (fiche
//! passerelle, parcours de mobilité) in HTML, Markdown, PDF and JSON.
//!
//! One model per document ([`document`]), built once ([`build`]) and
//! rendered by every format, so the formats never disagree.

pub mod build;
pub mod document;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod radar;
mod sha256;

/// French thousands separator (narrow no-break space): `1 230 289`.
pub fn fr_int(n: u64) -> String {
    passerelle_core::text::group_thousands(n, '\u{202f}')
}
