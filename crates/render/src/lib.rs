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

