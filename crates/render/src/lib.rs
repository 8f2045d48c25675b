//! Rendering: the transversal radar (SVG) and the documents (fiche
//! passerelle, parcours de mobilité) in HTML, Markdown, PDF and JSON.
//!
//! One model per document ([`document`]), built once ([`build`]) and
//! rendered by every format ([`format`]: one dispatch), so the formats
//! never disagree; their labels and sentences are written once
//! ([`wording`]). The CLI and the server produce documents through one
//! [`pipeline`].

pub mod blocs;
pub mod build;
mod certifications;
mod description;
pub mod document;
mod escape;
mod fiche;
pub mod filters;
pub mod format;
pub mod html;
mod interviews;
mod links;
pub mod local;
pub mod markdown;
mod parcours;
pub mod pdf;
pub mod pipeline;
pub mod radar;
pub mod routes;
pub mod scoring;
mod territory;
pub mod wording;

pub use format::{
    DocFormat, RenderError, Rendered, UnknownFormat, fiche_file_stem, parcours_file_stem,
    render_fiche, render_parcours,
};
pub use pipeline::{FicheRequest, LookupError, Lookups, Pipeline, PipelineError};
