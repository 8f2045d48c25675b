//! Rendering: the transversal radar (SVG) and the documents (fiche
//! passerelle, parcours de mobilité) in HTML, Markdown, PDF and JSON.

pub mod build;
pub mod document;
pub mod radar;
